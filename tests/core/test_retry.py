"""Retries: counts, backoff, Retry-After, fresh signatures, and no retry of unsafe calls."""

from __future__ import annotations

import logging
import random

import attrs
import httpx
import pytest
from vc_fake_vendor import FakeTime, Store, async_client, client

from voiceclone import (
    NewJob,
    RateLimitError,
    RetryPolicy,
    ServiceUnavailableError,
    Timeout,
    TimeoutError,
    TransportError,
    ValidationError,
)
from voiceclone._retry import parse_retry_after

pytestmark = pytest.mark.usefixtures("fake_provider")


def status(code, headers=None):
    return lambda request: httpx.Response(code, headers=headers or {}, json={})


def raising(exc_type):
    def fault(request):
        raise exc_type("boom https://fake.test/jobs?Signature=SECRET", request=request)

    return fault


def test_defaults():
    policy = RetryPolicy()
    assert (policy.retries, policy.backoff_initial, policy.backoff_max) == (2, 0.5, 8.0)
    assert Timeout() == Timeout(connect=5, read=30, write=30, pool=5)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        policy.retries = 5  # type: ignore[misc]


def test_backoff_grows_exponentially_with_jitter_and_a_cap():
    policy = RetryPolicy(retries=10, jitter=0)
    assert [policy.backoff(n) for n in range(1, 7)] == [0.5, 1, 2, 4, 8, 8]
    jittered = RetryPolicy(jitter=0.25)
    rng = random.Random(7)
    values = [jittered.backoff(3, rng) for _ in range(200)]
    assert all(1.5 <= v <= 2.0 for v in values) and len(set(values)) > 100


@pytest.mark.parametrize(
    "fault", [status(503), status(500), status(429), raising(httpx.ConnectError)]
)
def test_retryable_failures_are_retried_then_succeed(fault):
    store = Store.numbered(3)
    store.faults = [fault, fault]
    time = FakeTime()
    with client(store, time, retry=RetryPolicy(jitter=0)) as c:
        job = c.get_job("j00001")
    assert job.job_id == "j00001"
    assert len(store.requests) == 3
    assert time.sleeps == [0.5, 1.0]
    assert len(set(store.signatures)) == 3  # each attempt signed afresh


def test_gives_up_after_the_retry_count():
    store = Store.numbered(3)
    store.faults = [status(503)] * 5
    time = FakeTime()
    policy = RetryPolicy(retries=3, jitter=0)
    with client(store, time, retry=policy) as c, pytest.raises(ServiceUnavailableError) as info:
        c.get_job("j00001")
    assert info.value.provider == "fake" and info.value.status_code == 503
    assert len(store.requests) == 4 and time.sleeps == [0.5, 1.0, 2.0]


def test_retry_after_is_honoured_up_to_the_cap():
    store = Store.numbered(3)
    store.faults = [status(429, {"Retry-After": "3"}), status(429, {"Retry-After": "500"})]
    time = FakeTime()
    with client(store, time, retry=RetryPolicy(retry_after_cap=20)) as c:
        c.get_job("j00001")
    assert time.sleeps == [3.0, 20.0]


def test_retry_after_http_date():
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", 1445412480.0) == 10.0
    assert parse_retry_after("soon", 0) is None and parse_retry_after(None, 0) is None


def test_timeouts_become_neutral_and_retry_without_leaking_the_query():
    store = Store.numbered(3)
    store.faults = [raising(httpx.ReadTimeout)] * 3
    with client(store, retry=RetryPolicy(retries=2)) as c, pytest.raises(TimeoutError) as info:
        c.get_job("j00001")
    assert len(store.requests) == 3
    assert "SECRET" not in str(info.value) and info.value.retryable


def test_unsafe_calls_are_never_retried():
    store = Store.numbered(3)
    store.faults = [status(503)]
    with client(store) as c, pytest.raises(ServiceUnavailableError):
        c.create_job(NewJob(voice_name="x"))
    assert len(store.requests) == 1
    store.faults = [raising(httpx.RemoteProtocolError)]
    with client(store) as c, pytest.raises(TransportError):
        c.create_job(NewJob(voice_name="x"))
    assert len(store.requests) == 2


def test_non_retryable_errors_fail_at_once():
    store = Store.numbered(3)
    with client(store) as c, pytest.raises(Exception) as info:
        c.get_job("missing")
    assert type(info.value).__name__ == "NotFoundError" and info.value.provider == "fake"
    assert len(store.requests) == 1


def test_no_retries_policy():
    store = Store.numbered(3)
    store.faults = [status(503)]
    with client(store, retry=RetryPolicy.never()) as c, pytest.raises(ServiceUnavailableError):
        c.get_job("j00001")
    assert len(store.requests) == 1


async def test_async_retries_alike():
    store = Store.numbered(3)
    store.faults = [status(429, {"Retry-After": "2"}), raising(httpx.ConnectTimeout)]
    time = FakeTime()
    async with async_client(store, time, retry=RetryPolicy(jitter=0)) as c:
        assert (await c.get_job("j00002")).job_id == "j00002"
    assert time.sleeps == [2.0, 1.0] and len(store.requests) == 3


async def test_async_unsafe_not_retried():
    store = Store.numbered(3)
    store.faults = [status(429)]
    async with async_client(store) as c:
        with pytest.raises(RateLimitError):
            await c.create_job(NewJob(voice_name="x"))
    assert len(store.requests) == 1


def test_timeout_reaches_the_transport():
    seen = []

    def handler(request):
        seen.append(request.extensions["timeout"])
        return httpx.Response(
            200,
            json={"id": "a", "state": "SUCCEEDED", "created": 1, "edition": "Basic", "name": "n"},
        )

    from voiceclone import Client

    http = httpx.Client(transport=httpx.MockTransport(handler))
    with Client("fake", http_client=http, timeout=Timeout(connect=1, read=2)) as c:
        c.get_job("a")
    assert seen == [{"connect": 1, "read": 2, "write": 30.0, "pool": 5.0}]


def test_attempts_are_logged_without_query_strings(caplog):
    store = Store.numbered(12)
    store.faults = [status(503)]
    caplog.set_level(logging.DEBUG, logger="voiceclone")
    with client(store) as c:
        list(c.list_jobs(status="training"))
    text = caplog.text
    assert "GET /jobs -> 503 (attempt 1" in text and "-> 200 (attempt 2" in text
    assert "status=TRAINING" not in text and "?" not in text and "X-Sig" not in text


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"retries": -1}, "retry.retries"), ({"jitter": 2}, "retry.jitter")],
)
def test_bad_policy(kwargs, field):
    with pytest.raises(ValidationError) as info:
        RetryPolicy(**kwargs)
    assert info.value.field == field


def test_bad_timeout():
    with pytest.raises(ValidationError) as info:
        Timeout(read=0)
    assert info.value.field == "timeout.read"
