"""Serve one emulator on loopback in this process, for benchmarks run in other processes.

``python -m tests.perf._serve PROVIDER JOBS LATENCY`` seeds ``JOBS`` jobs, starts the loopback
server with ``LATENCY`` seconds injected before every reply, prints one JSON line (the endpoint,
the client settings, a few job ids, the jobs per listing partition) and serves until its
standard input closes. :func:`served` runs it as a child process.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from typing import Any

__all__ = ["served"]


def main(provider: str, jobs: int, latency: float) -> None:
    from voiceclone.testing import FaultPlan, emulate

    faults = FaultPlan(latency=latency) if latency > 0 else None
    with emulate(provider, jobs=jobs, faults=faults, loopback=True) as emulated:
        records = emulated.emulator.jobs()
        # The listing's partitions: ICE lists one Type per request; MetaStudio lists all at once.
        editions = Counter(str(record.get("Type", "")) for record in records.values())
        info = {
            "provider": emulated.provider,
            "endpoint": emulated.endpoint,
            "settings": emulated.settings(),
            "job_ids": sorted(records)[:50],
            "editions": dict(editions),
            "jobs": len(records),
        }
        print(json.dumps(info), flush=True)
        sys.stdin.read()  # serve until the parent closes our stdin


@contextlib.contextmanager
def served(provider: str, jobs: int, latency: float = 0.0) -> Iterator[dict[str, Any]]:
    """A child process serving ``provider``'s emulator; yields what it printed."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.perf._serve", provider, str(jobs), repr(latency)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdin is not None and child.stdout is not None
    try:
        line = child.stdout.readline()
        if not line:
            raise RuntimeError(f"the {provider} emulator server did not start")
        yield json.loads(line)
    finally:
        child.stdin.close()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), float(sys.argv[3]))
