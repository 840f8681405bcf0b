"""Building an :class:`~voiceclone_ice._adapter.IceProvider` from settings and the environment.

Credentials come from the settings, else from ``ALIBABA_CLOUD_ACCESS_KEY_ID`` /
``ALIBABA_CLOUD_ACCESS_KEY_SECRET`` (with ``ALIBABA_CLOUD_SECURITY_TOKEN`` for STS), else from
``ALIYUN_ACCESS_KEY_ID`` / ``ALIYUN_ACCESS_KEY_SECRET``. A token is only taken from the same
place as the key pair it belongs to.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from voiceclone import ValidationError
from voiceclone.adapter import check_endpoint
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
        endpoint = check_endpoint(endpoint, PROVIDER_ID)
    return IceProvider(_credentials(settings, env), region=region, endpoint=endpoint)
