"""A small fake vendor for the client tests: a job store behind ``httpx.MockTransport`` and a
sans-I/O adapter for it, in any paging scheme. Not a test module.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Generator
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
import httpx

from voiceclone import (
    Capabilities,
    ConflictError,
    CreatedJob,
    JobQuery,
    NewJob,
    NotFoundError,
    Page,
    ProviderResponseError,
    ProviderSpec,
    RateLimitError,
    ServiceUnavailableError,
    SortOrder,
    VoiceCloningJob,
)
from voiceclone._registry import register_provider, unregister_provider
from voiceclone.adapter import (
    Call,
    CursorToken,
    CursorWindow,
    ListRequest,
    NumberedWindow,
    OffsetLimit,
    OffsetWindow,
    PageNumber,
    PagingScheme,
    ProviderBase,
)

BASE = "https://fake.test"
EPOCH = datetime(2024, 1, 1, tzinfo=timezone.utc)
ALL_FILTERS = frozenset(JobQuery.FILTERS)


def at(n: int) -> datetime:
    return EPOCH + timedelta(minutes=n)


@attrs.define
class Row:
    job_id: str
    status: str
    created: int
    edition: str = "Basic"
    name: str = "v"


class Store:
    """The vendor's jobs; ``before_list`` runs before each list request (to mutate mid-walk)."""

    def __init__(self, rows: list[Row] | None = None) -> None:
        self.rows: dict[str, Row] = {r.job_id: r for r in rows or []}
        self.lock = threading.Lock()
        self.list_requests: list[dict[str, str]] = []
        self.before_list: Callable[[int], None] | None = None
        self.faults: list[Callable[[httpx.Request], httpx.Response]] = []
        self.requests: list[httpx.Request] = []
        self.signatures: list[str] = []
        self.ignore: frozenset[str] = frozenset()  # filters the vendor ignores though pushed
        self.gate: Callable[[dict[str, str]], None] | None = None

    @classmethod
    def numbered(cls, n: int, editions: tuple[str, ...] = ("Basic",)) -> Store:
        statuses = ("TRAINING", "SUCCEEDED", "FAILED")
        return cls(
            [
                Row(f"j{i:05d}", statuses[i % 3], i, editions[i % len(editions)], f"v{i % 4}")
                for i in range(n)
            ]
        )

    def add(self, row: Row) -> None:
        with self.lock:
            self.rows[row.job_id] = row

    def delete(self, job_id: str) -> None:
        with self.lock:
            self.rows.pop(job_id, None)

    def ordered(self, params: dict[str, str]) -> list[Row]:
        with self.lock:
            rows = list(self.rows.values())
        rows = [r for r in rows if self._matches(r, params)]
        newest = params.get("order", "desc") == "desc"
        return sorted(rows, key=lambda r: (r.created, r.job_id), reverse=newest)

    def _matches(self, row: Row, params: dict[str, str]) -> bool:
        ignored = self.ignore
        if (
            "status" in params
            and "statuses" not in ignored
            and row.status not in params["status"].split(",")
        ):
            return False
        if (
            "edition" in params
            and "edition" not in self.ignore
            and row.edition != params["edition"]
        ):
            return False
        if (
            "since" in params
            and "created_since" not in self.ignore
            and row.created < int(params["since"])
        ):
            return False
        if (
            "until" in params
            and "created_until" not in self.ignore
            and row.created > int(params["until"])
        ):
            return False
        return not ("name" in params and row.name != params["name"])

    # --- the HTTP side -------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            self.requests.append(request)
            self.signatures.append(request.headers.get("X-Sig", ""))
            fault = self.faults.pop(0) if self.faults else None
        if fault is not None:
            return fault(request)
        path = request.url.path
        params = dict(request.url.params)
        if path == "/jobs" and request.method == "GET":
            return self._list(params)
        if path == "/jobs" and request.method == "POST":
            body = json.loads(request.content)
            row = Row(body["id"], "CREATED", body["created"], name=body["name"])
            self.add(row)
            return httpx.Response(200, json=_wire(row))
        job_id = path.split("/")[2]
        row = self.rows.get(job_id)
        if row is None:
            return httpx.Response(404, json={"code": "NotFound"})
        if request.method == "DELETE":
            self.delete(job_id)
            return httpx.Response(200, json={})
        if path.endswith("/submit"):
            row.status = "TRAINING"
            return httpx.Response(200, json={})
        return httpx.Response(200, json=_wire(row))

    def _list(self, params: dict[str, str]) -> httpx.Response:
        with self.lock:
            self.list_requests.append(params)
            count = len(self.list_requests)
        if self.before_list is not None:
            self.before_list(count)
        if self.gate is not None:
            self.gate(params)
        rows = self.ordered(params)
        next_token = None
        if "offset" in params:
            start, size = int(params["offset"]), int(params["limit"])
        elif "page" in params:
            size = int(params["size"])
            start = (int(params["page"]) - 1) * size
        else:
            # a keyset cursor, as real cursor vendors do: the token names the last job sent
            size = int(params["size"])
            token = params.get("token")
            start = 0
            if token:
                start = next((i for i, r in enumerate(rows) if _after(r, token, params)), len(rows))
            if start + size < len(rows):
                last = rows[start + size - 1]
                next_token = f"{last.created}:{last.job_id}"
        items = [_wire(r) for r in rows[start : start + size]]
        return httpx.Response(200, json={"total": len(rows), "items": items, "next": next_token})


def _after(row: Row, token: str, params: dict[str, str]) -> bool:
    created, job_id = token.split(":")
    key, mark = (row.created, row.job_id), (int(created), job_id)
    return key < mark if params.get("order", "desc") == "desc" else key > mark


def _wire(row: Row) -> dict[str, Any]:
    return {
        "id": row.job_id,
        "state": row.status,
        "created": row.created,
        "edition": row.edition,
        "name": row.name,
    }


def _job(provider: str, data: dict[str, Any]) -> VoiceCloningJob:
    try:
        return VoiceCloningJob(
            provider=provider,
            job_id=data["id"],
            status=data["state"].lower(),
            raw_status=data["state"],
            voice_name=data["name"],
            edition=data["edition"],
            created_at=at(data["created"]),
        )
    except (KeyError, TypeError) as exc:
        raise ProviderResponseError("bad job", provider=provider) from exc


class SigningAuth(httpx.Auth):
    """Signs every attempt afresh: a counter in ``X-Sig``."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        with self.lock:
            self.count += 1
            request.headers["X-Sig"] = str(self.count)
        yield request


def parse_error(provider: str, response: httpx.Response) -> None:
    if response.status_code < 400:
        return
    if response.status_code == 404:
        raise NotFoundError("no such job", provider=None)
    if response.status_code == 429:
        raise RateLimitError("slow down")
    if response.status_code == 409:
        raise ConflictError("busy")
    if response.status_code >= 500:
        raise ServiceUnavailableError("down")
    raise ProviderResponseError(f"unexpected {response.status_code}")


class FakeProvider(ProviderBase):
    def __init__(
        self,
        name: str,
        scheme: PagingScheme,
        pushed: frozenset[str],
        orders: tuple[SortOrder, ...],
        partitioned: bool,
        can_delete: bool,
    ) -> None:
        self.id = name
        self._capabilities = Capabilities(
            paging=scheme,
            pushed_down_filters=pushed,
            orders=orders,
            can_delete=can_delete,
        )
        self._auth = SigningAuth()
        self.partitioned = partitioned

    @property
    def capabilities(self) -> Capabilities:
        return self._capabilities

    @property
    def auth(self) -> SigningAuth:
        return self._auth

    def _call(
        self, request: httpx.Request, parse: Callable[[dict[str, Any]], Any], safe: bool, name: str
    ) -> Call[Any]:
        def read(response: httpx.Response) -> Any:
            parse_error(self.id, response)
            return parse(response.json())

        return Call(request, read, safe, name)

    def get_job(self, job_id: str) -> Call[VoiceCloningJob]:
        request = httpx.Request("GET", f"{BASE}/jobs/{job_id}")
        return self._call(request, lambda d: _job(self.id, d), True, "get_job")

    def list_partitions(self, query: JobQuery) -> tuple[str | None, ...]:
        if self.partitioned and query.edition is None:
            return ("Basic", "Standard")
        return (None,)

    def list_jobs(self, request: ListRequest) -> Call[Page[VoiceCloningJob]]:
        q = request.query
        pushed = self._capabilities.pushed_down_filters
        params: dict[str, str] = {
            "order": "desc" if request.order is SortOrder.NEWEST_FIRST else "asc"
        }
        if q.statuses and "statuses" in pushed:
            params["status"] = ",".join(sorted(s.value.upper() for s in q.statuses))
        edition = request.partition or (q.edition if "edition" in pushed else None)
        if edition:
            params["edition"] = edition
        if q.created_since and "created_since" in pushed:
            params["since"] = str(int((q.created_since - EPOCH).total_seconds() // 60))
        if q.created_until and "created_until" in pushed:
            params["until"] = str(-int(-(q.created_until - EPOCH).total_seconds() // 60))
        if q.voice_name and "voice_name" in pushed:
            params["name"] = q.voice_name
        window = request.window
        if isinstance(window, OffsetWindow):
            params.update(offset=str(window.offset), limit=str(window.limit))
        elif isinstance(window, NumberedWindow):
            params.update(page=str(window.number), size=str(window.size))
        else:
            assert isinstance(window, CursorWindow)
            params["size"] = str(window.size)
            if window.token:
                params["token"] = window.token
        offset = window.offset if isinstance(window, OffsetWindow) else 0
        limit = window.limit if isinstance(window, OffsetWindow) else window.size

        def page(data: dict[str, Any]) -> Page[VoiceCloningJob]:
            items = tuple(_job(self.id, d) for d in data["items"])
            return Page(items, offset, limit, data["total"], data.get("next"))

        return self._call(
            httpx.Request("GET", f"{BASE}/jobs", params=params), page, True, "list_jobs"
        )

    def create_job(self, new: NewJob) -> Call[CreatedJob]:
        body = {"id": new.voice_id or "new", "name": new.voice_name, "created": 10_000}
        request = httpx.Request("POST", f"{BASE}/jobs", json=body)
        return self._call(request, lambda d: CreatedJob(_job(self.id, d)), False, "create_job")

    def submit_job(self, job_id: str) -> Generator[Call[Any], Any, None]:
        job = yield self.get_job(job_id)
        request = httpx.Request("POST", f"{BASE}/jobs/{job.job_id}/submit")
        yield self._call(request, lambda d: None, False, "submit_job")

    def delete_job(self, job_id: str) -> Call[None]:
        request = httpx.Request("DELETE", f"{BASE}/jobs/{job_id}")
        return self._call(request, lambda d: None, True, "delete_job")


SCHEMES: dict[str, PagingScheme] = {
    "offset": OffsetLimit(max_limit=10),
    "page": PageNumber(max_size=10, first=1),
    "cursor": CursorToken(max_size=10),
}


def _create(
    scheme: str = "offset",
    pushed: frozenset[str] = ALL_FILTERS,
    orders: tuple[SortOrder, ...] = (SortOrder.NEWEST_FIRST,),
    partitioned: bool = False,
    can_delete: bool = True,
    name: str = "fake",
    **_: Any,
) -> FakeProvider:
    return FakeProvider(name, SCHEMES[scheme], pushed, orders, partitioned, can_delete)


SPEC = ProviderSpec(id="fake", create=_create, capabilities=Capabilities())


def register() -> None:
    register_provider("fake", SPEC, clobber=True)


def unregister() -> None:
    unregister_provider("fake")


class FakeTime:
    """An injected clock and sleep: sleeping moves the clock, nothing waits."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)


def client(store: Store, time: FakeTime | None = None, **settings: Any) -> Any:
    from voiceclone import Client

    time = time or FakeTime()
    http = httpx.Client(transport=httpx.MockTransport(store.handle))
    return Client("fake", http_client=http, clock=time.clock, sleep=time.sleep, **settings)


def async_client(store: Store, time: FakeTime | None = None, **settings: Any) -> Any:
    from voiceclone import AsyncClient

    time = time or FakeTime()

    async def handler(request: httpx.Request) -> httpx.Response:
        await request.aread()
        return store.handle(request)

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return AsyncClient("fake", http_client=http, clock=time.clock, sleep=time.asleep, **settings)
