"""Clocks: the one place that reads time, so tests and emulators can control it."""

from __future__ import annotations

import threading
import time
from typing import Protocol

__all__ = ["Clock", "EmulatorClock", "SystemClock"]


class Clock(Protocol):
    """A source of time in epoch seconds."""

    def now(self) -> float: ...


class SystemClock:
    """The real time."""

    def now(self) -> float:
        return time.time()


class EmulatorClock:
    """A controllable clock for emulators: starts at ``start``, runs ``speed`` times faster than
    real time (0 freezes it), and jumps forward with :meth:`advance`. Thread-safe.
    """

    def __init__(self, start: float | None = None, speed: float = 0.0) -> None:
        self._lock = threading.Lock()
        self._origin = time.monotonic()
        self._start = time.time() if start is None else start
        self._speed = speed
        self._offset = 0.0

    def now(self) -> float:
        with self._lock:
            return self._start + self._offset + (time.monotonic() - self._origin) * self._speed

    def advance(self, seconds: float) -> None:
        """Move the clock ``seconds`` forward."""
        if seconds < 0:
            raise ValueError("a clock does not go backwards")
        with self._lock:
            self._offset += seconds

    @property
    def speed(self) -> float:
        return self._speed

    @speed.setter
    def speed(self, value: float) -> None:
        with self._lock:
            now = self._start + self._offset + (time.monotonic() - self._origin) * self._speed
            self._origin = time.monotonic()
            self._start, self._offset, self._speed = now, 0.0, value
