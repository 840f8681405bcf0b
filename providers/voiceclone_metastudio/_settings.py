"""Settings of the MetaStudio adapter: region, endpoint, project and credentials.

Each setting comes from its keyword argument, else from the environment (``env``, default
``os.environ``). A missing credential, an unknown setting or a bad value is a
``ValidationError`` naming the setting, raised before any request.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

import attrs

from voiceclone import ValidationError
from voiceclone.adapter import check_endpoint
from voiceclone_metastudio._errors import PROVIDER_ID

__all__ = ["DEFAULT_REGION", "ENV", "REGIONS", "SETTINGS", "Settings", "resolve_settings"]

REGIONS: Mapping[str, str] = {
    "cn-north-4": "https://metastudio.cn-north-4.myhuaweicloud.com",
    "cn-east-3": "https://metastudio.cn-east-3.myhuaweicloud.com",
}
"""Region ids and their endpoints (SDK 3.1.219 ``MetaStudioRegion``)."""
DEFAULT_REGION = "cn-north-4"

ENV: Mapping[str, tuple[str, ...]] = {
    "ak": ("HUAWEICLOUD_SDK_AK", "CLOUD_SDK_AK"),
    "sk": ("HUAWEICLOUD_SDK_SK", "CLOUD_SDK_SK"),
    "project_id": ("HUAWEICLOUD_SDK_PROJECT_ID",),
    "security_token": ("HUAWEICLOUD_SDK_SECURITY_TOKEN",),
    "region": ("VOICECLONE_HUAWEI_REGION", "HUAWEICLOUD_SDK_REGION"),
    "endpoint": ("VOICECLONE_HUAWEI_ENDPOINT",),
    "auth_token": ("VOICECLONE_HUAWEI_AUTH_TOKEN",),
    "app_user_id": ("VOICECLONE_HUAWEI_APP_USER_ID",),
}
"""The environment variables each setting is read from, first match wins. The endpoint is
also read from the SDK's ``HUAWEICLOUD_SDK_REGION_METASTUDIO_<REGION>`` (first URL)."""

SETTINGS: Mapping[str, str] = {
    "region": "region id: cn-north-4 (default) or cn-east-3",
    "endpoint": "base URL overriding the region's endpoint (emulator, proxy, VPC endpoint)",
    "ak": "access key id (env HUAWEICLOUD_SDK_AK or CLOUD_SDK_AK)",
    "sk": "secret access key (env HUAWEICLOUD_SDK_SK or CLOUD_SDK_SK)",
    "security_token": "security token of temporary AK/SK (env HUAWEICLOUD_SDK_SECURITY_TOKEN)",
    "project_id": "project id, part of every path (env HUAWEICLOUD_SDK_PROJECT_ID)",
    "auth_token": "IAM user token, used instead of AK/SK (env VOICECLONE_HUAWEI_AUTH_TOKEN)",
    "app_user_id": "X-App-UserId, a third-party user id in ASCII "
    "(env VOICECLONE_HUAWEI_APP_USER_ID)",
    "env": "mapping to read the environment variables from (default os.environ)",
}
"""Every setting the factory accepts, with help text."""

_PRINTABLE_ASCII = re.compile(r"^[\x20-\x7e]+$")


@attrs.frozen(slots=True)
class Settings:
    """Resolved settings. Secrets are kept out of ``repr``."""

    region: str
    endpoint: str
    project_id: str
    ak: str | None = attrs.field(default=None, repr=False)
    sk: str | None = attrs.field(default=None, repr=False)
    security_token: str | None = attrs.field(default=None, repr=False)
    auth_token: str | None = attrs.field(default=None, repr=False)
    app_user_id: str | None = None


def _invalid(field: str, rule: str) -> ValidationError:
    return ValidationError(field, rule, provider=PROVIDER_ID)


def _pick(name: str, given: Mapping[str, Any], env: Mapping[str, str]) -> str | None:
    value = given.get(name)
    if value is None:
        value = next((env[var] for var in ENV[name] if env.get(var)), None)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _invalid(name, f"must be a string, not {type(value).__name__}")
    value = value.strip()
    if not value:
        raise _invalid(name, "must not be empty")
    return value


def _endpoint(value: str | None, region: str, env: Mapping[str, str]) -> str:
    if value is None:
        sdk_var = "HUAWEICLOUD_SDK_REGION_METASTUDIO_" + region.upper().replace("-", "_")
        listed = [url.strip() for url in env.get(sdk_var, "").split(",") if url.strip()]
        value = listed[0] if listed else None
    if value is None:
        if region not in REGIONS:
            known = ", ".join(REGIONS)
            raise _invalid("region", f"{region!r} is not a MetaStudio region; use one of {known}")
        return REGIONS[region]
    if "://" not in value:
        value = "https://" + value
    return check_endpoint(value, PROVIDER_ID)


def resolve_settings(**given: Any) -> Settings:
    """Settings from keyword arguments and the environment; see :data:`SETTINGS`."""
    unknown = sorted(set(given) - set(SETTINGS))
    if unknown:
        raise _invalid(
            ", ".join(unknown), f"unknown setting; known settings are {', '.join(SETTINGS)}"
        )
    env = given.get("env")
    if env is None:
        env = os.environ
    elif not isinstance(env, Mapping):
        raise _invalid("env", "must be a mapping of environment variables")
    values = {name: _pick(name, given, env) for name in ENV}
    region = values["region"] or DEFAULT_REGION
    endpoint = _endpoint(values["endpoint"], region, env)
    project_id = values["project_id"]
    if project_id is None:
        rule = "is required: pass project_id= or set HUAWEICLOUD_SDK_PROJECT_ID"
        raise _invalid("project_id", rule)
    app_user_id = values["app_user_id"]
    if app_user_id is not None and not _PRINTABLE_ASCII.match(app_user_id):
        raise _invalid("app_user_id", "must be printable ASCII (Chinese characters not allowed)")
    if values["auth_token"] is None:
        for name in ("ak", "sk"):
            if values[name] is None:
                names = " or ".join(ENV[name])
                raise _invalid(
                    name, f"is required: pass {name}= or set {names} (or use auth_token=)"
                )
    return Settings(
        region=region,
        endpoint=endpoint,
        project_id=project_id,
        ak=values["ak"],
        sk=values["sk"],
        security_token=values["security_token"],
        auth_token=values["auth_token"],
        app_user_id=app_user_id,
    )
