"""Progress for long listings: a counter on stderr, only when stderr is a terminal.

Pipes and files never see it, so ``voiceclone jobs list ... 2> log`` stays clean.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TextIO, TypeVar

__all__ = ["Progress"]

T = TypeVar("T")


class Progress:
    """Counts items as they pass and shows ``label: N`` on one rewritten stderr line."""

    def __init__(self, stream: TextIO, label: str, *, enabled: bool | None = None, every: int = 50):
        isatty = getattr(stream, "isatty", None)
        self._enabled = bool(isatty and isatty()) if enabled is None else enabled
        self._stream = stream
        self._label = label
        self._every = every
        self._shown = False

    def track(self, items: Iterable[T]) -> Iterator[T]:
        """Yield ``items`` unchanged, updating the counter; clear it when they run out."""
        count = 0
        try:
            for item in items:
                count += 1
                if self._enabled and count % self._every == 0:
                    self._show(count)
                yield item
        finally:
            self._clear()

    def _show(self, count: int) -> None:
        self._stream.write(f"\r{self._label}: {count} jobs")
        self._stream.flush()
        self._shown = True

    def _clear(self) -> None:
        if self._shown:
            self._stream.write("\r\033[K")
            self._stream.flush()
            self._shown = False
