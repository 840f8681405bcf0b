"""``AsyncClient``: the asynchronous client, the same API as ``Client`` with ``await``.

The decisions (retries, listing walks, waiting) are the pure code ``Client`` uses; this module
performs them with asyncio, and concurrent page fetches are tasks.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Iterable,
    Iterator,
    Sequence,
)
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import httpx

from voiceclone._arguments import (
    MAX_POSITION,
    build_query,
    check_count,
    check_job_id,
    check_page_size,
    check_seconds,
)
from voiceclone._call import Call, Operation
from voiceclone._capabilities import SortOrder
from voiceclone._client_base import ClientBase
from voiceclone._errors import ValidationError, VoiceCloneError
from voiceclone._listing import (
    Emit,
    Fetch,
    ListCall,
    ListingPlan,
    PageChunker,
    Prefetch,
    Take,
    Totals,
    Walk,
    exact_page_plan,
    make_plan,
    merge_key,
    walk,
)
from voiceclone._models import CreatedJob, JobQuery, JobStatus, NewJob, Page, VoiceCloningJob
from voiceclone._retry import RetryPolicy
from voiceclone._timeout import Timeout
from voiceclone._wait import Waiter

if TYPE_CHECKING:
    import asyncio

__all__ = ["AsyncClient", "AsyncJobIterator"]

T = TypeVar("T")
StatusFilter = Iterable[JobStatus | str] | JobStatus | str | None


class AsyncClient(ClientBase):
    """An asynchronous client for one provider; see :class:`~voiceclone.Client` for the
    arguments. ``http_client`` is an ``httpx.AsyncClient``; ``sleep`` is an async function.
    """

    def __init__(
        self,
        provider: str,
        *,
        region: str | None = None,
        endpoint: str | None = None,
        http_client: httpx.AsyncClient | None = None,
        retry: RetryPolicy | None = None,
        timeout: Timeout | None = None,
        max_concurrency: int = 8,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        rng: random.Random | None = None,
        **settings: Any,
    ) -> None:
        if http_client is not None and not isinstance(http_client, httpx.AsyncClient):
            raise ValidationError("http_client", "must be an httpx.AsyncClient")
        super().__init__(
            provider,
            region=region,
            endpoint=endpoint,
            retry=retry,
            timeout=timeout,
            default_timeout=(
                Timeout.from_httpx(http_client.timeout) if http_client is not None else Timeout()
            ),
            max_concurrency=max_concurrency,
            settings=settings,
            clock=clock,
            rng=rng,
        )
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx.AsyncClient()
        self._sleep = sleep if sleep is not None else _asyncio_sleep

    # --- lifecycle --------------------------------------------------------------------------

    async def aclose(self) -> None:
        """Close the HTTP client (unless it was injected)."""
        if self._owns_http:
            await self._http.aclose()

    async def close(self) -> None:
        """The same as :meth:`aclose`."""
        await self.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    # --- sending ----------------------------------------------------------------------------

    async def call(self, op: Operation[T]) -> T:
        """Execute an operation: one ``Call``, or a generator of calls (see ``Operation``)."""
        if isinstance(op, Call):
            return await self._send(op)
        if not isinstance(op, Generator):
            raise ValidationError("op", f"must be a Call or an operation, not {type(op)!r}")
        return await self._run(op)

    async def _run(self, operation: Generator[Call[Any], Any, T]) -> T:
        try:
            call = next(operation)
            while True:
                try:
                    result = await self._send(call)
                except VoiceCloneError as error:
                    call = operation.throw(error)
                else:
                    call = operation.send(result)
        except StopIteration as stop:
            value: T = stop.value
            return value

    async def _send(self, call: Call[T]) -> T:
        request = self._prepare(call)
        attempt = 0
        while True:
            attempt += 1
            started = self._clock()
            try:
                response = await self._http.send(request, auth=self._provider.auth)
            except httpx.TransportError as exc:
                error = self._failed(call, exc, attempt, started)
            else:
                try:
                    return self._parse(call, response, attempt, started)
                except VoiceCloneError as exc:
                    error = exc
                finally:
                    await response.aclose()
            delay = self._delay(call, error, attempt)
            if delay is None:
                raise error
            await self._sleep(delay)

    # --- neutral operations -----------------------------------------------------------------

    async def get_job(self, job_id: str) -> VoiceCloningJob:
        """The job with this id (``NotFoundError`` when there is none)."""
        return await self._send(self._provider.get_job(check_job_id(job_id)))

    async def create_job(self, new: NewJob) -> CreatedJob:
        """Create a job; the result says where its training data goes."""
        new = self._check_new_job(new)
        flag = self.capabilities.can_create
        op = self._operation("create jobs", flag, lambda: self._provider.create_job(new))
        return await self.call(op)

    async def submit_job(self, job_id: str) -> None:
        """Submit a job for training once its data is in place."""
        job_id = check_job_id(job_id)
        flag = self.capabilities.can_submit
        op = self._operation("submit jobs", flag, lambda: self._provider.submit_job(job_id))
        await self.call(op)

    async def delete_job(self, job_id: str) -> None:
        """Delete a job."""
        job_id = check_job_id(job_id)
        flag = self.capabilities.can_delete
        op = self._operation("delete jobs", flag, lambda: self._provider.delete_job(job_id))
        await self.call(op)

    def list_jobs(
        self,
        query: JobQuery | None = None,
        *,
        status: StatusFilter = None,
        edition: str | None = None,
        created_since: datetime | None = None,
        created_until: datetime | None = None,
        updated_since: datetime | None = None,
        updated_until: datetime | None = None,
        voice_name: str | None = None,
        max_items: int | None = None,
        page_size: int | None = None,
    ) -> AsyncJobIterator:
        """Every matching job, as an async iterator (``.pages()`` for pages); see
        :meth:`Client.list_jobs`. Arguments are checked here, before any request.
        """
        full = build_query(
            query,
            status=status,
            edition=edition,
            created_since=created_since,
            created_until=created_until,
            updated_since=updated_since,
            updated_until=updated_until,
            voice_name=voice_name,
        )
        if max_items is not None:
            check_count("max_items", max_items, 0)
        size = check_page_size(page_size, self.capabilities.paging, self.provider_id)
        plan = make_plan(self._provider, full, page_size=size, cap=max_items)
        return AsyncJobIterator(self, plan, max_items)

    async def get_page(
        self,
        offset: int = 0,
        limit: int = 20,
        query: JobQuery | None = None,
        *,
        status: StatusFilter = None,
        edition: str | None = None,
        created_since: datetime | None = None,
        created_until: datetime | None = None,
        updated_since: datetime | None = None,
        updated_until: datetime | None = None,
        voice_name: str | None = None,
    ) -> Page[VoiceCloningJob]:
        """Jobs ``offset .. offset + limit - 1``; see :meth:`Client.get_page`."""
        check_count("offset", offset, 0, MAX_POSITION)
        check_count("limit", limit, 1)
        full = build_query(
            query,
            status=status,
            edition=edition,
            created_since=created_since,
            created_until=created_until,
            updated_since=updated_since,
            updated_until=updated_until,
            voice_name=voice_name,
        )
        plan = make_plan(self._provider, full, page_size=None, cap=offset + limit)
        exact = exact_page_plan(plan, offset, limit)
        if exact is not None:
            page = exact.page(await self._send_all(exact.calls))
            if page is not None:
                return page
            # The vendor ignored a filter it claims to apply: filter here, total unknown.
            plan = attrs.evolve(plan, cap=None, exact_total=False)
        jobs = AsyncJobIterator(self, plan, offset + limit)
        items = [job async for job in jobs]
        return Page(tuple(items[offset:]), offset, limit, jobs.total)

    async def wait_for_job(
        self,
        job_id: str,
        *,
        timeout: float = 3600.0,
        interval: float = 5.0,
        on_change: Callable[[VoiceCloningJob], None] | None = None,
        raise_on_failure: bool = True,
    ) -> VoiceCloningJob:
        """Poll the job until it succeeds or fails; see :meth:`Client.wait_for_job`."""
        job_id = check_job_id(job_id)
        waiter = Waiter(
            job_id=job_id,
            provider=self.provider_id,
            timeout=check_seconds("timeout", timeout),
            started=self._clock(),
            interval=check_seconds("interval", interval),
            raise_on_failure=raise_on_failure,
        )
        while True:
            try:
                job = await self.get_job(job_id)
            except VoiceCloneError as error:
                if error.retryable and (expired := waiter.expired(self._clock())) is not None:
                    raise expired from error
                raise
            step = waiter.observe(job, self._clock())
            if step.changed and on_change is not None:
                on_change(job)
            if step.error is not None:
                raise step.error
            if step.done:
                return job
            await self._sleep(step.delay)

    # --- listing machinery ------------------------------------------------------------------

    async def _send_all(self, calls: tuple[ListCall, ...]) -> tuple[Page[VoiceCloningJob], ...]:
        if len(calls) == 1:
            return (await self._send(calls[0]),)
        import asyncio  # imported on first use: ``import voiceclone`` stays cheap

        return tuple(await asyncio.gather(*(self._send(call) for call in calls)))

    async def _drive(self, walk: Walk) -> AsyncIterator[Emit]:
        """Run a listing walk's commands with tasks; yields what it emits."""
        import asyncio

        queued: Iterator[ListCall] = iter(())
        in_flight: deque[asyncio.Task[Page[VoiceCloningJob]]] = deque()

        def top_up() -> None:
            while len(in_flight) < self._max_concurrency:
                call = next(queued, None)
                if call is None:
                    return
                in_flight.append(asyncio.ensure_future(self._send(call)))

        result: Any = None
        try:
            while True:
                try:
                    command = walk.send(result)
                except StopIteration:
                    return
                result = None
                if isinstance(command, Emit):
                    yield command
                elif isinstance(command, Fetch):
                    result = await self._send_all(command.calls)
                elif isinstance(command, Prefetch):
                    queued = command.calls
                    top_up()
                elif isinstance(command, Take):
                    result = await in_flight[0]
                    in_flight.popleft()
                    top_up()
        finally:
            for task in in_flight:
                task.cancel()
            walk.close()


class AsyncJobIterator:
    """The jobs of one listing, as an async iterator; :meth:`pages` gives pages."""

    def __init__(self, client: AsyncClient, plan: ListingPlan, max_items: int | None) -> None:
        self._client = client
        self._plan = plan
        self._max_items = max_items
        self._totals = Totals(plan)

    @property
    def total(self) -> int | None:
        """How many jobs match, when it can be known (after iteration has started)."""
        return self._totals.value

    def __aiter__(self) -> AsyncIterator[VoiceCloningJob]:
        return self._jobs()

    async def _jobs(self) -> AsyncGenerator[VoiceCloningJob, None]:
        if self._max_items == 0:
            return
        streams = [self._partition(index, p) for index, p in enumerate(self._plan.partitions)]
        merged = streams[0] if len(streams) == 1 else _merge(streams, self._plan.order)
        query = self._plan.query
        check = bool(query.active_filters())  # without a filter every job matches
        count = 0
        try:
            async for job in merged:
                if check and not query.matches(job):
                    self._totals.leaked = True
                    continue
                yield job
                count += 1
                if self._max_items is not None and count >= self._max_items:
                    return
        finally:
            for stream in streams:
                await stream.aclose()

    async def pages(self) -> AsyncIterator[Page[VoiceCloningJob]]:
        """The jobs as pages of ``page_size`` (the last may be shorter)."""
        chunker = PageChunker(self._plan.size, lambda: self._totals.value)
        async for job in self._jobs():
            page = chunker.add(job)
            if page is not None:
                yield page
        last = chunker.flush()
        if last is not None:
            yield last

    async def _partition(
        self, index: int, partition: str | None
    ) -> AsyncGenerator[VoiceCloningJob, None]:
        async for emit in self._client._drive(walk(self._plan, partition)):
            self._totals.record(index, emit.total)
            for job in emit.jobs:
                yield job


async def _asyncio_sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)


async def _merge(
    streams: Sequence[AsyncIterator[VoiceCloningJob]], order: SortOrder
) -> AsyncIterator[VoiceCloningJob]:
    """Partitions merged in listing order (each already in that order)."""
    newest_first = order is SortOrder.NEWEST_FIRST
    heads: dict[int, VoiceCloningJob] = {}
    for index, stream in enumerate(streams):
        head = await anext(stream, None)
        if head is not None:
            heads[index] = head
    while heads:
        pick = (max if newest_first else min)(heads, key=lambda i: (merge_key(heads[i]), -i))
        yield heads[pick]
        head = await anext(streams[pick], None)
        if head is None:
            del heads[pick]
        else:
            heads[pick] = head
