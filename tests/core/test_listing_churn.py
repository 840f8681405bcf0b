"""Jobs created and deleted while page-number pages are read out of order.

The vendor here answers each page as of a scripted *virtual time*: page 1 first, the pages the
client prefetches at the times the script gives (so page 3 can be read before page 2), and
every other request (a repair) later than all of those, one step apart. Between times the
script creates jobs at the top (newest) or deletes any job. Every job that exists for the
whole walk must be listed exactly once, in order.
"""

from __future__ import annotations

import itertools
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vc_fake_vendor import Row, _wire
from vc_fake_vendor import async_client as fake_async_client
from vc_fake_vendor import client as fake_client

pytestmark = pytest.mark.usefixtures("fake_provider")

EDITIONS = ("Basic", "Standard")


class Timeline:
    """A page-number vendor (``page``/``size``, newest first) whose state moves on a script.

    ``times`` maps ``(edition, page)`` of the first read of a full-size page to the virtual
    time it is answered at; ``events`` maps a time to the changes made just after it:
    ``("add", edition)`` creates a newer job, ``("delete", job_id)`` removes one.
    """

    def __init__(
        self,
        rows: list[Row],
        times: dict[tuple[str, int], int],
        events: dict[int, list[tuple[str, str]]],
        size: int = 10,
    ) -> None:
        self.initial = {row.job_id: row for row in rows}
        self.times = {(edition, 1): 0 for edition in EDITIONS} | times  # page 1 comes first
        self.events = events
        self.size = size
        self.clock = max(itertools.chain(times.values(), events, [0])) + 1
        self.created = itertools.count(1)
        self.history: list[dict[str, Row]] = []  # the state after each time, built lazily
        self.requests: list[tuple[str, int, int, int]] = []

    def state(self, time: int) -> dict[str, Row]:
        while len(self.history) <= time:
            rows = dict(self.history[-1] if self.history else self.initial)
            for op, arg in self.events.get(len(self.history) - 1, []):
                if op == "add":
                    n = next(self.created)
                    rows[f"new{n:03d}"] = Row(f"new{n:03d}", "TRAINING", 100_000 + n, arg)
                else:
                    rows.pop(arg, None)
            self.history.append(rows)
        return self.history[time]

    def handle(self, request: httpx.Request) -> httpx.Response:
        params = dict(request.url.params)
        edition, page, size = (
            params.get("edition", "Basic"),
            int(params["page"]),
            int(params["size"]),
        )
        time = self.times.pop((edition, page), None) if size == self.size else None
        if time is None:
            time, self.clock = self.clock, self.clock + 1
        self.requests.append((edition, page, size, time))
        rows = [r for r in self.state(time).values() if r.edition == edition]
        rows.sort(key=lambda r: (r.created, r.job_id), reverse=True)
        items = [_wire(r) for r in rows[(page - 1) * size : page * size]]
        return httpx.Response(200, json={"total": len(rows), "items": items, "next": None})

    def stable(self) -> list[str]:
        """The jobs present at every time, newest first."""
        last = self.state(self.clock + 1)
        rows = [r for r in self.initial.values() if r.job_id in last]
        return [r.job_id for r in sorted(rows, key=lambda r: (r.created, r.job_id), reverse=True)]


PUSHED = frozenset({"edition"})  # no creation-time filter: no keyset repair, as on Alibaba ICE


def client(timeline: Timeline, **settings: Any) -> Any:
    return fake_client(timeline, pushed=PUSHED, **settings)  # type: ignore[arg-type]


def async_client(timeline: Timeline, **settings: Any) -> Any:
    return fake_async_client(timeline, pushed=PUSHED, **settings)  # type: ignore[arg-type]


def rows(n: int, editions: tuple[str, ...] = ("Basic",)) -> list[Row]:
    return [Row(f"j{i:04d}", "TRAINING", i, editions[i % len(editions)]) for i in range(n)]


def check(timeline: Timeline, got: list[str]) -> None:
    assert len(got) == len(set(got)), "a job was listed twice"
    stable = timeline.stable()
    assert [j for j in got if j in set(stable)] == stable, "a stable job was lost or misplaced"


def shifted() -> Timeline:
    """Page 3 is read before page 2; in between a job is created at the top and one on page 3
    is deleted. The totals all agree, yet page 2 now starts one job earlier (it repeats page
    1's last job) and j0010, first on page 2 before, is on neither page: it must be re-read.
    """
    times = {("Basic", 2): 3, ("Basic", 3): 1}
    return Timeline(rows(30), times, {1: [("add", "Basic")], 2: [("delete", "j0004")]})


def test_a_page_read_after_a_shift_loses_nothing() -> None:
    timeline = shifted()
    with client(timeline, scheme="page", max_concurrency=4) as c:
        got = [job.job_id for job in c.list_jobs()]
    check(timeline, got)
    assert "j0010" in got  # the job that slipped between pages 2 and 3


async def test_async_page_read_after_a_shift_loses_nothing() -> None:
    timeline = shifted()
    async with async_client(timeline, scheme="page", max_concurrency=4) as c:
        got = [job.job_id async for job in c.list_jobs()]
    check(timeline, got)
    assert "j0010" in got


def test_a_still_listing_costs_no_extra_request() -> None:
    timeline = Timeline(rows(95), {}, {})
    with client(timeline, scheme="page", max_concurrency=4) as c:
        assert [job.job_id for job in c.list_jobs()] == timeline.stable()
    assert sorted((page, size) for _, page, size, _ in timeline.requests) == [
        (n, 10) for n in range(1, 11)
    ]


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_partitions_repair_and_merge_in_order(mode: str) -> None:
    # the shift of ``shifted`` in each partition: Basic holds the even jobs, Standard the odd
    times = {("Basic", 2): 4, ("Basic", 3): 1, ("Standard", 3): 2, ("Standard", 2): 5}
    events = {
        1: [("add", "Basic")],
        2: [("delete", "j0004")],
        3: [("add", "Standard"), ("delete", "j0003")],
    }
    timeline = Timeline(rows(60, EDITIONS), times, events)
    got = _list(timeline, mode, page_size=10)
    check(timeline, got)
    assert {"j0020", "j0021"} <= set(got)  # first on page 2 of each partition before the shift


def _list(timeline: Timeline, mode: str, **kwargs: Any) -> list[str]:
    if mode == "sync":
        with client(timeline, scheme="page", partitioned=True, max_concurrency=8) as c:
            return [job.job_id for job in c.list_jobs(**kwargs)]

    async def run() -> list[str]:
        async with async_client(timeline, scheme="page", partitioned=True, max_concurrency=8) as c:
            return [job.job_id async for job in c.list_jobs(**kwargs)]

    import asyncio

    return asyncio.run(run())


@st.composite
def scripts(draw: st.DrawFn) -> tuple[Timeline, int]:
    """Random jobs, read times for the prefetched pages, and changes between times."""
    n = draw(st.integers(0, 45))
    size = draw(st.integers(2, 10))
    initial = rows(n, EDITIONS)
    times: dict[tuple[str, int], int] = {}
    for edition in EDITIONS:
        count = sum(1 for r in initial if r.edition == edition)
        for page in range(2, -(-count // size) + 1):
            times[(edition, page)] = draw(st.integers(1, 12))
    events: dict[int, list[tuple[str, str]]] = {}
    for _ in range(draw(st.integers(0, 12))):
        time = draw(st.integers(0, 24))
        if draw(st.booleans()) or not initial:
            event = ("add", draw(st.sampled_from(EDITIONS)))
        else:
            event = ("delete", draw(st.sampled_from(initial)).job_id)
        events.setdefault(time, []).append(event)
    return Timeline(initial, times, events, size), size


@settings(max_examples=150, deadline=None)
@given(script=scripts())
def test_every_job_present_throughout_is_listed_once(script: tuple[Timeline, int]) -> None:
    timeline, size = script
    with client(timeline, scheme="page", partitioned=True, max_concurrency=8) as c:
        got = [job.job_id for job in c.list_jobs(page_size=size)]
    check(timeline, got)
