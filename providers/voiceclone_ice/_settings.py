"""Building an :class:`~voiceclone_ice._adapter.IceProvider` from settings and the environment.

Credentials come from the settings, else from ``ALIBABA_CLOUD_ACCESS_KEY_ID`` /
``ALIBABA_CLOUD_ACCESS_KEY_SECRET`` (with ``ALIBABA_CLOUD_SECURITY_TOKEN`` for STS), else from
``ALIYUN_ACCESS_KEY_ID`` / ``ALIYUN_ACCESS_KEY_SECRET``. A token is only taken from the same
place as the key pair it belongs to.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from voiceclone import ValidationError
from voiceclone_ice._adapter import IceProvider
from voiceclone_ice._api import DEFAULT_REGION, PROVIDER_ID, REGIONS, SETTINGS, endpoint_for
from voiceclone_ice._auth import Credentials

__all__ = ["ENDPOINT_VARIABLE", "create"]


ENDPOINT_VARIABLE = "VOICECLONE_ALIBABA_ENDPOINT"
"""The environment variable read when no ``endpoint`` setting is given (the emulator sets it)."""

_ENV_SOURCES = (
    (
        "ALIBABA_CLOUD_ACCESS_KEY_ID",
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        "ALIBABA_CLOUD_SECURITY_TOKEN",
    ),
    ("ALIYUN_ACCESS_KEY_ID", "ALIYUN_ACCESS_KEY_SECRET", None),
)


_HOST_LABEL = re.compile(r"(?!-)[A-Za-z0-9_-]{1,63}(?<!-)")


def _fail(field: str, rule: str) -> ValidationError:
    return ValidationError(field, rule, provider=PROVIDER_ID)


def _optional_text(settings: Mapping[str, Any], name: str) -> str | None:
    value = settings.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise _fail(name, f"must be a string, not {type(value).__name__}")
    return value


def _credentials(settings: Mapping[str, Any], env: Mapping[str, str]) -> Credentials:
    key_id = _optional_text(settings, "access_key_id")
    secret = _optional_text(settings, "access_key_secret")
    token = _optional_text(settings, "security_token")
    if key_id or secret:
        if not key_id:
            raise _fail("access_key_id", "is required with access_key_secret")
        if not secret:
            raise _fail("access_key_secret", "is required with access_key_id")
        return Credentials(key_id, secret, token)
    for id_name, secret_name, token_name in _ENV_SOURCES:
        key_id, secret = env.get(id_name), env.get(secret_name)
        if key_id and secret:
            env_token = env.get(token_name) if token_name else None
            return Credentials(key_id, secret, token or env_token or None)
        if key_id or secret:
            missing = secret_name if key_id else id_name
            raise _fail("access_key_id", f"{missing} is not set (the pair is incomplete)")
    raise _fail(
        "access_key_id",
        "no credentials: pass access_key_id and access_key_secret, or set "
        "ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    )


def _endpoint(value: str) -> str:
    """``value`` if it is an absolute http(s) URL with a valid host, without the trailing
    slash; else a ``ValidationError`` naming ``endpoint`` and what is wrong.

    The host must be a DNS name (letters, digits, ``-``, ``_``; dot-separated labels of at most
    63 characters) or an IP address; no spaces or control characters anywhere, no
    ``user:password@``, no query and no fragment (the signed query is appended to it).
    """
    if any(char.isspace() or unicodedata.category(char) == "Cc" for char in value):
        raise _fail("endpoint", "must not contain spaces or control characters")
    scheme, _, rest = value.partition("://")
    if "@" in rest.split("/", 1)[0]:
        raise _fail("endpoint", "must not carry user:password@ (credentials are settings)")
    if scheme.lower() not in ("http", "https"):
        raise _fail("endpoint", f"{value!r} is not an http(s) URL with a host")
    if "?" in value or "#" in value:
        raise _fail("endpoint", "must not carry a query or a fragment")
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:
        raise _fail("endpoint", f"{value!r} is not a URL ({exc})") from exc
    if not _valid_host(parts.hostname or ""):
        raise _fail("endpoint", f"{value!r} has no valid host name or IP address")
    if port == 0:
        raise _fail("endpoint", "port must be between 1 and 65535")
    return value.rstrip("/")


def _valid_host(host: str) -> bool:
    import ipaddress  # only needed here; keeps the package import cheap

    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    labels = ascii_host.removesuffix(".").split(".")
    return len(ascii_host) <= 253 and all(_HOST_LABEL.fullmatch(label) for label in labels)


def create(**settings: Any) -> IceProvider:
    """The ICE adapter for ``settings`` (see :data:`SETTINGS`); raises ``ValidationError`` for
    an unknown or bad setting and for missing credentials, before any request."""
    for name in settings:
        if name not in SETTINGS:
            raise _fail(name, f"is not an {PROVIDER_ID} setting; use {', '.join(SETTINGS)}")
    env = settings.get("env")
    if env is None:
        env = os.environ
    if not isinstance(env, Mapping):
        raise _fail("env", "must be a mapping of environment variables")
    region = _optional_text(settings, "region") or DEFAULT_REGION
    endpoint = _optional_text(settings, "endpoint") or env.get(ENDPOINT_VARIABLE) or None
    if endpoint is None:
        if region not in REGIONS:
            raise _fail(
                "region",
                f"{region!r} is not an ICE region; use one of {', '.join(REGIONS)} "
                "or give an endpoint",
            )
        endpoint = endpoint_for(region)
    else:
        endpoint = _endpoint(endpoint)
    return IceProvider(_credentials(settings, env), region=region, endpoint=endpoint)
