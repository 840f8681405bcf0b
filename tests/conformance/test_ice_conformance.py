"""The conformance kit on the built-in Alibaba Cloud ICE adapter."""

from voiceclone.testing.conformance import AdapterConformance
from voiceclone_ice import STATUS_MAP


class TestIceConformance(AdapterConformance):
    provider = "alibaba-ice"
    status_table = STATUS_MAP
    documented_statuses = frozenset(
        {"Initialization", "AudioDetecting", "PreTraining", "Training", "Success", "Fail"}
    )
