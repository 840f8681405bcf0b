"""Build an installed provider's emulator, run it in-process or on loopback, and point clients
at it. Providers are resolved through the registry when asked for, never at import time.
"""

from __future__ import annotations

import contextlib
import shlex
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any, TextIO

import httpx

from voiceclone._emulator import Emulator
from voiceclone._errors import UnsupportedOperation, ValidationError
from voiceclone._registry import providers as installed_providers
from voiceclone._registry import resolve_provider
from voiceclone.testing._faults import FaultInjector, FaultPlan, FaultStats
from voiceclone.testing._server import LoopbackServer
from voiceclone.testing._transport import EmulatorTransport

if TYPE_CHECKING:
    from voiceclone import AsyncClient, Client

__all__ = [
    "Emulated",
    "emulate",
    "emulator_providers",
    "render_settings",
    "run_emulator_command",
    "serve_emulators",
]


class Emulated:
    """A running emulator and how to reach it: in-process (:attr:`transport`) or on loopback
    (:attr:`server`). :meth:`client` and :meth:`async_client` build clients pointed at it with
    the emulator's credentials. Close it (or use it as a context manager) to stop the server
    and close the clients it made.
    """

    def __init__(
        self,
        provider: str,
        emulator: Emulator,
        *,
        transport: EmulatorTransport | None = None,
        server: LoopbackServer | None = None,
    ) -> None:
        if (transport is None) == (server is None):
            raise ValueError("an Emulated runs either in-process (transport) or on a server")
        self.provider = provider
        self.emulator = emulator
        self.transport = transport
        self.server = server
        self._clients: list[Client] = []
        self._async_clients: list[AsyncClient] = []

    @property
    def endpoint(self) -> str:
        """The base URL clients use: the loopback server's, or a placeholder in-process."""
        if self.server is not None:
            return self.server.endpoint
        return f"https://{self.provider}.emulator.invalid"

    @property
    def loopback(self) -> bool:
        """True when the emulator is behind a real HTTP server."""
        return self.server is not None

    @property
    def stats(self) -> FaultStats:
        """What the injected faults have done so far."""
        front = self.server if self.server is not None else self.transport
        return front.stats if front is not None else FaultStats()

    def settings(self, **overrides: Any) -> dict[str, Any]:
        """The ``Client`` keyword settings for this emulator (endpoint, credentials), with
        ``overrides`` on top."""
        return {**self.emulator.client_settings(self.endpoint), **overrides}

    def environment(self) -> dict[str, str]:
        """The same settings as environment variables (for the CLI or subprocesses)."""
        return self.emulator.environment(self.endpoint)

    def client(self, **overrides: Any) -> Client:
        """A ``voiceclone.Client`` talking to this emulator; ``overrides`` go to its constructor
        (``retry=``, ``max_concurrency=``, another ``endpoint=``, ...)."""
        from voiceclone import Client

        if self.transport is not None and "http_client" not in overrides:
            overrides["http_client"] = httpx.Client(transport=self.transport)
        client = Client(self.provider, **self.settings(**overrides))
        self._clients.append(client)
        return client

    def async_client(self, **overrides: Any) -> AsyncClient:
        """A ``voiceclone.AsyncClient`` talking to this emulator. Close it with ``await
        client.aclose()`` or ``async with`` (:meth:`close` cannot await)."""
        from voiceclone import AsyncClient

        if self.transport is not None and "http_client" not in overrides:
            overrides["http_client"] = httpx.AsyncClient(transport=self.transport)
        client = AsyncClient(self.provider, **self.settings(**overrides))
        self._async_clients.append(client)
        return client

    def close(self) -> None:
        """Close the sync clients made here and stop the server."""
        clients, self._clients = self._clients, []
        for client in clients:
            client.close()
        if self.server is not None:
            self.server.stop()

    async def aclose(self) -> None:
        """Close every client made here, async ones included, and stop the server."""
        async_clients, self._async_clients = self._async_clients, []
        for client in async_clients:
            await client.aclose()
        self.close()

    def __enter__(self) -> Emulated:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    async def __aenter__(self) -> Emulated:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        mode = "loopback" if self.server is not None else "in-process"
        return f"<Emulated {self.provider} {mode} {self.endpoint}>"


def _plan(faults: FaultPlan | str | None) -> FaultPlan | None:
    if faults is None or isinstance(faults, FaultPlan):
        return faults
    if isinstance(faults, str):
        return FaultPlan.parse(faults)
    raise ValidationError("faults", "must be a FaultPlan or a spec such as '5xx=0.1,seed=3'")


def emulate(
    provider: str,
    *,
    jobs: int = 0,
    seed: int = 0,
    faults: FaultPlan | str | None = None,
    loopback: bool = False,
    host: str = "127.0.0.1",
    port: int = 0,
    clock_speed: float | None = None,
    sleep: Callable[[float], None] | None = None,
    **emulator_options: Any,
) -> Emulated:
    """Build ``provider``'s emulator (an id or alias) and run it in-process or on loopback.

    ``jobs`` sample jobs are seeded; ``seed`` fixes the emulator's ids and samples;
    ``faults`` is a :class:`FaultPlan` or its spec string; ``clock_speed`` sets how fast the
    emulator's clock runs (jobs progress with it; default frozen). ``sleep`` replaces
    ``time.sleep`` for injected latency. Other keyword options go to the provider's emulator.
    With ``loopback=True`` the server is started on ``host:port`` (``port=0``: a free one).
    """
    spec = resolve_provider(provider)
    if spec.emulator is None:
        raise UnsupportedOperation(f"{spec.id} ships no emulator", provider=spec.id)
    if jobs < 0:
        raise ValidationError("jobs", "must be 0 or more")
    emulator = spec.emulator(seed=seed, **emulator_options)
    if jobs:
        emulator.seed_jobs(jobs)
    if clock_speed is not None:
        emulator.clock.speed = clock_speed
    plan = _plan(faults)
    injector = FaultInjector(emulator, plan) if plan is not None and not plan.is_quiet else None
    if loopback:
        server = LoopbackServer(emulator, injector, host, port, sleep=sleep or time.sleep)
        return Emulated(spec.id, emulator, server=server.start())
    transport = EmulatorTransport(emulator, injector, sleep=sleep or time.sleep)
    return Emulated(spec.id, emulator, transport=transport)


def emulator_providers() -> list[str]:
    """The ids of the installed providers that ship an emulator, sorted."""
    return [spec.id for spec in installed_providers() if spec.emulator is not None]


def serve_emulators(
    providers: Iterable[str] | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    jobs: int = 0,
    faults: FaultPlan | str | None = None,
    seed: int = 0,
    clock_speed: float | None = None,
) -> list[Emulated]:
    """Start a loopback server for each provider (default: every installed one with an
    emulator). With a nonzero ``port`` they take consecutive ports from it. If one fails to
    start, the ones already started are stopped before the error propagates.
    """
    names = list(providers) if providers is not None else emulator_providers()
    plan = _plan(faults)
    running: list[Emulated] = []
    try:
        for index, name in enumerate(names):
            running.append(
                emulate(
                    name,
                    jobs=jobs,
                    seed=seed,
                    faults=plan,
                    loopback=True,
                    host=host,
                    port=port + index if port else 0,
                    clock_speed=clock_speed,
                )
            )
    except BaseException:
        for emulated in running:
            emulated.close()
        raise
    return running


def render_settings(emulated: Iterable[Emulated]) -> str:
    """What ``voiceclone emulator`` prints: per provider, the endpoint, the environment to
    export and a CLI command to try. The credentials are the emulator's own, not secrets."""
    blocks = []
    for item in emulated:
        name = _short_name(item.provider)
        lines = [f"# {item.provider}: {item.endpoint}"]
        lines += [f"export {key}={shlex.quote(value)}" for key, value in item.environment().items()]
        lines.append(f"voiceclone jobs list -p {name} --endpoint {item.endpoint}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def _short_name(provider: str) -> str:
    aliases = resolve_provider(provider).aliases
    return aliases[0] if aliases else provider


SERVED_CLOCK_SPEED = 60.0
"""How much faster than real time the clocks of ``voiceclone emulator`` run (a minute a second)."""


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@contextlib.contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """Treat SIGTERM like Ctrl-C while serving (``kill`` stops the servers cleanly)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _block_forever() -> None:
    while True:
        time.sleep(3600)


def run_emulator_command(
    host: str = "127.0.0.1",
    port: int = 0,
    jobs: int = 0,
    faults: FaultPlan | str | None = None,
    out: TextIO | None = None,
    *,
    providers: Iterable[str] | None = None,
    seed: int = 0,
    clock_speed: float = SERVED_CLOCK_SPEED,
    wait: Callable[[], None] = _block_forever,
) -> int:
    """``voiceclone emulator``: serve the emulators, print their settings, and block until
    interrupted (Ctrl-C), then stop them and print the fault counts. Returns the exit code.

    The emulators' clocks run ``clock_speed`` times faster than real time, so a submitted job
    trains in seconds to minutes. ``wait`` is what blocks (tests pass one that returns)."""
    out = out if out is not None else sys.stdout
    running = serve_emulators(
        providers,
        host=host,
        port=port,
        jobs=jobs,
        faults=faults,
        seed=seed,
        clock_speed=clock_speed,
    )
    try:
        if not running:
            out.write("no installed provider ships an emulator\n")
            return 1
        out.write(render_settings(running))
        plan = _plan(faults)
        if plan is not None and not plan.is_quiet:
            out.write(f"\n# faults: {plan.spec()}")
        out.write(f"\n# clocks run {clock_speed:g}x real time; serving, press Ctrl-C to stop\n")
        out.flush()
        with _sigterm_interrupts():
            wait()
    except KeyboardInterrupt:
        pass
    finally:
        for item in running:
            item.close()
    for item in running:
        if item.stats.requests:
            out.write(f"# {item.provider} faults: {item.stats.describe()}\n")
    return 0
