"""The Acme Voice v2 protocol as data: statuses, error statuses, limits and the signature.

Acme Voice is fictional; this module is its "API reference". Both the adapter and the emulator
read it, the way a real plugin's adapter and emulator both follow the vendor's documentation.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from types import MappingProxyType
from urllib.parse import quote

import httpx

from voiceclone import (
    AuthenticationError,
    ConflictError,
    JobStatus,
    NotFoundError,
    PermissionDeniedError,
    ProviderError,
    RateLimitError,
    ServiceUnavailableError,
    VoiceCloneError,
)

__all__ = [
    "ALGORITHM",
    "DEFAULT_PAGE_SIZE",
    "ERROR_TABLE",
    "LOCALES",
    "MAX_PAGE_SIZE",
    "PROVIDER_ID",
    "REGIONS",
    "STATUS_TABLE",
    "VOICE_TYPES",
    "canonical_query",
    "sign",
    "string_to_sign",
]

PROVIDER_ID = "acme-voice"
REGIONS: Mapping[str, str] = MappingProxyType(
    {
        "us-east": "https://api.us-east.acmevoice.example",
        "eu-west": "https://api.eu-west.acmevoice.example",
    }
)
VOICE_TYPES = ("instant", "professional")
"""Acme's editions (``voice_type``); ``instant`` is the default."""
LOCALES = ("en-US", "en-GB", "de-DE", "ja-JP")
MAX_PAGE_SIZE = 50
DEFAULT_PAGE_SIZE = 20
ALGORITHM = "ACME-HMAC-SHA256"

STATUS_TABLE: Mapping[str, JobStatus] = MappingProxyType(
    {
        "draft": JobStatus.CREATED,
        "moderating": JobStatus.REVIEWING,
        "queued": JobStatus.QUEUED,
        "training": JobStatus.TRAINING,
        "ready": JobStatus.SUCCEEDED,
        "rejected": JobStatus.ACTION_REQUIRED,
        "errored": JobStatus.FAILED,
    }
)
"""Every documented Acme ``status`` and its neutral status; any other value is UNKNOWN."""

ERROR_TABLE: Mapping[str, type[VoiceCloneError]] = MappingProxyType(
    {
        "INVALID_ARGUMENT": ProviderError,
        "UNAUTHENTICATED": AuthenticationError,
        "PERMISSION_DENIED": PermissionDeniedError,
        "NOT_FOUND": NotFoundError,
        "FAILED_PRECONDITION": ConflictError,
        "ALREADY_EXISTS": ConflictError,
        "RESOURCE_EXHAUSTED": RateLimitError,
        "UNAVAILABLE": ServiceUnavailableError,
        "INTERNAL": ServiceUnavailableError,
        "DEADLINE_EXCEEDED": ServiceUnavailableError,
    }
)
"""Acme's ``error.status`` values and their neutral classes."""


def _encode(text: str) -> str:
    return quote(text, safe="-_.~")


def canonical_query(url: httpx.URL) -> str:
    """The query as signed: every pair percent-encoded (RFC 3986), sorted, joined by ``&``."""
    pairs = sorted((_encode(k), _encode(v)) for k, v in url.params.multi_items())
    return "&".join(f"{k}={v}" for k, v in pairs)


def string_to_sign(request: httpx.Request, date: str, nonce: str) -> str:
    """What ``ACME-HMAC-SHA256`` signs: method, path, query, date, nonce and body hash."""
    body_hash = hashlib.sha256(request.content).hexdigest()
    path = request.url.raw_path.split(b"?", 1)[0].decode("ascii")
    parts = (ALGORITHM, request.method.upper(), path, canonical_query(request.url))
    return "\n".join((*parts, date, nonce, body_hash))


def sign(secret: str, text: str) -> str:
    """The hex HMAC-SHA256 of ``text`` under ``secret``."""
    return hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()
