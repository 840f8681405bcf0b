"""Counters the reliability suites add to, printed at the end of the run (the figures quoted in
``docs/reliability.md``): seeds run, faults injected, jobs checked, fuzz examples."""

from __future__ import annotations

import threading
from collections import Counter

__all__ = ["add", "snapshot"]

_lock = threading.Lock()
_counts: Counter[str] = Counter()


def add(name: str, amount: int = 1) -> None:
    """Add ``amount`` to the figure ``name``."""
    with _lock:
        _counts[name] += amount


def snapshot() -> dict[str, int]:
    """The figures so far, sorted by name."""
    with _lock:
        return dict(sorted(_counts.items()))
