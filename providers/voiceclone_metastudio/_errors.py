"""MetaStudio error replies as neutral errors, and reading JSON bodies safely.

An error reply is ``{"error_code": "MSS.xxxxxxxx", "error_msg": "..."}`` (``APIGW.`` codes come
from the API gateway). Like the official SDK, ``errorCode``/``errorMsg``, ``code``/``message``
and one level of nesting (``{"error": {...}}``) are read too. The vendor code decides the class
when :data:`ERROR_TABLE` knows it; otherwise the HTTP status does. The request id comes from the
``X-Request-Id`` header (else from a ``request_id`` in the body).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import httpx

from voiceclone import (
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    ProviderError,
    ProviderResponseError,
    RateLimitError,
    ServiceUnavailableError,
    VoiceCloneError,
)
from voiceclone.adapter import error_class_for_status, retry_after_of

__all__ = [
    "ERROR_TABLE",
    "PROVIDER_ID",
    "error_from_response",
    "malformed",
    "read_json",
    "request_id_of",
]

PROVIDER_ID = "huawei-metastudio"

_GATEWAY: dict[str, type[VoiceCloneError]] = {
    "0101": NotFoundError,  # the API does not exist or is not published
    "0201": ProviderError,  # bad request (too large, malformed)
    "0202": ServiceUnavailableError,  # backend unavailable
    "0203": ServiceUnavailableError,  # backend timeout
    "0301": AuthenticationError,  # incorrect IAM authentication information
    "0302": PermissionDeniedError,  # IAM user not authorized for the API
    "0303": AuthenticationError,  # incorrect app authentication information
    "0304": PermissionDeniedError,  # app not authorized for the API
    "0305": AuthenticationError,  # incorrect authentication information
    "0306": PermissionDeniedError,  # API access denied
    "0307": AuthenticationError,  # the token must be updated
    "0308": RateLimitError,  # throttling threshold reached
    "0310": PermissionDeniedError,  # the project is unavailable
    "0401": PermissionDeniedError,  # unknown client IP address
    "0402": PermissionDeniedError,  # IP address not allowed
    "0601": ServiceUnavailableError,  # internal server error
}

ERROR_TABLE: Mapping[str, type[VoiceCloneError]] = MappingProxyType(
    {
        "MSS.00010008": AuthenticationError,  # invalid token in the header
        "MSS.00010009": PermissionDeniedError,  # urlTenantId is not equal tokenTenantId
        **{f"APIGW.{suffix}": cls for suffix, cls in _GATEWAY.items()},
        **{f"APIG.{suffix}": cls for suffix, cls in _GATEWAY.items()},
    }
)
"""Vendor error codes with a neutral class of their own. Other codes (``MSS.00000003`` invalid
parameter, ...) are classed by HTTP status: a plain ``ProviderError`` for other 4xx."""

_CODE_KEYS = (("error_code", "error_msg"), ("errorCode", "errorMsg"), ("code", "message"))


def request_id_of(response: httpx.Response, body: object = None) -> str | None:
    """The request id: ``X-Request-Id`` header, else a string ``request_id`` in the body."""
    header = response.headers.get("X-Request-Id")
    if header:
        return str(header)
    found = body.get("request_id") if isinstance(body, Mapping) else None
    return found if isinstance(found, str) else None


def malformed(
    response: httpx.Response, problem: str, *, retryable: bool = False
) -> ProviderResponseError:
    """A ``ProviderResponseError`` for a reply that is not the documented shape."""
    return ProviderResponseError(
        f"unexpected MetaStudio reply: {problem}",
        provider=PROVIDER_ID,
        status_code=response.status_code,
        request_id=request_id_of(response),
        retryable=retryable,
    )


def read_json(response: httpx.Response) -> Any:
    """The JSON body of a successful reply. A body that is not JSON (empty, truncated, HTML) is
    a retryable ``ProviderResponseError``: it is most likely damaged in transit."""
    try:
        return json.loads(response.content)
    except (ValueError, RecursionError):  # RecursionError: nesting deeper than the decoder allows
        raise malformed(response, "the body is not JSON", retryable=True) from None


def _find_code(body: object, depth: int = 0) -> tuple[str | None, str | None]:
    if not isinstance(body, Mapping) or depth > 2:
        return None, None
    for code_key, message_key in _CODE_KEYS:
        code, message = body.get(code_key), body.get(message_key)
        if isinstance(code, str) and code:
            return code, message if isinstance(message, str) else None
    for value in body.values():
        code, message = _find_code(value, depth + 1)
        if code is not None:
            return code, message
    return None, None


def _class_for(status: int, code: str | None, parsed: bool) -> type[VoiceCloneError]:
    if code is not None and code in ERROR_TABLE:
        return ERROR_TABLE[code]
    cls = error_class_for_status(status)
    return ProviderResponseError if cls is ProviderError and not parsed else cls


def error_from_response(response: httpx.Response) -> VoiceCloneError:
    """The neutral error for an error reply (status >= 400). Never raises."""
    status = response.status_code
    try:
        body: object = json.loads(response.content)
        parsed = isinstance(body, Mapping)
    except (ValueError, RecursionError):  # RecursionError: nesting deeper than the decoder allows
        body, parsed = None, False
    code, message = _find_code(body)
    if message is None:
        text = response.content[:200].decode("utf-8", "replace").strip()
        message = text or response.reason_phrase or f"HTTP {status}"
    cls = _class_for(status, code, parsed)
    details: dict[str, Any] = {
        "provider": PROVIDER_ID,
        "status_code": status,
        "code": code,
        "request_id": request_id_of(response, body),
    }
    if cls is RateLimitError:
        return RateLimitError(message, retry_after=retry_after_of(response), **details)
    return cls(message, **details)
