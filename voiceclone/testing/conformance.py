"""The conformance kit: what every adapter owes, as a pytest base class a plugin subclasses.

A provider package proves it meets the bar the built-in adapters meet by running this kit
against its own emulator, in-process (no sockets, no cloud account)::

    # tests/test_conformance.py of your plugin
    from voiceclone.testing.conformance import AdapterConformance

    class TestAcmeConformance(AdapterConformance):
        provider = "acme-voice"              # the id your entry point registers
        emulator_options = {"seed": 3}        # keyword options for your emulator

pytest collects the ``test_*`` methods below in the subclass. They check, against the
emulator the provider's :class:`~voiceclone.ProviderSpec` ships:

* the spec, the adapter and the emulator agree (ids, capabilities, protocols);
* the status table covers every vendor value the adapter declares and every value the emulator
  produces, never maps to UNKNOWN, and a value it does not know becomes UNKNOWN with
  ``raw_status`` kept;
* the paging scheme the adapter declares is the one it speaks: windows of that scheme are
  exact slices of the listing, windows of another scheme or too large are refused before any
  request, and every job is listed once, in the declared order;
* the filters it claims to push down are honoured by the vendor (no job leaked, none lost),
  and every filter, pushed down or not, gives the right jobs through ``voiceclone.Client``;
* error replies map to the neutral classes (not found, authentication, throttling with
  ``retry_after``, 5xx), and malformed or mutated replies raise ``ProviderError`` subclasses,
  never ``KeyError``/``TypeError``;
* its signing is accepted by the emulator, and an unsigned or tampered request is not;
* secrets stay out of ``repr`` and errors; every job round-trips through the neutral JSON form;
* create, get and delete work end to end where the capabilities say they do.

Class attributes tune the kit: :attr:`AdapterConformance.status_table` when the adapter does
not publish ``status_table`` itself, :attr:`AdapterConformance.documented_statuses` (the vendor's
documented values, which the table must cover), :attr:`AdapterConformance.jobs` (how many sample
jobs to seed), :attr:`AdapterConformance.new_job` (what to create). ``docs/plugins.md`` is the
guide.
"""

from __future__ import annotations

import asyncio
import collections
import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any, ClassVar

import attrs
import httpx
import pytest

from voiceclone._call import Call, Operation
from voiceclone._client import Client
from voiceclone._converter import from_dict, to_dict
from voiceclone._emulator import Emulator
from voiceclone._errors import (
    AuthenticationError,
    NotFoundError,
    ProviderError,
    ProviderResponseError,
    RateLimitError,
    ServiceUnavailableError,
    ValidationError,
    VoiceCloneError,
)
from voiceclone._models import JobQuery, JobStatus, NewJob, Page, VoiceCloningJob
from voiceclone._paging import (
    CursorToken,
    CursorWindow,
    NumberedWindow,
    OffsetLimit,
    OffsetWindow,
    PageNumber,
    Window,
)
from voiceclone._provider import ListRequest, Provider, ProviderSpec
from voiceclone._registry import resolve_provider
from voiceclone.testing._factory import Emulated, emulate
from voiceclone.testing._transport import EmulatorTransport

__all__ = ["AdapterConformance", "Wire"]

UNKNOWN_VALUE = "CONFORMANCE_UNDOCUMENTED_VALUE"
"""The vendor status the kit invents to check that unknown values become UNKNOWN."""
_NOT_SECRET = frozenset({"endpoint", "region", "project_id", "env"})
_MUTANTS: tuple[Any, ...] = (None, [], {}, -1, 10**20, "", "\x00not-a-value", True, 1.5)


class Wire:
    """An adapter wired to an emulator through a plain ``httpx.Client``, with no retries: what
    the kit uses to check the adapter's own requests and replies, call by call."""

    def __init__(self, adapter: Provider, http: httpx.Client) -> None:
        self.adapter = adapter
        self.http = http

    def response(self, call: Call[Any], *, signed: bool = True) -> httpx.Response:
        """The emulator's reply to ``call``'s request (signed by the adapter's auth)."""
        return self.http.send(call.request, auth=self.adapter.auth if signed else None)

    def send(self, call: Call[Any]) -> Any:
        """``call``'s parsed result (or its neutral error)."""
        return call.parse(self.response(call))

    def run(self, operation: Operation[Any]) -> Any:
        """An operation's result: one call, or a generator of calls."""
        if isinstance(operation, Call):
            return self.send(operation)
        result: Any = None
        try:
            while True:
                result = self.send(operation.send(result))
        except StopIteration as stop:
            return stop.value

    def page(self, window: Window, partition: str | None, query: JobQuery) -> Page[Any]:
        """One vendor page of ``partition``, in the adapter's default order."""
        order = self.adapter.capabilities.orders[0]
        return self.send(self.adapter.list_jobs(ListRequest(query, window, partition, order)))  # type: ignore[no-any-return]

    def walk(
        self, partition: str | None, query: JobQuery, size: int
    ) -> tuple[list[VoiceCloningJob], list[int | None]]:
        """Every job of a partition, read page by page in the declared scheme; and the totals
        the pages reported."""
        scheme = self.adapter.capabilities.paging
        jobs: list[VoiceCloningJob] = []
        totals: list[int | None] = []
        token: str | None = None
        for index in range(100_000 // size + 2):
            window: Window
            if isinstance(scheme, OffsetLimit):
                window = OffsetWindow(index * size, size)
            elif isinstance(scheme, PageNumber):
                window = NumberedWindow(scheme.first + index, size)
            else:
                window = CursorWindow(token, size)
            page = self.page(window, partition, query)
            jobs.extend(page.items)
            totals.append(page.total)
            if isinstance(scheme, CursorToken):
                token = page.next_token
                if not token or not page.items:
                    return jobs, totals
            elif len(page.items) < size:
                return jobs, totals
        raise AssertionError(f"the listing of partition {partition!r} never ended")


def _ids(jobs: Any) -> list[str]:
    return [job.job_id for job in jobs]


def _max_size(scheme: OffsetLimit | PageNumber | CursorToken) -> int:
    return scheme.max_limit if isinstance(scheme, OffsetLimit) else scheme.max_size


def _rewritten(value: Any, old: str, new: str) -> Any:
    if isinstance(value, dict):
        return {key: _rewritten(item, old, new) for key, item in value.items()}
    if isinstance(value, list):
        return [_rewritten(item, old, new) for item in value]
    return new if value == old and isinstance(value, str) else value


def _with_body(
    response: httpx.Response, content: bytes, request: httpx.Request | None
) -> httpx.Response:
    """``response`` with another body (and the request it answers, when there is one)."""
    headers = [
        (name, value)
        for name, value in response.headers.multi_items()
        if name.lower() not in ("content-length", "content-encoding", "transfer-encoding")
    ]
    return httpx.Response(response.status_code, headers=headers, content=content, request=request)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The path to every node below the root of a JSON value."""
    items: Any = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, item in items:
        yield (*prefix, key)
        yield from _paths(item, (*prefix, key))


def _replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    copy: Any = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = _replaced(value[path[0]], path[1:], new)
    return copy


def _signed(auth: httpx.Auth, request: httpx.Request) -> httpx.Request:
    """``request`` as the auth flow signs it (the first request the flow yields)."""
    flow = auth.sync_auth_flow(request)
    signed = next(flow)
    flow.close()
    return signed


def _resent(request: httpx.Request, url: httpx.URL) -> httpx.Request:
    """A copy of a signed request sent to another URL, headers and body untouched."""
    return httpx.Request(request.method, url, headers=request.headers, content=request.content)


class AdapterConformance:
    """Subclass it as ``Test<Vendor>Conformance`` and set :attr:`provider`; pytest runs the
    checks on your adapter against your emulator. See the module documentation."""

    provider: ClassVar[str] = ""
    """The provider id (or alias) under test."""
    emulator_options: ClassVar[Mapping[str, Any]] = {}
    """Keyword options for the provider's emulator (``seed`` is set by :attr:`seed`)."""
    seed: ClassVar[int] = 11
    jobs: ClassVar[int] = 64
    """Sample jobs seeded in the emulator: enough to cover every status and edition."""
    status_table: ClassVar[Mapping[str, JobStatus] | None] = None
    """The adapter's vendor-value -> neutral status table, when the adapter object does not
    publish one as ``status_table``."""
    documented_statuses: ClassVar[frozenset[str]] = frozenset()
    """The vendor's documented status values; the table must cover each of them."""
    new_job: ClassVar[NewJob | None] = None
    """What the lifecycle check creates (default: a job in the first declared language)."""

    # --- fixtures ---------------------------------------------------------------------------

    @pytest.fixture
    def spec(self) -> ProviderSpec:
        """The registered spec of the provider under test."""
        if not self.provider:
            pytest.fail(f"{type(self).__name__} must set provider = '<provider id>'")
        return resolve_provider(self.provider)

    @pytest.fixture
    def emulated(self, spec: ProviderSpec) -> Iterator[Emulated]:
        """The provider's emulator, in-process, seeded with :attr:`jobs` sample jobs."""
        if spec.emulator is None:
            pytest.fail(f"{spec.id} ships no emulator: set ProviderSpec.emulator")
        options = {"seed": self.seed, **self.emulator_options}
        with emulate(spec.id, jobs=self.jobs, **options) as emulated:
            yield emulated

    @pytest.fixture
    def emulator(self, emulated: Emulated) -> Emulator:
        return emulated.emulator

    @pytest.fixture
    def adapter(self, spec: ProviderSpec, emulated: Emulated) -> Provider:
        """The adapter, configured with the emulator's endpoint and credentials."""
        return spec.create(**emulated.settings())

    @pytest.fixture
    def wire(self, adapter: Provider, emulator: Emulator) -> Iterator[Wire]:
        with httpx.Client(transport=EmulatorTransport(emulator)) as http:
            yield Wire(adapter, http)

    @pytest.fixture
    def client(self, emulated: Emulated) -> Client:
        """A ``voiceclone.Client`` on the emulator (closed with it)."""
        return emulated.client()

    @pytest.fixture
    def listing(self, wire: Wire) -> dict[str | None, list[VoiceCloningJob]]:
        """Every job of every partition, read at the largest page size: the ground truth."""
        size = _max_size(wire.adapter.capabilities.paging)
        partitions = wire.adapter.list_partitions(JobQuery())
        return {p: wire.walk(p, JobQuery(), size)[0] for p in partitions}

    @pytest.fixture
    def everything(self, listing: dict[str | None, list[VoiceCloningJob]]) -> list[VoiceCloningJob]:
        return [job for jobs in listing.values() for job in jobs]

    def declared_status_table(self, adapter: Provider) -> Mapping[str, JobStatus]:
        """The status table under test: :attr:`status_table`, else the adapter's own."""
        table = self.status_table
        if table is None:
            table = getattr(adapter, "status_table", None)
        if not isinstance(table, Mapping) or not table:
            pytest.fail("declare the status table: status_table = {...} or adapter.status_table")
        return table

    # --- the spec, the adapter and the emulator ---------------------------------------------

    def test_spec_adapter_and_emulator_agree(
        self, spec: ProviderSpec, adapter: Provider, emulator: Emulator
    ) -> None:
        assert isinstance(adapter, Provider), "the adapter lacks part of the Provider protocol"
        assert isinstance(emulator, Emulator), "the emulator lacks part of the Emulator protocol"
        assert spec.id == adapter.id == emulator.provider_id
        capabilities = adapter.capabilities
        assert capabilities == spec.capabilities, "spec and adapter declare other capabilities"
        assert isinstance(capabilities.paging, (OffsetLimit, PageNumber, CursorToken))
        assert _max_size(capabilities.paging) >= 1
        assert capabilities.orders, "declare at least one sort order"
        unknown = capabilities.pushed_down_filters - set(JobQuery.FILTERS)
        assert not unknown, f"pushed_down_filters names no JobQuery filter: {sorted(unknown)}"
        if capabilities.default_edition is not None:
            assert capabilities.default_edition in capabilities.editions

    def test_error_table_uses_neutral_classes(self, adapter: Provider) -> None:
        for code, cls in adapter.error_table.items():
            assert isinstance(code, str) and code, f"error table key {code!r} is not a code"
            assert isinstance(cls, type) and issubclass(cls, VoiceCloneError), (code, cls)

    # --- statuses -------------------------------------------------------------------------

    def test_status_table_is_complete(
        self, adapter: Provider, everything: list[VoiceCloningJob]
    ) -> None:
        table = self.declared_status_table(adapter)
        missing = sorted(self.documented_statuses - set(table))
        assert not missing, f"documented vendor statuses missing from the table: {missing}"
        unknown = sorted(raw for raw, status in table.items() if status is JobStatus.UNKNOWN)
        assert not unknown, f"declared statuses mapped to UNKNOWN: {unknown}"
        assert all(isinstance(status, JobStatus) for status in table.values())
        seen = {job.raw_status for job in everything}
        undeclared = sorted(seen - set(table))
        assert not undeclared, f"the emulator produces statuses the table lacks: {undeclared}"
        unexercised = sorted(set(table) - seen)
        assert not unexercised, f"seeded jobs never reach these declared statuses: {unexercised}"
        for job in everything:
            assert job.status is table[job.raw_status], (job.job_id, job.raw_status, job.status)

    def test_editions_are_declared_and_exercised(
        self, adapter: Provider, everything: list[VoiceCloningJob]
    ) -> None:
        editions = adapter.capabilities.editions
        seen = {job.edition for job in everything}
        if editions:
            assert seen <= set(editions), f"undeclared editions: {sorted(map(str, seen))}"
            assert set(editions) <= seen, f"editions never seeded: {sorted(set(editions) - seen)}"

    def test_unknown_status_becomes_unknown(self, adapter: Provider, emulator: Emulator) -> None:
        def rewrite(request: httpx.Request) -> httpx.Response:
            response = emulator.handle(request)
            response.read()
            try:
                body = json.loads(response.content)
            except ValueError:
                return response
            content = json.dumps(_rewritten(body, known, UNKNOWN_VALUE)).encode()
            return _with_body(response, content, request)

        size = _max_size(adapter.capabilities.paging)
        with httpx.Client(transport=EmulatorTransport(emulator)) as plain:
            job = Wire(adapter, plain).walk(adapter.list_partitions(JobQuery())[0], JobQuery(), 1)
        assert job[0], "the emulator listed no job"
        sample = job[0][0]
        known = sample.raw_status
        with httpx.Client(transport=EmulatorTransport(rewrite)) as http:
            wire = Wire(adapter, http)
            fetched = wire.send(adapter.get_job(sample.job_id))
            listed = wire.walk(adapter.list_partitions(JobQuery())[0], JobQuery(), size)[0]
        assert (fetched.status, fetched.raw_status) == (JobStatus.UNKNOWN, UNKNOWN_VALUE)
        rewritten = [j for j in listed if j.job_id == sample.job_id]
        assert rewritten and rewritten[0].status is JobStatus.UNKNOWN
        assert rewritten[0].raw_status == UNKNOWN_VALUE

    # --- paging -----------------------------------------------------------------------------

    def test_listing_has_every_job_once_in_order(
        self,
        wire: Wire,
        emulator: Emulator,
        listing: dict[str | None, list[VoiceCloningJob]],
    ) -> None:
        ids = [job_id for jobs in listing.values() for job_id in _ids(jobs)]
        duplicates = sorted(i for i, n in collections.Counter(ids).items() if n > 1)
        assert not duplicates, f"listed more than once: {duplicates[:5]}"
        assert set(ids) == emulator.job_ids()
        newest_first = wire.adapter.capabilities.orders[0].value == "newest_first"
        for partition, jobs in listing.items():
            times = [job.created_at for job in jobs]
            assert None not in times, f"jobs without created_at in {partition!r}"
            expected = sorted(times, reverse=newest_first)  # type: ignore[type-var]
            assert times == expected, f"partition {partition!r} is not in the declared order"

    def test_windows_are_exact(
        self, wire: Wire, listing: dict[str | None, list[VoiceCloningJob]]
    ) -> None:
        scheme = wire.adapter.capabilities.paging
        largest = _max_size(scheme)
        for partition, jobs in listing.items():
            full, count = _ids(jobs), len(jobs)
            if isinstance(scheme, CursorToken):
                for size in sorted({1, 7, largest}):
                    self._check_cursor(wire, partition, size, full)
                continue
            for start, limit in self._windows(scheme, count, largest):
                window = (
                    OffsetWindow(start, limit)
                    if isinstance(scheme, OffsetLimit)
                    else NumberedWindow(scheme.first + start // limit, limit)
                )
                page = wire.page(window, partition, JobQuery())
                got = _ids(page.items)
                assert got == full[start : start + limit], (partition, window)
                assert page.total in (None, count), (partition, window, page.total)

    @staticmethod
    def _windows(
        scheme: OffsetLimit | PageNumber, count: int, largest: int
    ) -> list[tuple[int, int]]:
        """(start, size) pairs; page-number windows start at a multiple of their size."""
        if isinstance(scheme, OffsetLimit):
            starts = [(0, 1), (0, largest), (1, 7), (count // 2, 10), (max(count - 3, 0), 10)]
            return [
                (s, min(n, largest)) for s, n in [*starts, (count, 5), (count - 1, 1)] if s >= 0
            ]
        pairs = []
        for size in sorted({1, 7, min(10, largest), largest}):
            last = count // size
            pairs += [(number * size, size) for number in sorted({0, 1, last // 2, last, last + 1})]
        return pairs

    @staticmethod
    def _check_cursor(wire: Wire, partition: str | None, size: int, full: list[str]) -> None:
        jobs, totals = wire.walk(partition, JobQuery(), size)
        assert _ids(jobs) == full, f"walking by {size} differs from walking by the largest page"
        assert all(total in (None, len(full)) for total in totals)
        token: str | None = None
        for start in range(0, len(full), size):
            page = wire.page(CursorWindow(token, size), partition, JobQuery())
            assert _ids(page.items) == full[start : start + size], (partition, size, start)
            token = page.next_token
        assert token is None, "the last page must carry no next token"

    def test_foreign_and_oversized_windows_are_refused(self, wire: Wire) -> None:
        scheme = wire.adapter.capabilities.paging
        largest = _max_size(scheme)
        foreign: list[Window] = [
            OffsetWindow(0, 1),
            NumberedWindow(1, 1),
            CursorWindow(None, 1),
        ]
        own = {OffsetLimit: OffsetWindow, PageNumber: NumberedWindow, CursorToken: CursorWindow}
        for window in foreign:
            if isinstance(window, own[type(scheme)]):
                continue
            with pytest.raises(ValidationError):
                wire.page(window, None, JobQuery())
        oversized: Window = (
            OffsetWindow(0, largest + 1)
            if isinstance(scheme, OffsetLimit)
            else NumberedWindow(getattr(scheme, "first", 1), largest + 1)
            if isinstance(scheme, PageNumber)
            else CursorWindow(None, largest + 1)
        )
        with pytest.raises(ValidationError):
            wire.adapter.list_jobs(ListRequest(JobQuery(), oversized))

    def test_client_pages_slice_the_listing(self, client: Client, emulator: Emulator) -> None:
        full = _ids(client.list_jobs())
        assert sorted(full) == sorted(emulator.job_ids())
        count = len(full)
        for offset, limit in [(0, 5), (3, 10), (count // 2, 7), (max(count - 2, 0), 5)]:
            page = client.get_page(offset, limit)
            assert _ids(page.items) == full[offset : offset + limit], (offset, limit)
            assert page.total in (None, count)

    def test_async_client_lists_the_same(self, emulated: Emulated, client: Client) -> None:
        async def collect() -> list[str]:
            async with emulated.async_client() as async_client:
                return [job.job_id async for job in async_client.list_jobs()]

        assert asyncio.run(collect()) == _ids(client.list_jobs())

    # --- filters ----------------------------------------------------------------------------

    @staticmethod
    def sample_queries(jobs: list[VoiceCloningJob]) -> dict[str, JobQuery]:
        """One query per ``JobQuery`` filter, with a value taken from the sample jobs."""
        statuses = [s for s, _ in collections.Counter(j.status for j in jobs).most_common(2)]
        editions = collections.Counter(j.edition for j in jobs if j.edition).most_common(1)
        names = collections.Counter(j.voice_name for j in jobs if j.voice_name).most_common(1)
        created = sorted(j.created_at for j in jobs if j.created_at is not None)
        updated = sorted(j.updated_at for j in jobs if j.updated_at is not None)
        values: dict[str, Any] = {"statuses": frozenset(statuses)}
        if editions:
            values["edition"] = editions[0][0]
        if names:
            values["voice_name"] = names[0][0]
        for name, times in (("created", created), ("updated", updated)):
            if times:
                values[f"{name}_since"] = times[len(times) // 2]
                values[f"{name}_until"] = times[len(times) // 3]
        return {name: JobQuery(**{name: value}) for name, value in values.items()}

    def test_pushed_down_filters_are_honoured(
        self, wire: Wire, everything: list[VoiceCloningJob]
    ) -> None:
        size = _max_size(wire.adapter.capabilities.paging)
        problems = []
        for name, query in self.sample_queries(everything).items():
            if name not in wire.adapter.capabilities.pushed_down_filters:
                continue
            expected = {job.job_id for job in everything if query.matches(job)}
            got: set[str] = set()
            for partition in wire.adapter.list_partitions(query):
                jobs, totals = wire.walk(partition, query, size)
                got |= set(_ids(jobs))
                if totals and totals[0] is not None:
                    matching = sum(1 for job in jobs if query.matches(job))
                    if totals[0] != matching:
                        problems.append(f"{name}: total {totals[0]} for {matching} jobs")
            if got - expected:
                problems.append(f"{name}: leaked {sorted(got - expected)[:3]} ({query})")
            if expected - got:
                problems.append(f"{name}: lost {sorted(expected - got)[:3]} ({query})")
        assert not problems, "pushed-down filters not honoured:\n" + "\n".join(problems)

    def test_client_filters_give_the_matching_jobs(
        self, client: Client, everything: list[VoiceCloningJob]
    ) -> None:
        full = list(client.list_jobs())
        problems = []
        for name, query in self.sample_queries(everything).items():
            expected = [job.job_id for job in full if query.matches(job)]
            got = _ids(client.list_jobs(query))
            if got != expected:
                problems.append(f"{name}: {len(got)} jobs, expected {len(expected)} ({query})")
        assert not problems, "filters through the client:\n" + "\n".join(problems)

    # --- errors -----------------------------------------------------------------------------

    def test_missing_job_is_not_found(self, wire: Wire, emulator: Emulator) -> None:
        existing = sorted(emulator.job_ids())[0]
        for replacement in "0123456789abcdefghijklmnopqrstuvwxyz":
            missing = existing[:-1] + replacement
            if missing not in emulator.job_ids():
                break
        with pytest.raises(NotFoundError) as caught:
            wire.send(wire.adapter.get_job(missing))
        assert caught.value.provider == wire.adapter.id

    def test_unsigned_request_is_rejected(self, wire: Wire, emulator: Emulator) -> None:
        call = wire.adapter.get_job(sorted(emulator.job_ids())[0])
        with pytest.raises(AuthenticationError):
            call.parse(wire.response(call, signed=False))

    def test_signed_request_is_accepted_and_tampered_is_not(
        self, wire: Wire, emulator: Emulator
    ) -> None:
        first, other = sorted(emulator.job_ids())[:2]
        auth = wire.adapter.auth
        call = wire.adapter.get_job(first)
        assert call.parse(wire.http.send(_signed(auth, call.request))).job_id == first
        tampers: dict[str, Callable[[httpx.Request], httpx.Request]] = {
            "another job id": lambda r: _resent(r, httpx.URL(str(r.url).replace(first, other))),
            "an added parameter": lambda r: _resent(r, r.url.copy_add_param("tampered", "1")),
        }
        for name, tamper in tampers.items():
            call = wire.adapter.get_job(first)
            response = wire.http.send(tamper(_signed(auth, call.request)))
            with pytest.raises(AuthenticationError):
                call.parse(response)
            assert response.status_code >= 400, f"{name}: the emulator accepted it"

    def test_throttling_is_a_rate_limit_error(self, wire: Wire, emulator: Emulator) -> None:
        call = wire.adapter.get_job(sorted(emulator.job_ids())[0])
        response = emulator.throttle_response(call.request, 7.0)
        response.request = call.request
        with pytest.raises(RateLimitError) as caught:
            call.parse(response)
        assert caught.value.retryable
        assert caught.value.retry_after == pytest.approx(7.0)

    def test_server_errors_are_service_unavailable(self, wire: Wire, emulator: Emulator) -> None:
        for status in (500, 502, 503, 504):
            call = wire.adapter.get_job(sorted(emulator.job_ids())[0])
            response = emulator.server_error_response(call.request, status)
            response.request = call.request
            with pytest.raises(ServiceUnavailableError) as caught:
                call.parse(response)
            assert caught.value.retryable, status

    def _sample_calls(self, wire: Wire, emulator: Emulator) -> dict[str, Call[Any]]:
        scheme = wire.adapter.capabilities.paging
        window: Window = (
            OffsetWindow(0, 2)
            if isinstance(scheme, OffsetLimit)
            else NumberedWindow(scheme.first, 2)
            if isinstance(scheme, PageNumber)
            else CursorWindow(None, 2)
        )
        partition = wire.adapter.list_partitions(JobQuery())[0]
        order = wire.adapter.capabilities.orders[0]
        return {
            "get_job": wire.adapter.get_job(sorted(emulator.job_ids())[0]),
            "list_jobs": wire.adapter.list_jobs(ListRequest(JobQuery(), window, partition, order)),
        }

    def test_malformed_replies_are_provider_response_errors(
        self, wire: Wire, emulator: Emulator
    ) -> None:
        for name, call in self._sample_calls(wire, emulator).items():
            good = wire.response(call)
            good.read()
            bodies = [b"", b"<html>502 Bad Gateway</html>", b"{", b"[]", b"null", b'"text"']
            bodies.append(good.content[: len(good.content) // 2])
            for body in bodies:
                with pytest.raises(ProviderResponseError):
                    call.parse(_with_body(good, body, call.request))
                    pytest.fail(f"{name} accepted {body[:40]!r}")

    def test_mutated_replies_stay_in_the_error_tree(self, wire: Wire, emulator: Emulator) -> None:
        escaped = []
        for name, call in self._sample_calls(wire, emulator).items():
            good = wire.response(call)
            good.read()
            body = json.loads(good.content)
            for path in _paths(body):
                for mutant in _MUTANTS:
                    content = json.dumps(_replaced(body, path, mutant)).encode()
                    try:
                        call.parse(_with_body(good, content, call.request))
                    except ProviderError:
                        pass
                    except Exception as exc:  # anything else escaped the error tree
                        escaped.append(f"{name} {list(path)}={mutant!r}: {type(exc).__name__}")
        assert not escaped, "errors outside ProviderError:\n" + "\n".join(escaped[:20])

    # --- secrets and the neutral form -------------------------------------------------------

    def test_secrets_stay_out_of_reprs_and_errors(
        self, wire: Wire, emulated: Emulated, client: Client
    ) -> None:
        secrets = [
            value
            for key, value in emulated.settings().items()
            if key not in _NOT_SECRET and isinstance(value, str) and len(value) >= 6
        ]
        call = wire.adapter.get_job(sorted(emulated.emulator.job_ids())[0])
        try:
            call.parse(wire.response(call, signed=False))
            error_text = ""
        except VoiceCloneError as exc:
            error_text = f"{exc} {exc!r}"
        texts = [repr(wire.adapter), repr(wire.adapter.auth), repr(client), error_text]
        for secret in secrets:
            for text in texts:
                assert secret not in text, "a credential shows in a repr or an error"

    def test_neutral_json_round_trips(self, everything: list[VoiceCloningJob]) -> None:
        for job in everything:
            form = json.loads(json.dumps(to_dict(job)))
            again = from_dict(VoiceCloningJob, form)
            assert again == job, job.job_id
            assert dict(again.extra) == dict(job.extra)
            assert attrs.asdict(again, recurse=False).keys() == attrs.asdict(job).keys()

    # --- the lifecycle ----------------------------------------------------------------------

    def test_create_get_delete(self, client: Client) -> None:
        capabilities = client.capabilities
        if not capabilities.can_create:
            pytest.skip(f"{client.provider_id} cannot create jobs")
        language = capabilities.languages[0] if capabilities.languages else None
        new = self.new_job or NewJob(voice_name="conformance", gender="female", language=language)
        created = client.create_job(new)
        job = created.job
        assert job.provider == client.provider_id
        assert job.status is JobStatus.CREATED, job.raw_status
        fetched = client.get_job(job.job_id)
        assert (fetched.job_id, fetched.voice_name) == (job.job_id, new.voice_name)
        assert job.job_id in _ids(client.list_jobs())
        if capabilities.can_delete:
            client.delete_job(job.job_id)
            with pytest.raises(NotFoundError):
                client.get_job(job.job_id)
