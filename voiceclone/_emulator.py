"""The emulator contract: what a provider package's vendor emulator offers ``voiceclone.testing``.

An emulator is a pure, stateful handler from ``httpx.Request`` to ``httpx.Response`` speaking
the vendor's real protocol (paths or actions, signatures, success and error shapes). The core
wraps it as an ``httpx.MockTransport`` or a loopback HTTP server and injects faults around it;
the vendor-specific parts of a fault (its throttling reply, its 5xx body) come from here.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

import httpx

from voiceclone._clock import EmulatorClock

__all__ = ["Emulator"]


@runtime_checkable
class Emulator(Protocol):
    """A vendor emulator.

    Construction options are the provider's own, but every emulator accepts these keywords:
    ``seed`` (identifiers, sample data and drawn outcomes), ``jobs`` (sample jobs to seed),
    ``clock`` (an :class:`EmulatorClock` driving the lifecycle) and ``training_data_ready``
    (new jobs behave as if their training data were already uploaded, so that a neutral
    create-then-submit runs to the end with no vendor-specific upload step).
    """

    @property
    def provider_id(self) -> str:
        """The id of the provider whose API this emulates."""
        ...

    @property
    def clock(self) -> EmulatorClock:
        """The clock that drives the jobs' lifecycle."""
        ...

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer one request exactly as the vendor would. Thread-safe."""
        ...

    def client_settings(self, endpoint: str) -> dict[str, Any]:
        """Keyword settings for ``Client(provider_id, **settings)`` to talk to this emulator at
        ``endpoint``: the endpoint and the credentials the emulator accepts."""
        ...

    def environment(self, endpoint: str) -> dict[str, str]:
        """The same settings as environment variables, for the CLI."""
        ...

    def seed_jobs(self, count: int) -> None:
        """Add ``count`` sample jobs spread over the past, in every state and edition."""
        ...

    def job_ids(self) -> frozenset[str]:
        """The ids of the jobs that exist now."""
        ...

    def jobs(self) -> Mapping[str, Mapping[str, Any]]:
        """Every job's current vendor record, by id (for assertions on state)."""
        ...

    def is_mutating(self, request: httpx.Request) -> bool:
        """True when ``request`` would change state (create, submit, delete, update)."""
        ...

    def throttle_response(self, request: httpx.Request, retry_after: float) -> httpx.Response:
        """The vendor's own throttling reply (status, code, Retry-After header)."""
        ...

    def server_error_response(self, request: httpx.Request, status: int) -> httpx.Response:
        """The vendor's own 5xx reply."""
        ...

    def churn(self, rng: random.Random) -> str:
        """Create or delete one job, as another user would mid-listing; say what was done."""
        ...
