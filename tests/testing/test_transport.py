"""EmulatorTransport: the in-process front end, sync and async, with and without faults."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from voiceclone.testing import EmulatorTransport, FaultPlan

AUTH = {"Authorization": "Bearer fake-token"}
BASE = "https://fake.emulator.invalid"

# Every fault that must leave state alone (lost_reply is the one that applies the request).
STATE_PRESERVING = [
    pytest.param(FaultPlan(throttle_rate=1.0), id="throttle"),
    pytest.param(FaultPlan(server_error_rate=1.0), id="5xx"),
    pytest.param(FaultPlan(drop_rate=1.0), id="drop"),
    pytest.param(FaultPlan(truncate_rate=1.0), id="truncate"),
]


def _client(emulator: Any, faults: FaultPlan | None = None, **kwargs: Any) -> httpx.Client:
    transport = EmulatorTransport(emulator, faults, **kwargs)
    return httpx.Client(transport=transport, base_url=BASE, headers=AUTH)


def test_without_faults_requests_reach_the_emulator(fake: Any) -> None:
    fake.seed_jobs(2)
    with _client(fake) as client:
        created = client.post("/jobs", json={"name": "Gentle"})
        assert created.status_code == 201
        assert client.get("/jobs").json() == {"jobs": ["job-0001", "job-0002", "job-0003"]}
        assert client.get(f"/jobs/{created.json()['id']}").json()["name"] == "Gentle"
    assert str(fake.seen[0].url) == f"{BASE}/jobs"


def test_a_plain_handler_works_but_cannot_take_faults() -> None:
    with httpx.Client(transport=EmulatorTransport(lambda r: httpx.Response(204))) as client:
        assert client.get("https://x.invalid/").status_code == 204
    with pytest.raises(TypeError, match="Emulator"):
        EmulatorTransport(lambda r: httpx.Response(204), FaultPlan(drop_rate=1.0))


def test_a_quiet_plan_injects_nothing(fake: Any) -> None:
    transport = EmulatorTransport(fake, FaultPlan())
    assert transport.injector is None
    assert transport.stats.requests == 0


def test_throttle_is_the_vendors_reply_with_retry_after(fake: Any) -> None:
    with _client(fake, FaultPlan(throttle_rate=1.0, retry_after=3.0)) as client:
        response = client.get("/jobs")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "3.0"
    assert fake.seen == []


def test_server_errors_are_the_vendors_5xx(fake: Any) -> None:
    with _client(fake, FaultPlan(server_error_rate=1.0, seed=3)) as client:
        statuses = {client.get("/jobs").status_code for _ in range(40)}
    assert statuses <= {500, 502, 503, 504} and len(statuses) > 1


def test_drop_raises_remote_protocol_error(fake: Any) -> None:
    with (
        _client(fake, FaultPlan(drop_rate=1.0)) as client,
        pytest.raises(httpx.RemoteProtocolError, match="without sending a response"),
    ):
        client.get("/jobs")


def test_truncated_body_fails_while_reading(fake: Any) -> None:
    fake.seed_jobs(5)
    with _client(fake, FaultPlan(truncate_rate=1.0)) as client:
        with pytest.raises(httpx.RemoteProtocolError, match="complete message body"):
            client.get("/jobs")
        with client.stream("GET", "/jobs") as response:
            assert response.status_code == 200
            declared = int(response.headers["Content-Length"])
            received = bytearray()
            with pytest.raises(httpx.RemoteProtocolError):
                for chunk in response.iter_raw():
                    received += chunk
    assert 0 < len(received) < declared


@pytest.mark.parametrize("plan", STATE_PRESERVING)
def test_a_faulted_mutating_request_changes_nothing(fake: Any, plan: FaultPlan) -> None:
    fake.seed_jobs(3)
    before = fake.jobs()
    with _client(fake, plan) as client:
        for _ in range(5):
            try:
                client.post("/jobs", json={"name": "x"})
                client.delete("/jobs/job-0001")
            except httpx.RemoteProtocolError:
                pass
    assert fake.jobs() == before


def test_a_lost_reply_applies_the_request_then_hangs_up(fake: Any) -> None:
    with (
        _client(fake, FaultPlan(lost_reply_rate=1.0)) as client,
        pytest.raises(httpx.RemoteProtocolError),
    ):
        client.post("/jobs", json={"name": "ambiguous"})
    assert [job["name"] for job in fake.jobs().values()] == ["ambiguous"]


def test_latency_goes_through_the_injected_sleep(fake: Any) -> None:
    slept: list[float] = []
    plan = FaultPlan(latency=0.02, latency_max=0.04)
    with _client(fake, plan, sleep=slept.append) as client:
        for _ in range(10):
            assert client.get("/jobs").status_code == 200
    assert len(slept) == 10
    assert all(0.02 <= s <= 0.04 for s in slept)


def test_churn_changes_jobs_between_requests(fake: Any) -> None:
    fake.seed_jobs(10)
    before = fake.job_ids()
    transport = EmulatorTransport(fake, FaultPlan(churn_rate=1.0, seed=5))
    with httpx.Client(transport=transport, base_url=BASE, headers=AUTH) as client:
        for _ in range(6):
            client.get("/jobs")
    assert fake.job_ids() != before
    assert transport.stats.churned == 6


def test_the_same_seed_gives_the_same_story(fake: Any) -> None:
    def story(seed: int) -> list[int | str]:
        plan = FaultPlan(seed=seed, throttle_rate=0.3, server_error_rate=0.3, drop_rate=0.2)
        outcomes: list[int | str] = []
        with _client(fake, plan) as client:
            for _ in range(30):
                try:
                    outcomes.append(client.get("/jobs").status_code)
                except httpx.RemoteProtocolError:
                    outcomes.append("drop")
        return outcomes

    assert story(1) == story(1)
    assert story(1) != story(2)


async def test_async_requests_and_faults(fake: Any) -> None:
    slept: list[float] = []

    async def asleep(seconds: float) -> None:
        slept.append(seconds)

    fake.seed_jobs(2)
    quiet = EmulatorTransport(fake, async_sleep=asleep)
    async with httpx.AsyncClient(transport=quiet, base_url=BASE, headers=AUTH) as client:
        assert (await client.post("/jobs", json={"name": "a"})).status_code == 201
        assert len((await client.get("/jobs")).json()["jobs"]) == 3

    for plan, error in [
        (FaultPlan(drop_rate=1.0, latency=0.5), "without sending a response"),
        (FaultPlan(truncate_rate=1.0, latency=0.5), "complete message body"),
    ]:
        transport = EmulatorTransport(fake, plan, async_sleep=asleep)
        async with httpx.AsyncClient(transport=transport, base_url=BASE, headers=AUTH) as client:
            with pytest.raises(httpx.RemoteProtocolError, match=error):
                await client.get("/jobs")
            with pytest.raises(httpx.RemoteProtocolError):
                await client.post("/jobs", json={"name": "faulted"})
    assert slept == [0.5] * 4
    assert len(fake.job_ids()) == 3
