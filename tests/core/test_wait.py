"""wait_for_job: changes reported, growing intervals, failure, deadline; no real sleeping."""

from __future__ import annotations

import pytest
from vc_fake_vendor import FakeTime, Row, Store, async_client, client

from voiceclone import JobFailedError, JobStatus, ValidationError, WaitTimeoutError

pytestmark = pytest.mark.usefixtures("fake_provider")


def lifecycle(store, job_id, states, time):
    """The job moves to states[i] once i polls have happened."""
    calls = {"n": 0}
    original = store.handle

    def handle(request):
        if request.url.path == f"/jobs/{job_id}":
            step = min(calls["n"], len(states) - 1)
            store.rows[job_id].status = states[step]
            calls["n"] += 1
        return original(request)

    store.handle = handle
    return calls


def test_reports_every_change_and_returns_the_terminal_job():
    store = Store([Row("a", "CREATED", 1)])
    time = FakeTime()
    states = ["CREATED", "CREATED", "TRAINING", "TRAINING", "TRAINING", "SUCCEEDED"]
    calls = lifecycle(store, "a", states, time)
    seen = []
    with client(store, time) as c:
        job = c.wait_for_job("a", interval=2, on_change=seen.append)
    assert job.status is JobStatus.SUCCEEDED
    assert [j.status for j in seen] == [JobStatus.CREATED, JobStatus.TRAINING, JobStatus.SUCCEEDED]
    assert calls["n"] == 6
    assert time.sleeps == [2, 3, 4.5, 6.75, 10.125]


def test_failure_raises_with_the_job_unless_told_not_to():
    store = Store([Row("a", "TRAINING", 1)])
    time = FakeTime()
    lifecycle(store, "a", ["TRAINING", "FAILED"], time)
    with client(store, time) as c:
        with pytest.raises(JobFailedError) as info:
            c.wait_for_job("a")
        assert info.value.job.status is JobStatus.FAILED and info.value.provider == "fake"
        assert c.wait_for_job("a", raise_on_failure=False).status is JobStatus.FAILED


def test_deadline_raises_with_the_last_job_seen():
    store = Store([Row("a", "TRAINING", 1)])
    time = FakeTime()
    with client(store, time) as c, pytest.raises(WaitTimeoutError) as info:
        c.wait_for_job("a", timeout=30, interval=5)
    assert info.value.job is not None and info.value.job.status is JobStatus.TRAINING
    assert sum(time.sleeps) == pytest.approx(30)  # the last sleep is cut to the deadline
    assert time.now == pytest.approx(30)


def test_default_deadline_is_finite():
    store = Store([Row("a", "TRAINING", 1)])
    time = FakeTime()
    with client(store, time) as c, pytest.raises(WaitTimeoutError):
        c.wait_for_job("a")
    assert time.now == pytest.approx(3600)
    assert max(time.sleeps) <= 60


async def test_async_wait():
    store = Store([Row("a", "CREATED", 1)])
    time = FakeTime()
    lifecycle(store, "a", ["CREATED", "TRAINING", "SUCCEEDED"], time)
    seen = []
    async with async_client(store, time) as c:
        job = await c.wait_for_job("a", interval=1, on_change=seen.append)
        assert job.status is JobStatus.SUCCEEDED and len(seen) == 3
    stuck = Store([Row("b", "TRAINING", 1)])
    async with async_client(stuck, time) as c:
        with pytest.raises(WaitTimeoutError) as info:
            await c.wait_for_job("b", timeout=10)
    assert info.value.job.job_id == "b"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"job_id": ""}, "job_id"),
        ({"job_id": 5}, "job_id"),
        ({"job_id": "a", "timeout": 0}, "timeout"),
        ({"job_id": "a", "timeout": float("inf")}, "timeout"),
        ({"job_id": "a", "interval": -1}, "interval"),
    ],
)
def test_bad_wait_arguments(kwargs, field):
    store = Store([Row("a", "TRAINING", 1)])
    with client(store) as c, pytest.raises(ValidationError) as info:
        c.wait_for_job(**kwargs)
    assert info.value.field == field and store.requests == []
