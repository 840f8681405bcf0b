"""voiceclone_ice: the Alibaba Cloud ICE (Intelligent Media Services) adapter for voiceclone.

Provider id ``alibaba-ice`` (aliases ``alibaba``, ``aliyun``, ``ice``), registered through the
``voiceclone.providers`` entry point. Importing this package is cheap: the adapter, and the
``aliyunsdkcore`` signing code, load when a provider is first created or a request first signed.
``docs/providers/alibaba-ice.md`` is the guide.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from voiceclone.adapter import ProviderSpec
from voiceclone_ice._api import CAPABILITIES, PROVIDER_ID, SETTINGS

if TYPE_CHECKING:
    from voiceclone.adapter import Emulator
    from voiceclone_ice._adapter import IceProvider

__all__ = ["PROVIDER"]


def _create(**settings: Any) -> IceProvider:
    from voiceclone_ice._settings import create

    return create(**settings)


def _emulator(**options: Any) -> Emulator:
    from voiceclone_ice._emulator import IceEmulator

    return IceEmulator(**options)


PROVIDER = ProviderSpec(
    id=PROVIDER_ID,
    aliases=("alibaba", "aliyun", "ice"),
    summary="Alibaba Cloud ICE customized voice (human voice cloning): Basic, Standard, CosyVoice",
    capabilities=CAPABILITIES,
    settings=SETTINGS,
    create=_create,
    emulator=_emulator,
)
