"""Placeholder: the alibaba-ice adapter is being written (see its issue)."""

from voiceclone.adapter import Capabilities, ProviderSpec

__all__ = ["PROVIDER"]


def _create(**settings: object) -> object:
    raise NotImplementedError("alibaba-ice adapter not yet written")


PROVIDER = ProviderSpec(id="alibaba-ice", create=_create, capabilities=Capabilities())  # type: ignore[arg-type]
