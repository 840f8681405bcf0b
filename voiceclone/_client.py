"""``Client``: the synchronous client. Sends every ``Call``, retries, lists, waits.

The decisions (retries, listing walks, waiting) live in pure modules shared with
:class:`~voiceclone.AsyncClient`; this module only performs them with blocking I/O and a
thread pool for concurrent page fetches.
"""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
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
    merge,
    refine,
    walk,
)
from voiceclone._models import CreatedJob, JobQuery, JobStatus, NewJob, Page, VoiceCloningJob
from voiceclone._retry import RetryPolicy
from voiceclone._timeout import Timeout
from voiceclone._wait import Waiter

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

__all__ = ["Client", "JobIterator"]

T = TypeVar("T")
StatusFilter = Iterable[JobStatus | str] | JobStatus | str | None


class Client(ClientBase):
    """A synchronous client for one provider.

    ``provider`` is a provider id or alias (``"huawei"``, ``"alibaba-ice"``); ``region``,
    ``endpoint`` and the other ``settings`` (credentials, ``project_id``, ``env=``) go to the
    provider's factory. ``http_client`` injects your own ``httpx.Client`` (proxies, a
    ``MockTransport``); it is not closed by :meth:`close`. ``retry`` and ``timeout`` apply to
    every call; ``max_concurrency`` bounds the pages fetched at once by a listing.

    ``clock`` (monotonic seconds) and ``sleep`` replace the real ones, for tests.
    """

    def __init__(
        self,
        provider: str,
        *,
        region: str | None = None,
        endpoint: str | None = None,
        http_client: httpx.Client | None = None,
        retry: RetryPolicy | None = None,
        timeout: Timeout | None = None,
        max_concurrency: int = 8,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], None] | None = None,
        rng: random.Random | None = None,
        **settings: Any,
    ) -> None:
        if http_client is not None and not isinstance(http_client, httpx.Client):
            raise ValidationError("http_client", "must be an httpx.Client")
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
        self._http = http_client if http_client is not None else httpx.Client()
        self._sleep = sleep if sleep is not None else time.sleep
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()

    # --- lifecycle --------------------------------------------------------------------------

    def close(self) -> None:
        """Stop the fetch threads and close the HTTP client (unless it was injected)."""
        with self._pool_lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- sending ----------------------------------------------------------------------------

    def call(self, op: Operation[T]) -> T:
        """Execute an operation: one ``Call``, or a generator of calls (see ``Operation``).

        A generator gets each call's result back, or the call's error thrown into it.
        """
        if isinstance(op, Call):
            return self._send(op)
        if not isinstance(op, Generator):
            raise ValidationError("op", f"must be a Call or an operation, not {type(op)!r}")
        return self._run(op)

    def _run(self, operation: Generator[Call[Any], Any, T]) -> T:
        try:
            call = next(operation)
            while True:
                try:
                    result = self._send(call)
                except VoiceCloneError as error:
                    call = operation.throw(error)
                else:
                    call = operation.send(result)
        except StopIteration as stop:
            value: T = stop.value
            return value

    def _send(self, call: Call[T]) -> T:
        request = self._prepare(call)
        attempt = 0
        while True:
            attempt += 1
            started = self._clock()
            try:
                response = self._http.send(request, auth=self._provider.auth)
            except httpx.TransportError as exc:
                error = self._failed(call, exc, attempt, started)
            else:
                try:
                    return self._parse(call, response, attempt, started)
                except VoiceCloneError as exc:
                    error = exc
                finally:
                    response.close()
            delay = self._delay(call, error, attempt)
            if delay is None:
                raise error
            self._sleep(delay)

    def _executor(self) -> ThreadPoolExecutor:
        with self._pool_lock:
            if self._pool is None:
                from concurrent.futures import ThreadPoolExecutor  # first use: cheap import

                self._pool = ThreadPoolExecutor(
                    max_workers=self._max_concurrency, thread_name_prefix="voiceclone"
                )
            return self._pool

    # --- neutral operations -----------------------------------------------------------------

    def get_job(self, job_id: str) -> VoiceCloningJob:
        """The job with this id (``NotFoundError`` when there is none)."""
        return self._send(self._provider.get_job(check_job_id(job_id)))

    def create_job(self, new: NewJob) -> CreatedJob:
        """Create a job; the result says where its training data goes."""
        new = self._check_new_job(new)
        flag = self.capabilities.can_create
        op = self._operation("create jobs", flag, lambda: self._provider.create_job(new))
        return self.call(op)

    def submit_job(self, job_id: str) -> None:
        """Submit a job for training once its data is in place."""
        job_id = check_job_id(job_id)
        flag = self.capabilities.can_submit
        self.call(self._operation("submit jobs", flag, lambda: self._provider.submit_job(job_id)))

    def delete_job(self, job_id: str) -> None:
        """Delete a job."""
        job_id = check_job_id(job_id)
        flag = self.capabilities.can_delete
        self.call(self._operation("delete jobs", flag, lambda: self._provider.delete_job(job_id)))

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
    ) -> JobIterator:
        """Every job matching the filters, lazily, newest first (or the provider's order).

        ``max_items`` stops after that many jobs (None: all). ``page_size`` is how many jobs
        each vendor request asks for (None: the largest the vendor allows, which is fastest).
        Iterate the result for jobs, or call ``.pages()`` for pages. See ``docs/paging.md``.
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
        return JobIterator(self, plan, max_items)

    def get_page(
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
        """Jobs ``offset .. offset + limit - 1`` of the filtered listing, in the fewest requests.

        ``total`` is None when it cannot be known (filters applied on the client).
        """
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
            page = exact.page(self._send_all(exact.calls))
            if page is not None:
                return page
            # The vendor ignored a filter it claims to apply: filter here, total unknown.
            plan = attrs.evolve(plan, cap=None, exact_total=False)
        jobs = JobIterator(self, plan, offset + limit)
        items = tuple(jobs)[offset:]
        return Page(items, offset, limit, jobs.total)

    def wait_for_job(
        self,
        job_id: str,
        *,
        timeout: float = 3600.0,
        interval: float = 5.0,
        on_change: Callable[[VoiceCloningJob], None] | None = None,
        raise_on_failure: bool = True,
    ) -> VoiceCloningJob:
        """Poll the job until it succeeds or fails, and return it.

        Polls start ``interval`` seconds apart and grow to a minute. ``on_change`` is called
        with the job on the first poll and on every status change. A failed job raises
        ``JobFailedError`` (unless ``raise_on_failure`` is False); at ``timeout`` seconds
        ``WaitTimeoutError`` carries the last job seen.
        """
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
                job = self.get_job(job_id)
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
            self._sleep(step.delay)

    # --- listing machinery ------------------------------------------------------------------

    def _send_all(self, calls: tuple[ListCall, ...]) -> tuple[Page[VoiceCloningJob], ...]:
        if len(calls) == 1:
            return (self._send(calls[0]),)
        return tuple(self._executor().map(self._send, calls))

    def _drive(self, walk: Walk) -> Iterator[Emit]:
        """Run a listing walk's commands with threads; yields what it emits."""
        queued: Iterator[ListCall] = iter(())
        in_flight: deque[Future[Page[VoiceCloningJob]]] = deque()

        def top_up() -> None:
            while len(in_flight) < self._max_concurrency:
                call = next(queued, None)
                if call is None:
                    return
                in_flight.append(self._executor().submit(self._send, call))

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
                    result = self._send_all(command.calls)
                elif isinstance(command, Prefetch):
                    queued = command.calls
                    top_up()
                elif isinstance(command, Take):
                    result = in_flight[0].result()
                    in_flight.popleft()
                    top_up()
        finally:
            for future in in_flight:
                future.cancel()
            walk.close()


class JobIterator:
    """The jobs of one listing, fetched as they are consumed. Iterate it (once) for jobs, or
    call :meth:`pages` for ``Page`` objects. ``total`` is known once iteration has started
    (None when it cannot be known).
    """

    def __init__(self, client: Client, plan: ListingPlan, max_items: int | None) -> None:
        self._client = client
        self._plan = plan
        self._max_items = max_items
        self._totals = Totals(plan)

    @property
    def total(self) -> int | None:
        """How many jobs match, when the vendor says and every filter was applied by it."""
        return self._totals.value

    def __iter__(self) -> Iterator[VoiceCloningJob]:
        streams = [self._partition(index, p) for index, p in enumerate(self._plan.partitions)]
        merged = streams[0] if len(streams) == 1 else merge(streams, self._plan.order)
        try:
            yield from refine(merged, self._plan.query, self._totals, self._max_items)
        finally:
            for stream in streams:
                stream.close()

    def pages(self) -> Iterator[Page[VoiceCloningJob]]:
        """The jobs as pages of ``page_size`` (the last may be shorter)."""
        chunker = PageChunker(self._plan.size, lambda: self._totals.value)
        for job in self:
            page = chunker.add(job)
            if page is not None:
                yield page
        last = chunker.flush()
        if last is not None:
            yield last

    def _partition(
        self, index: int, partition: str | None
    ) -> Generator[VoiceCloningJob, None, None]:
        for emit in self._client._drive(walk(self._plan, partition)):
            self._totals.record(index, emit.total)
            yield from emit.jobs
