"""voiceclone_ice: the Alibaba Cloud ICE (Intelligent Media Services) adapter for voiceclone.

Provider id ``alibaba-ice`` (aliases ``alibaba``, ``aliyun``, ``ice``), registered through the
``voiceclone.providers`` entry point. Importing this package is cheap: the adapter, and the
``aliyunsdkcore`` signing code, load when a provider is first created, a request first signed,
or one of the names below is first used.

Public surface:

* :data:`PROVIDER`, :data:`CAPABILITIES`, :data:`SETTINGS`, :data:`REGIONS`, :data:`EDITIONS`
* :class:`IceProvider`: the neutral operations plus all 12 customized-voice actions as typed
  ``Call`` objects, and ``find_job_by_voice_id`` for recovering a create
* :class:`IceAuth`: the ``httpx.Auth`` (RPC signature v1 through ``aliyunsdkcore``)
* :func:`job_from_record`, :data:`STATUS_MAP`, :data:`ERROR_TABLE`
* the request models (checked before sending) and the reply models

``docs/providers/alibaba-ice.md`` is the guide.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from voiceclone.adapter import ProviderSpec
from voiceclone_ice._api import CAPABILITIES, EDITIONS, PROVIDER_ID, REGIONS, SETTINGS

if TYPE_CHECKING:
    from voiceclone.adapter import Emulator
    from voiceclone_ice._adapter import IceProvider
    from voiceclone_ice._auth import IceAuth
    from voiceclone_ice._errors import ERROR_TABLE
    from voiceclone_ice._jobs import STATUS_MAP, job_from_record
    from voiceclone_ice._requests import (
        GENDERS,
        SCENARIOS,
        CreateCustomizedVoiceJobRequest,
        DeleteCustomizedVoiceJobRequest,
        DetectAudioForCustomizedVoiceJobRequest,
        GetCustomizedVoiceJobRequest,
        GetCustomizedVoiceRequest,
        GetDemonstrationForCustomizedVoiceJobRequest,
        IceRequest,
        ListCustomizedVoiceJobsRequest,
        ListCustomizedVoicesRequest,
        SubmitCosyVoiceCustomizedVoiceJobRequest,
        SubmitCustomizedVoiceJobRequest,
        SubmitStandardCustomizedVoiceJobRequest,
        UpdateCustomizedVoiceRequest,
        check_voice_id,
        media_ids,
    )
    from voiceclone_ice._wire import (
        Acknowledgement,
        AudioDetection,
        CustomizedVoice,
        CustomizedVoiceJob,
        CustomizedVoiceJobPage,
        CustomizedVoicePage,
        Demonstration,
        DemonstrationList,
        JobIdentity,
    )

__all__ = [
    "CAPABILITIES",
    "EDITIONS",
    "ERROR_TABLE",
    "GENDERS",
    "PROVIDER",
    "REGIONS",
    "SCENARIOS",
    "SETTINGS",
    "STATUS_MAP",
    "Acknowledgement",
    "AudioDetection",
    "CreateCustomizedVoiceJobRequest",
    "CustomizedVoice",
    "CustomizedVoiceJob",
    "CustomizedVoiceJobPage",
    "CustomizedVoicePage",
    "DeleteCustomizedVoiceJobRequest",
    "Demonstration",
    "DemonstrationList",
    "DetectAudioForCustomizedVoiceJobRequest",
    "GetCustomizedVoiceJobRequest",
    "GetCustomizedVoiceRequest",
    "GetDemonstrationForCustomizedVoiceJobRequest",
    "IceAuth",
    "IceProvider",
    "IceRequest",
    "JobIdentity",
    "ListCustomizedVoiceJobsRequest",
    "ListCustomizedVoicesRequest",
    "SubmitCosyVoiceCustomizedVoiceJobRequest",
    "SubmitCustomizedVoiceJobRequest",
    "SubmitStandardCustomizedVoiceJobRequest",
    "UpdateCustomizedVoiceRequest",
    "check_voice_id",
    "job_from_record",
    "media_ids",
]

_LAZY = {
    "Acknowledgement": "_wire",
    "AudioDetection": "_wire",
    "CreateCustomizedVoiceJobRequest": "_requests",
    "CustomizedVoice": "_wire",
    "CustomizedVoiceJob": "_wire",
    "CustomizedVoiceJobPage": "_wire",
    "CustomizedVoicePage": "_wire",
    "DeleteCustomizedVoiceJobRequest": "_requests",
    "Demonstration": "_wire",
    "DemonstrationList": "_wire",
    "DetectAudioForCustomizedVoiceJobRequest": "_requests",
    "ERROR_TABLE": "_errors",
    "GENDERS": "_requests",
    "GetCustomizedVoiceJobRequest": "_requests",
    "GetCustomizedVoiceRequest": "_requests",
    "GetDemonstrationForCustomizedVoiceJobRequest": "_requests",
    "IceAuth": "_auth",
    "IceProvider": "_adapter",
    "IceRequest": "_requests",
    "JobIdentity": "_wire",
    "ListCustomizedVoiceJobsRequest": "_requests",
    "ListCustomizedVoicesRequest": "_requests",
    "SCENARIOS": "_requests",
    "STATUS_MAP": "_jobs",
    "SubmitCosyVoiceCustomizedVoiceJobRequest": "_requests",
    "SubmitCustomizedVoiceJobRequest": "_requests",
    "SubmitStandardCustomizedVoiceJobRequest": "_requests",
    "UpdateCustomizedVoiceRequest": "_requests",
    "check_voice_id": "_requests",
    "job_from_record": "_jobs",
    "media_ids": "_requests",
}


def __getattr__(name: str) -> Any:
    """Import the adapter's names on first use (PEP 562), keeping ``import`` cheap."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    globals()[name] = value
    return value


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
