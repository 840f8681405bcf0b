"""Huawei Cloud MetaStudio voice training for voiceclone (provider id ``huawei-metastudio``).

Registered through the ``voiceclone.providers`` entry point as :data:`PROVIDER`. Importing this
package is cheap: it defines the spec and capabilities; the adapter (models, converter,
signing) is imported on first use of a name below or of ``PROVIDER.create``.

Public surface:

* :data:`PROVIDER`, :data:`CAPABILITIES`, :data:`SETTINGS`, :data:`REGIONS`
* :class:`MetaStudioProvider`: the neutral operations plus every vendor operation as a typed
  ``Call`` (``show_job_audit_result``, ``confirm_training_segment``, ``create_short_job`` ...)
* :class:`AkSkAuth`, :class:`TokenAuth`: the ``httpx.Auth`` objects (``SDK-HMAC-SHA256``, IAM
  token)
* :func:`job_from_wire`, :data:`STATE_TO_STATUS`, :data:`ERROR_TABLE`
* the wire models (``TrainingJobInfo``, ``JobAuditResult``, ``OperationLog`` ...)

``docs/providers/huawei-metastudio.md`` is the guide.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from voiceclone.adapter import ProviderSpec
from voiceclone_metastudio._capabilities import CAPABILITIES
from voiceclone_metastudio._settings import REGIONS, SETTINGS

if TYPE_CHECKING:
    from voiceclone.adapter import Emulator
    from voiceclone_metastudio._errors import ERROR_TABLE
    from voiceclone_metastudio._jobs import job_from_wire
    from voiceclone_metastudio._provider import MetaStudioProvider
    from voiceclone_metastudio._settings import Settings
    from voiceclone_metastudio._signing import AkSkAuth, TokenAuth
    from voiceclone_metastudio._status import STATE_TO_STATUS
    from voiceclone_metastudio._wire import (
        AllocatedResource,
        AssessProperty,
        AssessResult,
        AttachmentUploadingAddress,
        AuditError,
        CommitJobReq,
        CreatedShortJob,
        CreatedTrainingJob,
        CreateShortJobReq,
        CreateTrainingJobReq,
        JobAuditResult,
        JobUploadingAddress,
        ManualAuditResult,
        OperationLog,
        OperationLogExternalInfo,
        OperationLogItem,
        PackageUploadingUrl,
        ResourceAvailableNums,
        ReviewAttachmentAddresses,
        SegmentConfirmation,
        SegmentUploadingUrls,
        SetJobBatchNameReq,
        ShortJob,
        SystemAuditResult,
        TenantDurationConfig,
        TrainingJobInfo,
        TrainingJobList,
        TrainingSegmentInfo,
        VoiceTrainingQuotas,
        VoiceTrainingResource,
    )

__all__ = [
    "CAPABILITIES",
    "ERROR_TABLE",
    "PROVIDER",
    "REGIONS",
    "SETTINGS",
    "STATE_TO_STATUS",
    "AkSkAuth",
    "AllocatedResource",
    "AssessProperty",
    "AssessResult",
    "AttachmentUploadingAddress",
    "AuditError",
    "CommitJobReq",
    "CreateShortJobReq",
    "CreateTrainingJobReq",
    "CreatedShortJob",
    "CreatedTrainingJob",
    "JobAuditResult",
    "JobUploadingAddress",
    "ManualAuditResult",
    "MetaStudioProvider",
    "OperationLog",
    "OperationLogExternalInfo",
    "OperationLogItem",
    "PackageUploadingUrl",
    "ResourceAvailableNums",
    "ReviewAttachmentAddresses",
    "SegmentConfirmation",
    "SegmentUploadingUrls",
    "SetJobBatchNameReq",
    "Settings",
    "ShortJob",
    "SystemAuditResult",
    "TenantDurationConfig",
    "TokenAuth",
    "TrainingJobInfo",
    "TrainingJobList",
    "TrainingSegmentInfo",
    "VoiceTrainingQuotas",
    "VoiceTrainingResource",
    "job_from_wire",
]

_LAZY = {
    "ERROR_TABLE": "_errors",
    "job_from_wire": "_jobs",
    "MetaStudioProvider": "_provider",
    "Settings": "_settings",
    "AkSkAuth": "_signing",
    "TokenAuth": "_signing",
    "STATE_TO_STATUS": "_status",
}


def __getattr__(name: str) -> Any:
    """Import the adapter's names on first use (PEP 562), keeping ``import`` cheap."""
    if name in _LAZY:
        module = _LAZY[name]
    elif name in __all__:
        module = "_wire"
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def _create(**settings: Any) -> MetaStudioProvider:
    from voiceclone_metastudio._provider import MetaStudioProvider

    return MetaStudioProvider.from_settings(**settings)


def _emulator(**options: Any) -> Emulator:
    from voiceclone_metastudio._emulator import MetaStudioEmulator  # type: ignore[import-not-found,unused-ignore]

    return MetaStudioEmulator(**options)  # type: ignore[no-any-return,unused-ignore]


PROVIDER = ProviderSpec(
    id="huawei-metastudio",
    aliases=("huawei", "metastudio"),
    summary="Huawei Cloud MetaStudio voice training (BASIC, MIDDLE, ADVANCE, THIRD_PARTY)",
    capabilities=CAPABILITIES,
    settings=SETTINGS,
    create=_create,
    emulator=_emulator,
)
"""The ``huawei-metastudio`` provider, as registered in the ``voiceclone.providers`` group."""
