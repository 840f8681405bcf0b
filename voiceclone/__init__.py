"""voiceclone: voice-cloning (voice-training) jobs on several clouds, one neutral model.

``import voiceclone`` loads no adapter and no vendor package: providers are found through the
``voiceclone.providers`` entry points and imported on first use. Adapter authors start at
:mod:`voiceclone.adapter`; test authors at :mod:`voiceclone.testing`.
"""

from voiceclone._async_client import AsyncClient
from voiceclone._capabilities import Capabilities, SortOrder
from voiceclone._client import Client
from voiceclone._converter import from_dict, to_dict
from voiceclone._errors import (
    AuthenticationError,
    ConflictError,
    JobFailedError,
    NotFoundError,
    PermissionDeniedError,
    ProviderError,
    ProviderNotFound,
    ProviderResponseError,
    RateLimitError,
    ServiceUnavailableError,
    TimeoutError,
    TransportError,
    UnsupportedOperation,
    ValidationError,
    VoiceCloneError,
    WaitTimeoutError,
)
from voiceclone._models import (
    CreatedJob,
    Failure,
    Gender,
    JobQuery,
    JobStatus,
    NewJob,
    Page,
    UploadTarget,
    VoiceCloningJob,
)
from voiceclone._paging import CursorToken, OffsetLimit, PageNumber
from voiceclone._provider import ProviderSpec
from voiceclone._registry import providers, register_provider, resolve_provider
from voiceclone._retry import RetryPolicy
from voiceclone._timeout import Timeout

__version__ = "0.1.0"

__all__ = [
    "AsyncClient",
    "AuthenticationError",
    "Capabilities",
    "Client",
    "ConflictError",
    "CreatedJob",
    "CursorToken",
    "Failure",
    "Gender",
    "JobFailedError",
    "JobQuery",
    "JobStatus",
    "NewJob",
    "NotFoundError",
    "OffsetLimit",
    "Page",
    "PageNumber",
    "PermissionDeniedError",
    "ProviderError",
    "ProviderNotFound",
    "ProviderResponseError",
    "ProviderSpec",
    "RateLimitError",
    "RetryPolicy",
    "ServiceUnavailableError",
    "SortOrder",
    "Timeout",
    "TimeoutError",
    "TransportError",
    "UnsupportedOperation",
    "UploadTarget",
    "ValidationError",
    "VoiceCloneError",
    "VoiceCloningJob",
    "WaitTimeoutError",
    "from_dict",
    "providers",
    "register_provider",
    "resolve_provider",
    "to_dict",
]
