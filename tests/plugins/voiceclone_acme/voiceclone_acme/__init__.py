"""voiceclone-acme: an example voiceclone plugin for the fictional Acme Voice API.

Provider id ``acme-voice`` (alias ``acme``), registered through the ``voiceclone.providers``
entry point in this distribution's ``pyproject.toml``. It shows the whole plugin contract on a
vendor unlike the built-in two: cursor-token paging, HMAC signing with nonces, its own statuses
and error shape, a vendor-only call (:meth:`AcmeProvider.get_quota`) and an emulator.

Importing this package is cheap: the adapter and the emulator load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from voiceclone.adapter import Capabilities, CursorToken, ProviderSpec, SortOrder
from voiceclone_acme._protocol import (
    ERROR_TABLE,
    LOCALES,
    MAX_PAGE_SIZE,
    PROVIDER_ID,
    REGIONS,
    STATUS_TABLE,
    VOICE_TYPES,
)

if TYPE_CHECKING:
    from voiceclone_acme._adapter import AcmeProvider
    from voiceclone_acme._emulator import AcmeEmulator

__all__ = [
    "CAPABILITIES",
    "ERROR_TABLE",
    "PROVIDER",
    "SETTINGS",
    "STATUS_TABLE",
    "AcmeEmulator",
    "AcmeProvider",
]

CAPABILITIES = Capabilities(
    paging=CursorToken(max_size=MAX_PAGE_SIZE),
    pushed_down_filters=frozenset({"statuses", "edition", "created_since", "created_until"}),
    orders=(SortOrder.NEWEST_FIRST,),
    editions=VOICE_TYPES,
    default_edition=VOICE_TYPES[0],
    regions=tuple(REGIONS),
    languages=LOCALES,
    max_voice_name_length=64,
)
"""What the Acme adapter can do. ``voice_name`` and ``updated_*`` are filtered by the client."""

SETTINGS = {
    "region": "us-east (default) or eu-west (env ACME_VOICE_REGION)",
    "endpoint": "base URL overriding the region's (env ACME_VOICE_ENDPOINT)",
    "key_id": "HMAC key id (env ACME_VOICE_KEY_ID)",
    "key_secret": "HMAC key secret (env ACME_VOICE_KEY_SECRET)",
    "token": "API token, used instead of the HMAC key (env ACME_VOICE_TOKEN)",
    "env": "mapping to read the environment variables from (default os.environ)",
}


def _create(**settings: Any) -> AcmeProvider:
    from voiceclone_acme._adapter import AcmeProvider, Settings

    return AcmeProvider(Settings.resolve(**settings), CAPABILITIES)


def _emulator(**options: Any) -> AcmeEmulator:
    from voiceclone_acme._emulator import AcmeEmulator

    return AcmeEmulator(**options)


def __getattr__(name: str) -> Any:
    """``AcmeProvider`` and ``AcmeEmulator`` on first use (PEP 562), keeping import cheap."""
    if name == "AcmeProvider":
        from voiceclone_acme._adapter import AcmeProvider

        return AcmeProvider
    if name == "AcmeEmulator":
        from voiceclone_acme._emulator import AcmeEmulator

        return AcmeEmulator
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


PROVIDER = ProviderSpec(
    id=PROVIDER_ID,
    aliases=("acme",),
    summary="Acme Voice (example plugin): cursor paging, HMAC signing",
    capabilities=CAPABILITIES,
    settings=SETTINGS,
    create=_create,
    emulator=_emulator,
)
"""The ``acme-voice`` provider, as registered in the ``voiceclone.providers`` group."""
