"""Text for people: display widths, ellipses, short times, statuses in words and colour.

Widths count East Asian wide characters (most Chinese voice names) as two columns, so tables
stay aligned whatever the names are written in.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import TextIO

from voiceclone._models import JobStatus

__all__ = [
    "ELLIPSIS",
    "Palette",
    "display_width",
    "pad",
    "short_time",
    "status_words",
    "supports_colour",
    "truncate",
]

ELLIPSIS = "…"


def _char_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def display_width(text: str) -> int:
    """How many terminal columns ``text`` takes."""
    if text.isascii():
        return len(text)
    return sum(_char_width(char) for char in text)


def truncate(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` columns, ending with an ellipsis when it was cut."""
    if display_width(text) <= width:
        return text
    if width <= 0:
        return ""
    kept: list[str] = []
    used = 0
    for char in text:
        char_width = _char_width(char)
        if used + char_width > width - 1:
            break
        kept.append(char)
        used += char_width
    return "".join(kept).rstrip() + ELLIPSIS


def pad(text: str, width: int, *, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` columns (left-aligned unless ``right``)."""
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


def short_time(moment: datetime | None) -> str:
    """A time as ``YYYY-MM-DD HH:MM`` in UTC; ``-`` when unknown."""
    if moment is None:
        return "-"
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M")


def status_words(status: JobStatus) -> str:
    """The neutral status as words: ``result review``, ``action required``, ``succeeded``."""
    return status.value.replace("_", " ")


def supports_colour(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """True when ``stream`` is a terminal that shows colour and ``NO_COLOR`` is not set."""
    env = os.environ if environ is None else environ
    if "NO_COLOR" in env or env.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


_RESET = "\033[0m"
_STATUS_COLOURS = {
    JobStatus.SUCCEEDED: "\033[32m",  # green
    JobStatus.FAILED: "\033[31m",  # red
    JobStatus.ACTION_REQUIRED: "\033[33m",  # yellow
    JobStatus.TRAINING: "\033[36m",  # cyan
    JobStatus.QUEUED: "\033[36m",
    JobStatus.PREPROCESSING: "\033[36m",
    JobStatus.REVIEWING: "\033[35m",  # magenta
    JobStatus.RESULT_REVIEW: "\033[35m",
    JobStatus.UNKNOWN: "\033[2m",  # dim
}
_BOLD = "\033[1m"


class Palette:
    """Colours for one output stream; every method returns its text unchanged when disabled."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def status(self, text: str, status: JobStatus) -> str:
        """``text`` in the colour of ``status``."""
        colour = _STATUS_COLOURS.get(status)
        return f"{colour}{text}{_RESET}" if self.enabled and colour else text

    def bold(self, text: str) -> str:
        """``text`` in bold (headings)."""
        return f"{_BOLD}{text}{_RESET}" if self.enabled else text
