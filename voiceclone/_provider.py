"""The adapter contract: what a provider package implements and how it is registered.

A provider is *sans-I/O*: each method returns a :class:`~voiceclone.adapter.Call` (or an
:data:`~voiceclone.adapter.Operation`) and never sends anything. ``docs/plugins.md`` walks
through writing one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import attrs
import httpx

from voiceclone._call import Call, Operation
from voiceclone._capabilities import Capabilities, SortOrder
from voiceclone._errors import UnsupportedOperation, VoiceCloneError
from voiceclone._models import CreatedJob, JobQuery, NewJob, Page, VoiceCloningJob
from voiceclone._paging import Window

if TYPE_CHECKING:
    from voiceclone._emulator import Emulator

__all__ = ["ListRequest", "Provider", "ProviderBase", "ProviderSpec"]


@attrs.frozen(slots=True)
class ListRequest:
    """One vendor list request: the filters, the window, the partition and the order.

    ``partition`` is one of the values the adapter's ``list_partitions`` returned (None for a
    vendor whose listing is one sequence). ``order`` is one of ``Capabilities.orders``.
    """

    query: JobQuery
    window: Window
    partition: str | None = None
    order: SortOrder = SortOrder.NEWEST_FIRST


@runtime_checkable
class Provider(Protocol):
    """What the client needs from an adapter, for one set of settings (region, credentials).

    ``auth`` signs every attempt of every call. ``error_table`` maps the vendor's error codes
    to the neutral error classes (used by the adapter's parse functions, published for docs and
    conformance tests).
    """

    @property
    def id(self) -> str: ...

    @property
    def capabilities(self) -> Capabilities: ...

    @property
    def auth(self) -> httpx.Auth: ...

    @property
    def error_table(self) -> Mapping[str, type[VoiceCloneError]]: ...

    def get_job(self, job_id: str) -> Call[VoiceCloningJob]: ...

    def list_partitions(self, query: JobQuery) -> tuple[str | None, ...]: ...

    def list_jobs(self, request: ListRequest) -> Call[Page[VoiceCloningJob]]: ...

    def create_job(self, new: NewJob) -> Operation[CreatedJob]: ...

    def submit_job(self, job_id: str) -> Operation[None]: ...

    def delete_job(self, job_id: str) -> Operation[None]: ...


class ProviderBase:
    """A convenient base: one listing partition, and UnsupportedOperation for what is missing."""

    id: str = ""
    error_table: Mapping[str, type[VoiceCloneError]] = {}

    def list_partitions(self, query: JobQuery) -> tuple[str | None, ...]:
        """One partition: the vendor lists every job in one sequence."""
        return (None,)

    def _unsupported(self, operation: str) -> UnsupportedOperation:
        return UnsupportedOperation(f"{self.id} cannot {operation}", provider=self.id)

    def create_job(self, new: NewJob) -> Operation[CreatedJob]:
        raise self._unsupported("create jobs")

    def submit_job(self, job_id: str) -> Operation[None]:
        raise self._unsupported("submit jobs")

    def delete_job(self, job_id: str) -> Operation[None]:
        raise self._unsupported("delete jobs")


@attrs.frozen(slots=True)
class ProviderSpec:
    """How a provider is registered: names, capabilities and factories, all importable cheaply.

    ``create(**settings)`` builds a :class:`Provider` from settings such as ``region``,
    ``endpoint``, credentials and ``env`` (the environment to read credentials from; default
    ``os.environ``). It raises ``ValidationError`` for a bad or missing setting.
    ``settings`` documents the setting names it accepts. ``emulator(**options)``, when given,
    builds the vendor's in-memory emulator for ``voiceclone.testing``.
    """

    id: str
    create: Callable[..., Provider] = attrs.field(repr=False)
    capabilities: Capabilities
    aliases: tuple[str, ...] = ()
    summary: str = ""
    settings: Mapping[str, str] = attrs.field(factory=dict, repr=False)
    emulator: Callable[..., Emulator] | None = attrs.field(default=None, repr=False)

    @property
    def names(self) -> tuple[str, ...]:
        """The id followed by the aliases."""
        return (self.id, *self.aliases)

    def describe(self) -> dict[str, Any]:
        """A plain summary, for ``voiceclone providers``."""
        return {"id": self.id, "aliases": list(self.aliases), "summary": self.summary}
