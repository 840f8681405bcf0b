"""``voiceclone demo``: the main job end to end on the built-in emulators.

It starts every installed vendor emulator on loopback, seeds sample jobs, creates a job on each
vendor, submits it, waits for it while printing its status changes, then lists every vendor's
jobs in one table and compares the vendors. No account and no network: the emulators speak
the vendors' real protocols (signatures included) on 127.0.0.1.

Training takes the vendors a quarter of an hour or more. The demo runs each emulator's clock
faster: every poll interval the client sleeps passes in full on the emulator's clock but
takes ``1/SPEEDUP`` of it in real time, so the lifecycle plays out in seconds, deterministically.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from typing import TYPE_CHECKING

from voiceclone._cli._commands import Console, compare_clients, status_line
from voiceclone._cli._compare import format_duration, write_comparison
from voiceclone._cli._output import write_jobs
from voiceclone._clock import EmulatorClock
from voiceclone._errors import UnsupportedOperation, VoiceCloneError
from voiceclone._models import NewJob, VoiceCloningJob
from voiceclone._provider import ProviderSpec
from voiceclone._registry import resolve_provider

if TYPE_CHECKING:
    from voiceclone import Client
    from voiceclone.testing import Emulated

__all__ = ["SPEEDUP", "run_demo"]

SPEEDUP = 600.0
"""How much faster than real time the emulators' clocks run while the demo waits."""

POLL_INTERVAL = 5.0
"""The first poll interval, in emulated seconds (the client grows it as usual)."""

SEED = 7

BUILT_IN = ("huawei-metastudio", "alibaba-ice")
"""The providers this distribution ships: the demo's default (``-p`` picks others)."""


def accelerated(clock: EmulatorClock, speedup: float) -> Callable[[float], None]:
    """A ``sleep`` that moves ``clock`` forward by the whole delay and really sleeps
    ``delay / speedup``: waits pass at ``speedup`` times real speed."""

    def sleep(seconds: float) -> None:
        clock.advance(seconds)
        time.sleep(min(seconds / speedup, 1.0))

    return sleep


def _new_job(spec: ProviderSpec) -> NewJob:
    """The demo's job: the same for every vendor, in Mandarin where the vendor trains it."""
    languages = spec.capabilities.languages
    language = "zh" if not languages or "zh" in languages else languages[0]
    return NewJob(voice_name="Demo voice", gender="female", language=language)


def run_demo(
    console: Console,
    *,
    jobs: int = 40,
    speedup: float = SPEEDUP,
    providers: Sequence[str] = (),
) -> int:
    """Run the demo on ``providers`` (ids or aliases; default: the built-in ones), saying what
    it does on ``console.out``. Returns the exit code."""
    from voiceclone.testing import emulate, emulator_providers

    say = console.say
    started = time.monotonic()
    available = emulator_providers()
    wanted = [resolve_provider(name).id for name in providers] or list(BUILT_IN)
    names = list(dict.fromkeys(name for name in wanted if name in available))
    missing = sorted(set(wanted) - set(available))
    if missing:
        raise UnsupportedOperation(f"no emulator for {', '.join(missing)}; it cannot be demoed")
    say(
        f"voiceclone demo: one neutral model over {len(names)} vendors "
        "(their emulators); no account, no network.\n"
    )
    with ExitStack() as stack:
        say(f"1. Starting the vendor emulators on loopback, {jobs} sample jobs each")
        running: dict[str, Emulated] = {}
        clients: dict[str, Client] = {}
        width = max(len(name) for name in names)
        for name in names:
            emulated = stack.enter_context(
                emulate(name, loopback=True, jobs=jobs, seed=SEED, training_data_ready=True)
            )
            clock = emulated.emulator.clock
            running[name] = emulated
            clients[name] = emulated.client(clock=clock.now, sleep=accelerated(clock, speedup))
            say(f"   {name.ljust(width)}  {emulated.endpoint}")

        say("\n2. Creating a voice-cloning job on each vendor (the same NewJob for each)")
        created: dict[str, VoiceCloningJob] = {}
        for name, client in clients.items():
            job = client.create_job(_new_job(resolve_provider(name))).job
            created[name] = job
            say(
                f"   {name.ljust(width)}  job {job.job_id}: {job.status.value} "
                f"({job.raw_status}), edition {job.edition or '-'}"
            )

        say("\n3. Submitting each job for training")
        for name, client in clients.items():
            client.submit_job(created[name].job_id)
            say(f"   {name.ljust(width)}  submitted {created[name].job_id}")

        say(
            f"\n4. Waiting for training; the emulators' clocks run {speedup:g}x faster "
            f"(first poll after {POLL_INTERVAL:g} s of vendor time)"
        )
        with ThreadPoolExecutor(max_workers=len(clients)) as pool:
            waits = [
                pool.submit(_wait, console, name.ljust(width), client, running[name], job)
                for (name, client), job in zip(clients.items(), created.values(), strict=True)
            ]
            for future in waits:
                future.result()

        say("\n5. Listing every vendor's jobs in one table, newest first")
        everything = [job for client in clients.values() for job in client.list_jobs()]
        everything.sort(key=lambda job: job.created_at.timestamp() if job.created_at else 0)
        everything.reverse()
        write_jobs(everything, "table", console.out, console.palette)
        vendors = f"{len(clients)} vendor{'' if len(clients) == 1 else 's'}"
        say(f"   {len(everything)} jobs from {vendors}")

        say("\n6. Comparing the vendors side by side")
        summaries = compare_clients(clients, on_error=lambda name, error: _fail(name, error))
        write_comparison(summaries, "table", console.out, console.palette)
    say(f"\nDone in {time.monotonic() - started:.1f} s.")
    say("Next: 'voiceclone emulator' serves the emulators and prints the environment to try")
    say("'voiceclone jobs list -p huawei' and the other commands against them.")
    return 0


def _fail(name: str, error: VoiceCloneError) -> None:
    raise error


_lock = threading.Lock()


def _wait(
    console: Console, label: str, client: Client, emulated: Emulated, job: VoiceCloningJob
) -> VoiceCloningJob:
    clock = emulated.emulator.clock
    start = clock.now()

    def say(text: str) -> None:
        with _lock:
            console.say(f"   {label}  {text}")

    def show(job: VoiceCloningJob) -> None:
        elapsed = "+" + format_duration(clock.now() - start)
        say(f"{elapsed:<8} {status_line(job, console.palette)}")

    real = time.monotonic()
    final = client.wait_for_job(
        job.job_id, timeout=6 * 3600, interval=POLL_INTERVAL, on_change=show
    )
    say(
        f"{final.status.value} after {format_duration(clock.now() - start)} of vendor time "
        f"({time.monotonic() - real:.1f} s here)"
    )
    return final
