"""The conformance kit on the built-in Alibaba Cloud ICE adapter."""

import pytest

from voiceclone.adapter import Emulator
from voiceclone.testing.conformance import AdapterConformance, Wire
from voiceclone_ice._jobs import STATUS_MAP  # not public yet: reported


class TestIceConformance(AdapterConformance):
    provider = "alibaba-ice"
    status_table = STATUS_MAP
    documented_statuses = frozenset(
        {"Initialization", "AudioDetecting", "PreTraining", "Training", "Success", "Fail"}
    )

    @pytest.mark.xfail(
        strict=True,
        reason="an unsigned request gets MissingAccessKeyId (HTTP 400), which the ICE error "
        "table maps to ProviderError, not AuthenticationError (reported; remove when fixed)",
    )
    def test_unsigned_request_is_rejected(self, wire: Wire, emulator: Emulator) -> None:
        super().test_unsigned_request_is_rejected(wire, emulator)
