"""ICE error replies to the neutral error classes.

An error reply is ``{"RequestId", "HostId", "Code", "Message", "Recommend"}`` with an HTTP
error status; a reply with HTTP 200 and ``"Success": false`` is an error too. The class comes
from the vendor ``Code`` (exact match in :data:`ERROR_TABLE`, then by prefix, then by words in it),
else from the HTTP status. Throttling is often HTTP 400 at the gateway, so the code wins over
the status. ``x-acs-retry-after`` (milliseconds, as the vendor's Tea SDK reads it) or a standard
``Retry-After`` (seconds) becomes ``RateLimitError.retry_after`` in seconds.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import httpx

from voiceclone import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ProviderError,
    ProviderResponseError,
    RateLimitError,
    ServiceUnavailableError,
    VoiceCloneError,
)
from voiceclone.adapter import error_class_for_status, retry_after_of
from voiceclone_ice._api import PROVIDER_ID

__all__ = ["ERROR_TABLE", "error_class", "error_from_reply", "request_id_of", "retry_after"]

ERROR_TABLE: Mapping[str, type[VoiceCloneError]] = MappingProxyType(
    {
        "Throttling": RateLimitError,
        "Throttling.User": RateLimitError,
        "Throttling.Api": RateLimitError,
        "Throttling.Tenant": RateLimitError,
        "ServiceUnavailable": ServiceUnavailableError,
        "InternalError": ServiceUnavailableError,
        "UnknownError": ServiceUnavailableError,
        "SignatureDoesNotMatch": AuthenticationError,
        "IncompleteSignature": AuthenticationError,
        "SignatureNonceUsed": AuthenticationError,
        "InvalidAccessKeySecret": AuthenticationError,
        "InvalidTimeStamp.Format": AuthenticationError,
        "InvalidTimeStamp.Expired": AuthenticationError,
        "MissingSecurityToken": AuthenticationError,
        # an unsigned or half-signed request misses one of the signature's common parameters
        "MissingAccessKeyId": AuthenticationError,
        "MissingSignature": AuthenticationError,
        "MissingSignatureMethod": AuthenticationError,
        "MissingSignatureNonce": AuthenticationError,
        "MissingSignatureVersion": AuthenticationError,
        "MissingTimestamp": AuthenticationError,
        "Forbidden": PermissionDeniedError,
        "Forbidden.RAM": PermissionDeniedError,
        "Forbidden.RiskControl": PermissionDeniedError,
        "NoPermission": PermissionDeniedError,
        "NotFound": NotFoundError,
        "ResourceNotFound": NotFoundError,
        "InvalidApi.NotFound": ProviderError,
        "InvalidAction.NotFound": ProviderError,
        "InvalidProduct.NotFound": ProviderError,
        "InvalidProtocol.NeedSsl": ProviderError,
        "OperationDenied": ConflictError,
        "IncorrectStatus": ConflictError,
        "InvalidStatus": ConflictError,
    }
)
"""Vendor codes with a fixed neutral class. Prefixes and suffixes follow in ``error_class``."""

_PREFIXES: tuple[tuple[str, type[VoiceCloneError]], ...] = (
    ("Throttling.", RateLimitError),
    ("InvalidAccessKeyId", AuthenticationError),
    ("InvalidSecurityToken", AuthenticationError),
    ("Forbidden.", PermissionDeniedError),
    ("IncorrectStatus.", ConflictError),
    ("InvalidStatus.", ConflictError),
)
_PARTS: tuple[tuple[str, type[VoiceCloneError]], ...] = (
    ("NotFound", NotFoundError),
    ("NotExist", NotFoundError),
    ("Exist", ConflictError),
    ("Duplicate", ConflictError),
)
"""Words inside a code, checked in order: ``InvalidJobId.NotExist`` is "not found",
``InvalidParameter.VoiceIdExists`` or ``VoiceId.AlreadyExist`` a conflict."""


def error_class(code: str | None, status: int) -> type[VoiceCloneError]:
    """The neutral class for a vendor ``code`` (None when the reply had none) and HTTP status."""
    if code:
        exact = ERROR_TABLE.get(code)
        if exact is not None:
            return exact
        for prefix, cls in _PREFIXES:
            if code.startswith(prefix):
                return cls
        if code.startswith("Incorrect") and code.endswith("Status"):
            return ConflictError  # Alibaba's Incorrect{Resource}Status convention
        for part, cls in _PARTS:
            if part in code:
                return cls
    return error_class_for_status(status)


def retry_after(response: httpx.Response) -> float | None:
    """The wait the service asks for, in seconds: ``x-acs-retry-after`` (milliseconds) or the
    standard ``Retry-After``."""
    text = response.headers.get("x-acs-retry-after")
    if text:
        try:
            value = float(text)
        except ValueError:
            value = float("nan")
        if 0 < value < float("inf"):
            return value / 1000.0
    return retry_after_of(response)


def request_id_of(response: httpx.Response, body: Any) -> str | None:
    """The request id from the body (``RequestId``) or the ``x-acs-request-id`` header."""
    if isinstance(body, dict):
        value = body.get("RequestId", body.get("requestId"))
        if isinstance(value, str) and value:
            return value
    header = response.headers.get("x-acs-request-id")
    return header or None


def _text(body: Mapping[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = body.get(key)
        if isinstance(value, str) and value:
            return value
    return None


def _scrub(message: str | None) -> str | None:
    """The message without the echoed string to sign (it holds the AccessKeyId and any token)."""
    if message is None:
        return None
    cut = message.lower().find("string to sign")
    if cut < 0:
        return message
    return message[:cut].rstrip(" :,;") + " (string to sign withheld)"


def error_from_reply(response: httpx.Response, body: Any) -> VoiceCloneError:
    """The neutral error for an error reply (``body`` is the decoded JSON, or None)."""
    fields = body if isinstance(body, dict) else {}
    code = _text(fields, "Code", "code")
    message = _scrub(_text(fields, "Message", "message"))
    status = response.status_code
    cls = error_class(code, status)
    if message is None:
        message = "the service reported Success: false" if status < 400 else f"HTTP {status}"
    kwargs: dict[str, Any] = {
        "provider": PROVIDER_ID,
        "status_code": status,
        "code": code,
        "request_id": request_id_of(response, body),
    }
    if issubclass(cls, RateLimitError):
        return RateLimitError(message, retry_after=retry_after(response), **kwargs)
    if cls is ProviderResponseError:
        return ProviderResponseError(message, **kwargs)
    return cls(message, **kwargs)
