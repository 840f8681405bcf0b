"""The window planner: any ``(offset, limit)`` as the fewest vendor requests, then the slice.

A request for items ``offset .. offset + limit - 1`` becomes a :class:`WindowPlan`: the
vendor windows to fetch and how to pick the wanted items out of their replies.

* ``OffsetLimit``: consecutive windows of at most ``max_limit`` items (``ceil(limit / max)``
  requests, which is the minimum).
* ``PageNumber``: page ``n`` of size ``s`` holds items ``(n - first) * s .. (n - first + 1) * s
  - 1``, and each request may use its own size. The planner covers the range greedily: at the
  first item not yet covered it takes the page that reaches furthest. That is the classic
  optimal interval cover, so the count is minimal. When one page can finish the range it takes
  the one that starts exactly at the wanted item if there is one, else the smallest, so
  ``offset=15, limit=10`` is page 2 of size 15 (items 15..29).
* :func:`reaching_window` is the single window that holds a given item and reaches furthest
  past it: the step of a listing repair, which must re-read one known job to prove that no
  job slipped between two pages (``offset=199`` on page-number paging of at most 100 is page
  3 of size 99, items 198..296).
* ``CursorToken`` cannot jump: it is walked from the start (see ``voiceclone._listing``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import attrs

from voiceclone._paging import (
    CursorToken,
    NumberedWindow,
    OffsetLimit,
    OffsetWindow,
    PageNumber,
    PagingScheme,
)

__all__ = ["WindowPlan", "max_page_size", "plan_window", "reaching_window", "window_start"]

T = TypeVar("T")


def max_page_size(scheme: PagingScheme) -> int:
    """The largest page the scheme allows."""
    if isinstance(scheme, OffsetLimit):
        return scheme.max_limit
    return scheme.max_size


def window_start(scheme: PagingScheme, window: OffsetWindow | NumberedWindow) -> int:
    """The position of a window's first item."""
    if isinstance(window, OffsetWindow):
        return window.offset
    first = scheme.first if isinstance(scheme, PageNumber) else 1
    return (window.number - first) * window.size


@attrs.frozen(slots=True)
class WindowPlan:
    """The windows that cover items ``offset .. offset + limit - 1``, in order."""

    scheme: PagingScheme
    offset: int
    limit: int
    windows: tuple[OffsetWindow | NumberedWindow, ...]

    def assemble(self, replies: Sequence[Sequence[T]]) -> list[T]:
        """The wanted items, given each window's items (in window order).

        Windows may overlap; each position is taken once. A short reply (the listing ended)
        ends the result.
        """
        wanted: list[T] = []
        position, stop = self.offset, self.offset + self.limit
        for window, items in zip(self.windows, replies, strict=False):
            start = window_start(self.scheme, window)
            for index in range(max(0, position - start), len(items)):
                if start + index != position or position >= stop:
                    break
                wanted.append(items[index])
                position += 1
            if position >= stop or len(items) < _size(window):
                break
        return wanted


def _size(window: OffsetWindow | NumberedWindow) -> int:
    return window.limit if isinstance(window, OffsetWindow) else window.size


def plan_window(scheme: PagingScheme, offset: int, limit: int) -> WindowPlan:
    """Plan items ``offset .. offset + limit - 1`` (``offset >= 0``, ``limit >= 1``)."""
    if isinstance(scheme, CursorToken):
        raise TypeError("a cursor listing cannot be planned by position; walk it")
    if isinstance(scheme, OffsetLimit):
        windows: tuple[OffsetWindow | NumberedWindow, ...] = _offset_windows(
            scheme.max_limit, offset, limit
        )
    else:
        windows = _numbered_windows(scheme, offset, limit)
    return WindowPlan(scheme, offset, limit, windows)


def _offset_windows(largest: int, offset: int, limit: int) -> tuple[OffsetWindow, ...]:
    stop = offset + limit
    return tuple(
        OffsetWindow(start, min(largest, stop - start)) for start in range(offset, stop, largest)
    )


def _numbered_windows(scheme: PageNumber, offset: int, limit: int) -> tuple[NumberedWindow, ...]:
    largest, stop = scheme.max_size, offset + limit
    windows: list[NumberedWindow] = []
    position = offset
    while position < stop:
        if position % largest == 0 and stop - position >= largest:
            size = largest  # aligned: the largest page reaches furthest
        else:
            size = _best_size(largest, position, stop)
        index = position // size
        windows.append(NumberedWindow(scheme.first + index, size))
        position = (index + 1) * size
    return tuple(windows)


def _best_size(largest: int, position: int, stop: int) -> int:
    """The page size whose page holding ``position`` is the best next step (see module doc)."""
    finishing: tuple[bool, int] | None = None
    finishing_size = 0
    furthest, furthest_key = 0, (0, True, 0)
    for size in range(1, largest + 1):
        start = position - position % size
        end = start + size
        if end >= stop:
            key = (start != position, size)
            if finishing is None or key < finishing:
                finishing, finishing_size = key, size
        elif finishing is None:
            reach = (-end, start != position, size)
            if furthest == 0 or reach < furthest_key:
                furthest, furthest_key = size, reach
    return finishing_size if finishing is not None else furthest


def reaching_window(
    scheme: OffsetLimit | PageNumber, position: int
) -> OffsetWindow | NumberedWindow:
    """The one window (of at most the scheme's largest size) that holds item ``position`` and
    ends furthest after it; among equals, the largest (it overlaps the most before).

    On offset/limit paging that is the window starting at ``position``. On page-number
    paging page ``n`` of size ``s`` ends at ``n * s``, so the best size has ``position``
    close after a multiple of it. The window ends at ``position + 1`` only when every size up
    to the largest divides ``position + 1`` (possible only for a largest size of 2 or less).
    """
    if isinstance(scheme, OffsetLimit):
        return OffsetWindow(position, scheme.max_limit)
    best_end, best_size = 0, 1
    for size in range(1, scheme.max_size + 1):
        end = (position // size + 1) * size
        if end >= best_end:
            best_end, best_size = end, size
    return NumberedWindow(scheme.first + position // best_size, best_size)
