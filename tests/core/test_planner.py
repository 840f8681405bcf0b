"""The window planner against a brute-force reference: exact items, never more requests."""

from __future__ import annotations

import functools

from hypothesis import given
from hypothesis import strategies as st

from voiceclone import OffsetLimit, PageNumber
from voiceclone._paging import NumberedWindow, OffsetWindow
from voiceclone._planner import plan_window, window_start


def fewest_pages(largest: int, offset: int, limit: int) -> int:
    """Brute force: the minimum number of numbered pages (any sizes) covering the range."""
    stop = offset + limit

    @functools.cache
    def best(position: int) -> int:
        if position >= stop:
            return 0
        # any cover must include a page holding `position`; try every one
        return 1 + min(best((position // size + 1) * size) for size in range(1, largest + 1))

    return best(offset)


def serve(scheme, data, window):
    start = window_start(scheme, window)
    size = window.limit if isinstance(window, OffsetWindow) else window.size
    return data[start : start + size]


@given(
    largest=st.integers(1, 12),
    first=st.integers(0, 2),
    offset=st.integers(0, 80),
    limit=st.integers(1, 40),
    length=st.integers(0, 130),
)
def test_page_number_plans_are_exact_and_minimal(largest, first, offset, limit, length):
    scheme = PageNumber(max_size=largest, first=first)
    data = list(range(length))
    plan = plan_window(scheme, offset, limit)
    assert all(isinstance(w, NumberedWindow) and 1 <= w.size <= largest for w in plan.windows)
    assert all(w.number >= first for w in plan.windows)
    got = plan.assemble([serve(scheme, data, w) for w in plan.windows])
    assert got == data[offset : offset + limit]
    assert len(plan.windows) <= fewest_pages(largest, offset, limit)


@given(largest=st.integers(1, 12), offset=st.integers(0, 80), limit=st.integers(1, 40))
def test_offset_limit_plans_are_exact_and_minimal(largest, offset, limit):
    scheme = OffsetLimit(max_limit=largest)
    data = list(range(100))
    plan = plan_window(scheme, offset, limit)
    assert all(1 <= w.limit <= largest for w in plan.windows)
    got = plan.assemble([serve(scheme, data, w) for w in plan.windows])
    assert got == data[offset : offset + limit]
    assert len(plan.windows) == -(-limit // largest)


def test_the_issue_example_is_one_request_page_two_of_fifteen():
    plan = plan_window(PageNumber(max_size=100), 15, 10)
    assert plan.windows == (NumberedWindow(number=2, size=15),)


def test_odd_window_needs_two_pages_when_no_single_page_fits():
    plan = plan_window(PageNumber(max_size=10), 15, 10)
    assert len(plan.windows) == 2 == fewest_pages(10, 15, 10)
