"""Listing over the fake vendor in every paging scheme, sync and async."""

from __future__ import annotations

import asyncio
import threading

import pytest
from vc_fake_vendor import ALL_FILTERS, Row, Store, async_client, client

from voiceclone import JobStatus, SortOrder, ValidationError

pytestmark = pytest.mark.usefixtures("fake_provider")


SCHEMES = ["offset", "page", "cursor"]


def ids(jobs):
    return [job.job_id for job in jobs]


def expected(store, **params):
    return [r.job_id for r in store.ordered(params)]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_list_all_in_order(scheme):
    store = Store.numbered(47)
    with client(store, scheme=scheme) as c:
        jobs = c.list_jobs()
        assert ids(jobs) == expected(store)
        if scheme != "cursor":
            assert jobs.total == 47


@pytest.mark.parametrize("scheme", SCHEMES)
async def test_async_list_all_in_order(scheme):
    store = Store.numbered(47)
    async with async_client(store, scheme=scheme) as c:
        jobs = [job async for job in c.list_jobs()]
        assert ids(jobs) == expected(store)
        pages = [page async for page in c.list_jobs(page_size=7).pages()]
        assert [len(p.items) for p in pages] == [7] * 6 + [5]
        assert [p.offset for p in pages] == [0, 7, 14, 21, 28, 35, 42]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_max_items_and_page_size_are_separate(scheme):
    store = Store.numbered(47)
    with client(store, scheme=scheme) as c:
        assert ids(c.list_jobs(max_items=13, page_size=4)) == expected(store)[:13]
        assert ids(c.list_jobs(max_items=0)) == []
        pages = list(c.list_jobs(page_size=5, max_items=12).pages())
        assert [len(p.items) for p in pages] == [5, 5, 2]
        assert all(p.limit == 5 for p in pages)
        sizes = {int(r.get("limit") or r.get("size")) for r in store.list_requests}
        assert sizes <= {4, 5, 10, 1} | set(range(1, 11))


def test_largest_page_size_by_default():
    store = Store.numbered(35)
    with client(store, scheme="page") as c:
        list(c.list_jobs())
    assert {r["size"] for r in store.list_requests} == {"10"}
    assert sorted(int(r["page"]) for r in store.list_requests) == [1, 2, 3, 4]


@pytest.mark.parametrize("scheme", ["offset", "page"])
@pytest.mark.parametrize(("offset", "limit"), [(0, 1), (15, 10), (3, 17), (40, 20), (99, 5)])
def test_get_page_odd_windows(scheme, offset, limit):
    store = Store.numbered(47)
    with client(store, scheme=scheme) as c:
        page = c.get_page(offset=offset, limit=limit)
    assert ids(page.items) == expected(store)[offset : offset + limit]
    assert (page.offset, page.limit, page.total) == (offset, limit, 47)


def test_get_page_is_one_request_when_one_page_holds_the_window():
    store = Store.numbered(47)
    with client(store, scheme="page") as c:
        c.get_page(offset=5, limit=4)  # page 2 of size 5 holds 5..9
    assert len(store.list_requests) == 1
    assert (store.list_requests[0]["page"], store.list_requests[0]["size"]) == ("2", "5")


def test_concurrent_pages_keep_order_and_run_at_once():
    store = Store.numbered(60)
    barrier = threading.Barrier(4, timeout=5)
    done = {}
    lock = threading.Lock()

    def gate(params):
        page = int(params["page"])
        if 2 <= page <= 5:
            barrier.wait()  # four pages are in flight together
            with lock:
                event = done.setdefault(page + 1, threading.Event())
            if page < 5:
                event.wait(5)  # and they finish in reverse order
        with lock:
            done.setdefault(page, threading.Event()).set()

    store.gate = gate
    with client(store, scheme="page", max_concurrency=4) as c:
        assert ids(c.list_jobs()) == expected(store)


async def test_async_concurrency_bounded_and_ordered():
    store = Store.numbered(95)
    in_flight = 0
    peak = 0

    c = async_client(store, scheme="offset", max_concurrency=3)

    original = c._send

    async def send(call):
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0)  # yield to the loop only; no time passes
        try:
            return await original(call)
        finally:
            in_flight -= 1

    c._send = send
    async with c:
        assert ids([j async for j in c.list_jobs()]) == expected(store)
    assert peak == 3


@pytest.mark.parametrize("scheme", SCHEMES)
def test_filters_reach_every_page(scheme):
    store = Store.numbered(90)
    with client(store, scheme=scheme) as c:
        jobs = list(c.list_jobs(status=JobStatus.TRAINING, page_size=5))
    assert ids(jobs) == expected(store, status="TRAINING")
    assert all(r.get("status") == "TRAINING" for r in store.list_requests)
    assert len(store.list_requests) >= 6


@pytest.mark.parametrize("scheme", SCHEMES)
def test_client_filters_what_is_not_pushed_down_and_total_is_none(scheme):
    store = Store.numbered(60)
    with client(store, scheme=scheme, pushed=frozenset({"edition"})) as c:
        jobs = c.list_jobs(status=["training", "failed"], voice_name="v1")
        got = list(jobs)
        assert jobs.total is None
        page = c.get_page(offset=2, limit=3, status="training")
    want = [
        r.job_id for r in store.ordered({}) if r.status in ("TRAINING", "FAILED") and r.name == "v1"
    ]
    assert ids(got) == want
    assert ids(page.items) == expected(store, status="TRAINING")[2:5]
    assert page.total is None


def test_a_vendor_ignoring_a_pushed_filter_cannot_leak_rows():
    store = Store.numbered(40)
    store.ignore = frozenset({"statuses"})
    with client(store, scheme="offset") as c:
        jobs = c.list_jobs(status="failed")
        got = list(jobs)
        page = c.get_page(offset=0, limit=5, status="failed")
    assert all(job.status is JobStatus.FAILED for job in got)
    assert ids(got) == [r.job_id for r in store.ordered({}) if r.status == "FAILED"]
    assert jobs.total is None
    assert ids(page.items) == ids(got)[:5] and page.total is None


def test_partitions_are_merged_in_creation_order_with_exact_windows():
    store = Store.numbered(53, editions=("Basic", "Standard"))
    with client(store, scheme="page", partitioned=True) as c:
        jobs = c.list_jobs(page_size=4)
        assert ids(jobs) == expected(store)
        assert jobs.total == 53
        page = c.get_page(offset=17, limit=9)
    assert ids(page.items) == expected(store)[17:26] and page.total == 53
    assert {r.get("edition") for r in store.list_requests} == {"Basic", "Standard"}


async def test_async_partitions_merge_oldest_first():
    store = Store.numbered(31, editions=("Basic", "Standard"))
    orders = (SortOrder.OLDEST_FIRST,)
    async with async_client(store, scheme="offset", partitioned=True, orders=orders) as c:
        got = [j async for j in c.list_jobs(page_size=3)]
    assert ids(got) == expected(store, order="asc")


def test_empty_listing():
    with client(Store(), scheme="page") as c:
        jobs = c.list_jobs()
        assert list(jobs) == [] and jobs.total == 0
        assert list(c.list_jobs().pages()) == []


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"page_size": 0}, "page_size"),
        ({"page_size": 11}, "page_size"),
        ({"max_items": -1}, "max_items"),
        ({"status": "nope"}, "statuses"),
        ({"created_since": "2024"}, "created_since"),
    ],
)
def test_bad_listing_arguments_fail_before_any_request(kwargs, field):
    store = Store.numbered(5)
    with client(store) as c, pytest.raises(ValidationError) as info:
        c.list_jobs(**kwargs)
    assert info.value.field == field
    assert store.requests == []


@pytest.mark.parametrize(("offset", "limit", "field"), [(-1, 5, "offset"), (0, 0, "limit")])
def test_bad_window_fails_before_any_request(offset, limit, field):
    store = Store.numbered(5)
    with client(store) as c, pytest.raises(ValidationError) as info:
        c.get_page(offset=offset, limit=limit)
    assert info.value.field == field and store.requests == []


# --- inserts and deletes during a walk ---------------------------------------------------


def churn(store, *, inserts=0, deletes=(), after=1, every=False):
    """Before list request number ``after`` (and each later one when ``every``): insert new
    jobs at the top and delete the given ones."""
    state = {"n": 0}

    def hook(count):
        if count < after or (count > after and not every):
            return
        for _ in range(inserts):
            state["n"] += 1
            store.add(Row(f"new{count:03d}_{state['n']:03d}", "TRAINING", 100_000 + state["n"]))
        for job_id in deletes:
            store.delete(job_id)

    store.before_list = hook


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("keyset", [True, False])
def test_deletes_during_a_walk_lose_nothing(scheme, keyset):
    store = Store.numbered(60)
    survivors = expected(store)
    doomed = survivors[3:9]  # early rows: later pages shift down
    churn(store, deletes=doomed, after=2)
    pushed = ALL_FILTERS if keyset else ALL_FILTERS - {"created_until", "created_since"}
    with client(store, scheme=scheme, pushed=pushed, max_concurrency=2) as c:
        got = ids(c.list_jobs(page_size=5))
    stable = [j for j in survivors if j not in doomed]
    assert len(got) == len(set(got))  # never twice
    assert [j for j in got if j in stable] == stable  # every surviving job, in order


@pytest.mark.parametrize("scheme", SCHEMES)
def test_inserts_during_a_walk_duplicate_nothing(scheme):
    store = Store.numbered(60)
    before = expected(store)
    churn(store, inserts=3, after=2, every=True)
    with client(store, scheme=scheme) as c:
        got = ids(c.list_jobs(page_size=6))
    assert len(got) == len(set(got))
    assert [j for j in got if j in before] == before


@pytest.mark.parametrize("scheme", ["offset", "page"])
@pytest.mark.parametrize("keyset", [True, False])
def test_inserts_and_deletes_together(scheme, keyset):
    store = Store.numbered(80)
    before = expected(store)
    doomed = before[10:25:3]
    churn(store, inserts=2, deletes=doomed, after=3, every=True)
    pushed = ALL_FILTERS if keyset else ALL_FILTERS - {"created_until", "created_since"}
    with client(store, scheme=scheme, pushed=pushed, max_concurrency=3) as c:
        got = ids(c.list_jobs(page_size=7))
    stable = [j for j in before if j not in doomed]
    assert len(got) == len(set(got))
    assert [j for j in got if j in stable] == stable


async def test_async_walk_survives_deletes():
    store = Store.numbered(50)
    before = expected(store)
    doomed = before[2:12]
    churn(store, deletes=doomed, after=2)
    pushed = ALL_FILTERS - {"created_until", "created_since"}
    async with async_client(store, scheme="offset", pushed=pushed) as c:
        got = ids([j async for j in c.list_jobs(page_size=5)])
    stable = [j for j in before if j not in doomed]
    assert len(got) == len(set(got)) and [j for j in got if j in stable] == stable


def test_listing_grown_past_the_first_total_is_read_to_the_end():
    store = Store.numbered(20)
    before = expected(store)
    churn(store, inserts=7, after=2)  # pushes the oldest jobs past the first total
    with client(store, scheme="offset", max_concurrency=1) as c:
        got = ids(c.list_jobs(page_size=5))
    assert [j for j in got if j in before] == before
    assert len(got) == len(set(got))
    assert len(store.list_requests) > 5  # read beyond the 4 pages the first total implied
