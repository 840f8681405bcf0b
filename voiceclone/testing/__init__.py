"""Test helpers for your own suites: the vendors' emulators, in-process or on loopback.

Each installed provider that ships an emulator (both built-in ones do) can be run

* in-process, as an httpx transport (:class:`EmulatorTransport`): no sockets, fastest;
* behind a real threaded HTTP server on a loopback address (:class:`LoopbackServer`), for
  code that must talk over the network (subprocesses, other HTTP stacks, the CLI).

:func:`emulate` does either and hands back an :class:`Emulated` whose ``client()`` and
``async_client()`` build a ``voiceclone.Client`` / ``AsyncClient`` pointed at it.
:class:`FaultPlan` injects seeded faults: throttling, 5xx, latency, dropped connections,
truncated bodies, lost replies, and other users creating or deleting jobs mid-listing.
The pytest plugin (loaded automatically) provides the ``voiceclone_*`` fixtures.
``docs/testing.md`` is the guide.
"""

from voiceclone.testing._factory import (
    Emulated,
    emulate,
    emulator_providers,
    render_settings,
    run_emulator_command,
    serve_emulators,
)
from voiceclone.testing._faults import FaultInjector, FaultKind, FaultPlan, FaultStats
from voiceclone.testing._server import LoopbackServer, is_loopback
from voiceclone.testing._transport import EmulatorTransport

__all__ = [
    "Emulated",
    "EmulatorTransport",
    "FaultInjector",
    "FaultKind",
    "FaultPlan",
    "FaultStats",
    "LoopbackServer",
    "emulate",
    "emulator_providers",
    "is_loopback",
    "render_settings",
    "run_emulator_command",
    "serve_emulators",
]
