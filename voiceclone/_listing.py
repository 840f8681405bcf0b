"""The listing engine: a sans-I/O walk over one vendor listing, shared by both clients.

A walk is a generator that yields *commands* and receives their results, like an adapter's
:data:`~voiceclone.adapter.Operation`; the sync client runs the commands on threads, the async
client on tasks. The walk never blocks and holds at most the pages in flight.

How a walk stays exact while jobs come and go (``docs/paging.md`` is the user-facing text):

* The first page gives the total. The remaining pages are planned at once and fetched
  concurrently (``Prefetch``), then consumed in order (``Take``).
* Every page covers a *range of the listing order*: everything that existed when it was fetched
  and sorts between its first and last item (a page fetched from position 0, or from a creation
  time bound, covers from that bound). Consecutive pages must *link*: the later one contains the
  earlier one's last job, or starts strictly before it. On offset/limit vendors consecutive
  windows overlap by one job, so a link is proven by identity.
* Page-number pages of one size cannot overlap. They are trusted as a whole instead: every
  page must report the first page's total, hold the jobs that total implies, repeat no job and
  start after the previous one. When jobs only enter at the top (``inserts_first``), any
  shift that could hide a job also makes some page repeat one (see ``_Walker.run_settled``).
* When a link fails or a page-number page fails that check, the walk goes on sequentially
  before yielding anything further: by keyset continuation (a query bounded at the last seen
  creation time) when the vendor filters by creation time, else with windows that re-read
  the last confirmed job and reach furthest past it (``reaching_window``), stepping back while
  they do not link. Page-number listings where jobs can enter anywhere are read that way.
* A full last page means the listing may have grown: the walk reads on until a short page.
* Jobs are de-duplicated by id, so overlaps and re-reads never yield a job twice.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Generator, Iterable, Iterator
from datetime import datetime
from typing import Any

import attrs

from voiceclone._call import Call
from voiceclone._capabilities import SortOrder
from voiceclone._errors import ConflictError
from voiceclone._models import JobQuery, Page, VoiceCloningJob
from voiceclone._paging import (
    CursorToken,
    CursorWindow,
    NumberedWindow,
    OffsetLimit,
    OffsetWindow,
    PageNumber,
    PagingScheme,
)
from voiceclone._planner import (
    WindowPlan,
    max_page_size,
    plan_window,
    reaching_window,
    window_start,
)
from voiceclone._provider import ListRequest, Provider

__all__ = [
    "Emit",
    "ExactPage",
    "Fetch",
    "ListCall",
    "ListingPlan",
    "PageChunker",
    "Prefetch",
    "Take",
    "Totals",
    "Walk",
    "exact_page_plan",
    "links",
    "make_plan",
    "merge",
    "merge_key",
    "refine",
    "walk",
]

ListCall = Call[Page[VoiceCloningJob]]


@attrs.frozen(slots=True)
class Fetch:
    """Send these calls (concurrently if several) and resume with their pages, in order."""

    calls: tuple[ListCall, ...]


@attrs.frozen(slots=True)
class Prefetch:
    """Queue these calls; keep at most the client's concurrency of them in flight."""

    calls: Iterator[ListCall] = attrs.field(eq=False)


@attrs.frozen(slots=True)
class Take:
    """Resume with the page of the oldest queued call (waiting for it if needed)."""


@attrs.frozen(slots=True)
class Emit:
    """Jobs for the caller, new (never emitted before in this walk), in listing order.

    ``total`` is the vendor's total for this partition (None when the vendor gives none).
    """

    jobs: tuple[VoiceCloningJob, ...]
    total: int | None


Command = Fetch | Prefetch | Take | Emit
Walk = Generator[Command, Any, None]


@attrs.frozen(slots=True)
class ListingPlan:
    """Everything a listing needs, decided before the first request.

    ``exact_total`` is True when every active filter is pushed down, so the vendor's total is
    the number of jobs the caller will get. ``keyset`` is True when gaps can be filled by a
    creation-time bound. ``inserts_first`` is True when a job can only enter the vendor's
    listing at its start (newest first, and no pushed-down filter a job can move into), which
    lets pages that cannot overlap be checked by their totals. ``cap`` bounds how far each
    partition is read (None: to the end).
    """

    provider: Provider
    scheme: PagingScheme
    query: JobQuery
    partitions: tuple[str | None, ...]
    order: SortOrder
    size: int
    exact_total: bool
    keyset: bool
    cap: int | None
    inserts_first: bool = False
    fill_budget: int = 1000


def make_plan(
    provider: Provider, query: JobQuery, *, page_size: int | None, cap: int | None
) -> ListingPlan:
    """The plan for listing ``query`` on ``provider`` (arguments already validated)."""
    capabilities = provider.capabilities
    scheme = capabilities.paging
    order = capabilities.orders[0] if capabilities.orders else SortOrder.NEWEST_FIRST
    pushed = capabilities.pushed_down_filters
    bound = "created_until" if order is SortOrder.NEWEST_FIRST else "created_since"
    exact = query.active_filters() <= pushed
    return ListingPlan(
        provider=provider,
        scheme=scheme,
        query=query,
        partitions=tuple(provider.list_partitions(query)) or (None,),
        order=order,
        size=page_size or max_page_size(scheme),
        exact_total=exact,
        keyset=bound in pushed,
        cap=cap if exact else None,
        inserts_first=order is SortOrder.NEWEST_FIRST
        and query.active_filters() & pushed <= _FIXED_FILTERS,
    )


_FIXED_FILTERS = frozenset({"edition", "created_since", "created_until"})
"""Filters on what never changes: a job cannot move into them after it was created."""


# --- ordering -------------------------------------------------------------------------------

_NO_TIME = float("-inf")


def merge_key(job: VoiceCloningJob) -> tuple[float, str]:
    """The sort key of the listing order (creation time, then id), ascending."""
    created = job.created_at.timestamp() if job.created_at is not None else _NO_TIME
    return (created, job.job_id)


def _strictly_before(a: datetime | None, b: datetime | None, order: SortOrder) -> bool:
    """True when time ``a`` comes strictly before ``b`` in the listing order."""
    if a is None or b is None:
        return False
    return a > b if order is SortOrder.NEWEST_FIRST else a < b


def merge(
    streams: Iterable[Iterator[VoiceCloningJob]], order: SortOrder
) -> Iterator[VoiceCloningJob]:
    """Partitions merged into one stream in listing order (each already in that order)."""
    return heapq.merge(*streams, key=merge_key, reverse=order is SortOrder.NEWEST_FIRST)


# --- spans ----------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class _Span:
    """A piece of the listing as read: items from ``start`` (None: keyset, position unknown).

    ``from_top`` is True when it covers everything before its first item (read from position
    0 or from a creation-time bound); ``requested`` is how many items were asked for.
    """

    items: tuple[VoiceCloningJob, ...]
    start: int | None
    requested: int
    total: int | None
    from_top: bool
    bound: datetime | None = None

    @property
    def short(self) -> bool:
        """True when the listing ended inside this span."""
        return len(self.items) < self.requested

    @property
    def last_position(self) -> int:
        return (self.start or 0) + len(self.items) - 1


def links(prev: _Span, cur: _Span, order: SortOrder) -> bool:
    """True when ``cur`` continues ``prev`` with no job possibly missed between them.

    A page holds every job that existed when it was read and sorts between its first and last
    item. So ``cur`` continues ``prev`` when it was read from the top, or holds one of
    ``prev``'s jobs, or starts strictly before ``prev``'s last job (by creation time).
    """
    if not prev.items or cur.start == 0:
        return True
    last = prev.items[-1]
    if cur.bound is not None and not _strictly_before(last.created_at, cur.bound, order):
        return True  # a keyset span covers every job from its bound on
    if not cur.items:
        return False
    known = {job.job_id for job in prev.items}
    if any(job.job_id in known for job in cur.items):
        return True
    return _strictly_before(cur.items[0].created_at, last.created_at, order)


# --- the walk -------------------------------------------------------------------------------


class _Walker:
    """One partition's walk (see the module doc). Use :func:`walk`."""

    def __init__(self, plan: ListingPlan, partition: str | None) -> None:
        self.plan = plan
        self.partition = partition
        self.seen: set[str] = set()
        self.fills = 0
        self.overlap = isinstance(plan.scheme, OffsetLimit) and plan.size >= 2

    def request(self, window: Any, query: JobQuery | None = None) -> ListCall:
        return self.plan.provider.list_jobs(
            ListRequest(
                query=query or self.plan.query,
                window=window,
                partition=self.partition,
                order=self.plan.order,
            )
        )

    def emit(self, span: _Span) -> Emit:
        fresh = tuple(job for job in span.items if job.job_id not in self.seen)
        self.seen.update(job.job_id for job in fresh)
        return Emit(fresh, span.total)

    def read(
        self, start: int, size: int, query: JobQuery | None = None
    ) -> Generator[Command, Any, _Span]:
        """Items ``start .. start + size - 1`` as one span (one or two requests)."""
        window_plan = plan_window(self.plan.scheme, start, size)
        pages: tuple[Page[VoiceCloningJob], ...] = yield Fetch(
            tuple(self.request(window, query) for window in window_plan.windows)
        )
        items = tuple(window_plan.assemble([page.items for page in pages]))
        return _Span(items, start, size, pages[0].total, from_top=start == 0)

    def planned_windows(self, starts: range) -> Iterator[ListCall]:
        for start in starts:
            if isinstance(self.plan.scheme, PageNumber):
                window: Any = NumberedWindow(
                    self.plan.scheme.first + start // self.plan.size, self.plan.size
                )
            else:
                window = OffsetWindow(start, self.plan.size)
            yield self.request(window)

    def run(self) -> Walk:
        if self.overlap:
            return self.run_overlapping()
        if self.plan.inserts_first:
            return self.run_settled()
        return self.run_sequential()

    def run_overlapping(self) -> Walk:
        """Concurrent windows overlapping by one job: every link is proven by identity."""
        plan = self.plan
        stride = plan.size - 1
        prev = yield from self.read(0, plan.size)
        yield self.emit(prev)
        if prev.short or self.reached_cap(prev):
            return
        end = prev.total if prev.total is not None else plan.size
        if plan.cap is not None:
            end = min(end, plan.cap)
        starts = range(stride, end, stride)
        yield Prefetch(self.planned_windows(starts))
        for start in starts:
            page: Page[VoiceCloningJob] = yield Take()
            cur = _Span(page.items, start, plan.size, page.total, from_top=False)
            while not self.linked(prev, cur):
                prev = yield from self.fill(prev)
                yield self.emit(prev)
                if prev.short:
                    return
            yield self.emit(cur)
            prev = cur
            if cur.short or self.reached_cap(cur):
                return
        while not prev.short and not self.reached_cap(prev):
            prev = yield from self.next_after(prev)
            yield self.emit(prev)

    def run_settled(self) -> Walk:
        """Concurrent pages that cannot overlap, trusted while the listing is provably still.

        Every page must report the first page's total, hold exactly the jobs that total
        implies, repeat no job and start after the previous page. Jobs only enter at the top
        (``inserts_first``), so with equal totals a shift between two reads is always toward
        the end of the listing, and a shift that could hide a job at one page boundary also
        pushes a job already read into the page after it, at the first boundary whose pages
        were read before and after the change: a repeated job. The first page that fails the
        check hands the rest of the partition to the verified sequential walk, starting from
        the last page yielded; nothing after it has been yielded, so the order is kept.
        """
        plan = self.plan
        prev = yield from self.read(0, plan.size)
        yield self.emit(prev)
        if prev.short or self.reached_cap(prev):
            return
        total = prev.total
        if total is None:
            yield from self.sweep(prev)
            return
        end = total if plan.cap is None else min(total, plan.cap)
        starts = range(plan.size, end, plan.size)
        yield Prefetch(self.planned_windows(starts))
        for start in starts:
            page: Page[VoiceCloningJob] = yield Take()
            cur = _Span(page.items, start, plan.size, page.total, from_top=False)
            if not self.settled(prev, cur, total):
                yield from self.sweep(prev)
                return
            yield self.emit(cur)
            prev = cur

    def settled(self, prev: _Span, cur: _Span, total: int) -> bool:
        """True when ``cur`` is exactly the page that follows ``prev`` in a still listing."""
        assert cur.start is not None
        return (
            cur.total == total
            and len(cur.items) == min(cur.requested, total - cur.start)
            and not any(job.job_id in self.seen for job in cur.items)
            and not _strictly_before(
                cur.items[0].created_at, prev.items[-1].created_at, self.plan.order
            )
        )

    def run_sequential(self) -> Walk:
        """One verified window after another (when pages cannot be checked concurrently)."""
        prev = yield from self.read(0, self.plan.size)
        yield self.emit(prev)
        yield from self.sweep(prev)

    def sweep(self, prev: _Span) -> Generator[Command, Any, None]:
        """The rest of the partition after ``prev`` (already yielded), read sequentially, each
        window linked to the one before it."""
        while prev.items and not prev.short and not self.reached_cap(prev):
            prev = yield from self.verified_next(prev)
            yield self.emit(prev)

    def verified_next(self, prev: _Span) -> Generator[Command, Any, _Span]:
        """A span linked to ``prev`` that reaches past it when the listing allows.

        By keyset when the vendor filters by creation time; else the window that re-reads
        ``prev``'s last job and reaches furthest after it, stepping back (by a page, then
        twice as far, down to the top) while it does not link: jobs before it were deleted.
        """
        last = prev.items[-1]
        if self.plan.keyset and last.created_at is not None:
            span = yield from self.read_keyset(last.created_at)
            if not self.reaches_past(prev, span):
                self.spend()  # more jobs than a page share this creation time
            return span
        scheme = self.plan.scheme
        assert not isinstance(scheme, CursorToken)
        position = prev.last_position
        back = 0
        while True:
            anchor = max(0, position - back)
            window = reaching_window(scheme, anchor)
            start = window_start(scheme, window)
            if back == 0 and start + _window_size(window) <= position + 1:
                # no window holds the last job and goes on (a largest page size of 2 or less)
                window = plan_window(scheme, position + 1, 1).windows[0]
                start = window_start(scheme, window)
            span = yield from self.read_window(window, start)
            if span.start == 0 or self.linked(prev, span):
                if not self.reaches_past(prev, span):
                    self.spend()  # jobs were added before it: re-plan from where it ended
                return span
            self.spend()
            back = self.plan.size if back == 0 else back * 2

    def reaches_past(self, prev: _Span, span: _Span) -> bool:
        """True when ``span`` ends after ``prev``'s last job, or at the listing's end."""
        if span.short or not span.items:
            return True
        last, end = prev.items[-1], span.items[-1]
        return end.job_id != last.job_id and not _strictly_before(
            end.created_at, last.created_at, self.plan.order
        )

    def read_window(
        self, window: OffsetWindow | NumberedWindow, start: int
    ) -> Generator[Command, Any, _Span]:
        """One window as a span."""
        pages: tuple[Page[VoiceCloningJob], ...] = yield Fetch((self.request(window),))
        page = pages[0]
        return _Span(page.items, start, _window_size(window), page.total, from_top=start == 0)

    def linked(self, prev: _Span, cur: _Span) -> bool:
        return links(prev, cur, self.plan.order)

    def reached_cap(self, span: _Span) -> bool:
        cap = self.plan.cap
        return cap is not None and span.start is not None and span.start + len(span.items) >= cap

    def next_after(self, prev: _Span) -> Generator[Command, Any, _Span]:
        """The span after ``prev``, read sequentially, linked to it."""
        if prev.start is not None:
            start = prev.last_position + (0 if self.overlap else 1)
            cur = yield from self.read(start, self.plan.size)
            if self.linked(prev, cur):
                return cur
        return (yield from self.fill(prev))

    def fill(self, prev: _Span) -> Generator[Command, Any, _Span]:
        """A span that links to ``prev`` (it starts at or before prev's last job)."""
        last = prev.items[-1]
        if self.plan.keyset and last.created_at is not None:
            self.spend()
            return (yield from self.read_keyset(last.created_at))
        back = 0
        while True:
            self.spend()
            start = max(0, prev.last_position - back)
            span = yield from self.read(start, self.plan.size)
            if self.linked(prev, span):
                return span
            back = self.plan.size if back == 0 else back * 2

    def read_keyset(self, bound: datetime) -> Generator[Command, Any, _Span]:
        """The first page of the jobs created at ``bound`` or after it in listing order."""
        query = self.plan.query
        if self.plan.order is SortOrder.NEWEST_FIRST:
            until = bound if query.created_until is None else min(bound, query.created_until)
            query = attrs.evolve(query, created_until=until)
        else:
            since = bound if query.created_since is None else max(bound, query.created_since)
            query = attrs.evolve(query, created_since=since)
        span = yield from self.read(0, self.plan.size, query)
        return attrs.evolve(span, start=None, from_top=False, bound=bound)

    def spend(self) -> None:
        self.fills += 1
        if self.fills > self.plan.fill_budget:
            raise ConflictError(
                "the listing changed faster than it could be read; try again",
                provider=self.plan.provider.id,
                retryable=True,
            )


def _window_size(window: OffsetWindow | NumberedWindow) -> int:
    return window.limit if isinstance(window, OffsetWindow) else window.size


def walk(plan: ListingPlan, partition: str | None) -> Walk:
    """The walk of one partition: yields commands, emits every job once, in listing order."""
    if isinstance(plan.scheme, CursorToken):
        return _walk_cursor(plan, partition)
    return _Walker(plan, partition).run()


def _walk_cursor(plan: ListingPlan, partition: str | None) -> Walk:
    """Cursor listings are sequential: the vendor's token is the continuation."""
    walker = _Walker(plan, partition)
    token: str | None = None
    count = 0
    while True:
        pages = yield Fetch((walker.request(CursorWindow(token, plan.size)),))
        page: Page[VoiceCloningJob] = pages[0]
        yield walker.emit(_Span(page.items, None, plan.size, page.total, from_top=False))
        count += len(page.items)
        if not page.next_token or not page.items or (plan.cap is not None and count >= plan.cap):
            return
        token = page.next_token


# --- one exact window ------------------------------------------------------------------------


@attrs.frozen(slots=True)
class ExactPage:
    """A ``get_page`` answered straight from the planned windows (one partition, every filter
    pushed down): the calls to send, and how to make the page from their replies.
    """

    plan: WindowPlan
    query: JobQuery
    calls: tuple[ListCall, ...]

    def page(self, pages: tuple[Page[VoiceCloningJob], ...]) -> Page[VoiceCloningJob] | None:
        """The page; None when the vendor leaked rows a filter excludes (walk instead)."""
        items = self.plan.assemble([page.items for page in pages])
        if not all(self.query.matches(job) for job in items):
            return None
        total = pages[0].total if pages else None
        return Page(tuple(items), self.plan.offset, self.plan.limit, total)


def exact_page_plan(plan: ListingPlan, offset: int, limit: int) -> ExactPage | None:
    """The direct plan for one window, or None when only a walk can answer exactly
    (cursor paging, several partitions to merge, or filters left to the client).
    """
    if isinstance(plan.scheme, CursorToken) or len(plan.partitions) != 1 or not plan.exact_total:
        return None
    window_plan = plan_window(plan.scheme, offset, limit)
    walker = _Walker(plan, plan.partitions[0])
    return ExactPage(window_plan, plan.query, tuple(walker.request(w) for w in window_plan.windows))


# --- after the walk: filter, count, page -----------------------------------------------------


class Totals:
    """The listing's total: the sum of the partitions' vendor totals, when it can be known."""

    def __init__(self, plan: ListingPlan) -> None:
        self._exact = plan.exact_total
        self._by_partition: dict[int, int | None] = {}
        self._count = len(plan.partitions)
        self.leaked = False

    def record(self, partition: int, total: int | None) -> None:
        self._by_partition.setdefault(partition, total)

    @property
    def value(self) -> int | None:
        """The total, or None when filtering on the client (or a leak) makes it unknowable."""
        if not self._exact or self.leaked or len(self._by_partition) < self._count:
            return None
        totals = list(self._by_partition.values())
        return None if any(t is None for t in totals) else sum(t for t in totals if t is not None)


def refine(
    jobs: Iterator[VoiceCloningJob], query: JobQuery, totals: Totals, max_items: int | None
) -> Iterator[VoiceCloningJob]:
    """Re-check every filter on every job and stop after ``max_items``."""
    if max_items == 0:
        return
    check = bool(query.active_filters())  # without a filter every job matches
    count = 0
    for job in jobs:
        if check and not query.matches(job):
            totals.leaked = True
            continue
        yield job
        count += 1
        if max_items is not None and count >= max_items:
            return


class PageChunker:
    """Cuts the job stream into ``Page`` objects of ``size`` jobs, numbered by position."""

    def __init__(self, size: int, total: Callable[[], int | None]) -> None:
        self.size = size
        self.total = total
        self.offset = 0
        self.items: list[VoiceCloningJob] = []

    def add(self, job: VoiceCloningJob) -> Page[VoiceCloningJob] | None:
        """Add a job; returns a full page when one is complete."""
        self.items.append(job)
        return self.flush() if len(self.items) >= self.size else None

    def flush(self) -> Page[VoiceCloningJob] | None:
        """The page of what is left, if anything."""
        if not self.items:
            return None
        page = Page(tuple(self.items), self.offset, self.size, self.total())
        self.offset += len(self.items)
        self.items = []
        return page
