"""From command-line options and the environment to a connected :class:`voiceclone.Client`.

The endpoint comes from ``--endpoint``, else from ``VOICECLONE_<NAME>_ENDPOINT`` for the
provider's id or any alias (``VOICECLONE_HUAWEI_ENDPOINT``, ``VOICECLONE_ALIBABA_ICE_ENDPOINT``),
which is what ``voiceclone emulator`` prints. Credentials are left to the adapters, which read
their vendor's variables (``HUAWEICLOUD_SDK_AK``, ``ALIBABA_CLOUD_ACCESS_KEY_ID``, ...).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from voiceclone._cli._parser import UsageError
from voiceclone._provider import ProviderSpec
from voiceclone._registry import resolve_provider

if TYPE_CHECKING:
    from voiceclone import Client

__all__ = ["client_settings", "endpoint_variables", "open_client", "resolve"]


def resolve(name: str) -> ProviderSpec:
    """The provider for ``-p NAME`` (id or alias). Unknown names raise ``ProviderNotFound``."""
    return resolve_provider(name)


def endpoint_variables(spec: ProviderSpec) -> list[str]:
    """The environment variables that may hold ``spec``'s endpoint, most specific first."""
    return [f"VOICECLONE_{name.upper().replace('-', '_')}_ENDPOINT" for name in spec.names]


def client_settings(
    spec: ProviderSpec,
    *,
    endpoint: str | None,
    region: str | None,
    project_id: str | None,
    environ: Mapping[str, str],
) -> dict[str, Any]:
    """The keyword settings for ``Client(spec.id, **settings)``.

    ``--project-id`` for a provider without a ``project_id`` setting is a usage error.
    """
    settings: dict[str, Any] = {}
    if endpoint is None:
        endpoint = next((environ[v] for v in endpoint_variables(spec) if environ.get(v)), None)
    if endpoint is not None:
        settings["endpoint"] = endpoint
    if region is not None:
        settings["region"] = region
    if project_id is not None:
        if "project_id" not in spec.settings:
            raise UsageError(
                f"argument --project-id: provider {spec.id} has no project id "
                "(it is a Huawei Cloud setting)"
            )
        settings["project_id"] = project_id
    if "env" in spec.settings:
        settings["env"] = environ
    return settings


def open_client(
    spec: ProviderSpec,
    *,
    endpoint: str | None = None,
    region: str | None = None,
    project_id: str | None = None,
    environ: Mapping[str, str],
) -> Client:
    """A client for ``spec`` configured from the options and the environment."""
    from voiceclone import Client

    settings = client_settings(
        spec, endpoint=endpoint, region=region, project_id=project_id, environ=environ
    )
    return Client(spec.id, **settings)
