"""Placeholder: the huawei-metastudio adapter is being written (see its issue)."""

from voiceclone.adapter import Capabilities, ProviderSpec

__all__ = ["PROVIDER"]


def _create(**settings: object) -> object:
    raise NotImplementedError("huawei-metastudio adapter not yet written")


PROVIDER = ProviderSpec(id="huawei-metastudio", create=_create, capabilities=Capabilities())  # type: ignore[arg-type]
