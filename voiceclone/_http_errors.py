"""What an HTTP error status means when the vendor's own code does not say: shared by adapters.

Adapters look a vendor code up in their error table first; these are the fallbacks every vendor
shares (the status classes and the standard ``Retry-After`` header).
"""

from __future__ import annotations

import contextlib
import email.utils
import time
from types import MappingProxyType

import httpx

from voiceclone._errors import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ProviderError,
    RateLimitError,
    ServiceUnavailableError,
    VoiceCloneError,
)
from voiceclone._retry import parse_retry_after

__all__ = ["error_class_for_status", "retry_after_of"]

_BY_STATUS = MappingProxyType(
    {
        401: AuthenticationError,
        403: PermissionDeniedError,
        404: NotFoundError,
        409: ConflictError,
        429: RateLimitError,
    }
)


def error_class_for_status(status: int) -> type[VoiceCloneError]:
    """The neutral class for an HTTP error status alone: 401, 403, 404, 409, 429, any 5xx;
    ``ProviderError`` for the rest."""
    if status >= 500:
        return ServiceUnavailableError
    return _BY_STATUS.get(status, ProviderError)


def retry_after_of(response: httpx.Response) -> float | None:
    """``Retry-After`` in seconds: a number, or an HTTP date (against the reply's ``Date`` when
    it has one, else the local clock). None when absent or unreadable."""
    now = time.time()
    sent = response.headers.get("date")
    if sent:
        with contextlib.suppress(TypeError, ValueError, IndexError):
            now = email.utils.parsedate_to_datetime(sent).timestamp()
    return parse_retry_after(response.headers.get("retry-after"), now)
