"""voiceclone.testing with the real vendor emulators and voiceclone.Client / AsyncClient.

Faults are seeded and retries use a no-op sleep, so these checks are deterministic and fast.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from voiceclone import NewJob, RetryPolicy, TransportError, VoiceCloneError
from voiceclone.testing import emulate, emulator_providers

BUILT_IN = ["alibaba-ice", "huawei-metastudio"]

pytestmark = pytest.mark.parametrize("provider", BUILT_IN)

PATIENT = RetryPolicy(retries=8)
FLAKY = "5xx=0.15,throttle=0.1,drop=0.05,truncate=0.05,seed=4"


@pytest.fixture(autouse=True)
def _needs_emulator(provider: str) -> None:
    if provider not in emulator_providers():
        pytest.skip(f"{provider} ships no emulator here")


def _no_sleep(seconds: float) -> None:
    pass


async def _no_async_sleep(seconds: float) -> None:
    pass


def _ids(jobs: Any) -> list[str]:
    return [job.job_id for job in jobs]


@pytest.mark.parametrize("loopback", [False, True], ids=["in-process", "loopback"])
def test_a_client_lists_every_seeded_job(provider: str, loopback: bool) -> None:
    with emulate(provider, jobs=45, seed=1, loopback=loopback) as emulated:
        client = emulated.client(max_concurrency=4)
        listed = _ids(client.list_jobs())
        assert sorted(listed) == sorted(emulated.emulator.job_ids())
        assert client.get_job(listed[0]).job_id == listed[0]


@pytest.mark.parametrize("loopback", [False, True], ids=["in-process", "loopback"])
def test_retries_see_through_seeded_faults(provider: str, loopback: bool) -> None:
    with emulate(provider, jobs=120, faults=FLAKY, loopback=loopback) as emulated:
        client = emulated.client(retry=PATIENT, sleep=_no_sleep, max_concurrency=4)
        listed = _ids(client.list_jobs())
        stats = emulated.stats
    assert Counter(listed) == Counter(emulated.emulator.job_ids())
    assert stats.requests > 0
    assert stats.server_errors + stats.throttled + stats.dropped + stats.truncated > 0


@pytest.mark.parametrize(
    ("faults", "error"),
    [
        ("5xx=1", VoiceCloneError),
        ("throttle=1,retry_after=0", VoiceCloneError),
        ("drop=1", TransportError),
        ("truncate=1", TransportError),
    ],
)
def test_a_faulted_create_creates_nothing(
    provider: str, faults: str, error: type[Exception]
) -> None:
    with emulate(provider, jobs=3, faults=faults) as emulated:
        before = dict(emulated.emulator.jobs())
        client = emulated.client(retry=RetryPolicy(retries=1), sleep=_no_sleep)
        with pytest.raises(error):
            client.create_job(NewJob(voice_name="Faulted", gender="female", language="zh"))
        assert dict(emulated.emulator.jobs()) == before


def test_a_lost_reply_is_ambiguous(provider: str) -> None:
    with emulate(provider, faults="lost_reply=1") as emulated:
        client = emulated.client(retry=RetryPolicy.never())
        with pytest.raises(TransportError):
            client.create_job(NewJob(voice_name="Ambiguous", gender="female", language="zh"))
        assert len(emulated.emulator.job_ids()) == 1


def test_listing_under_churn_keeps_every_stable_job_once(provider: str) -> None:
    with emulate(provider, jobs=150, faults="churn=0.5,seed=8") as emulated:
        before = emulated.emulator.job_ids()
        client = emulated.client(max_concurrency=4)
        listed = _ids(client.list_jobs())
        after = emulated.emulator.job_ids()
    assert emulated.stats.churned > 0
    counts = Counter(listed)
    assert not [job for job, seen in counts.items() if seen > 1], "duplicates"
    assert before & after <= set(listed), "a job that existed throughout was lost"


async def test_async_client_through_faults(provider: str) -> None:
    with emulate(provider, jobs=80, faults=FLAKY) as emulated:
        async with emulated.async_client(retry=PATIENT, sleep=_no_async_sleep) as client:
            listed = [job.job_id async for job in client.list_jobs()]
        assert Counter(listed) == Counter(emulated.emulator.job_ids())


async def test_async_client_on_loopback(provider: str) -> None:
    async with emulate(provider, jobs=30, loopback=True) as emulated:
        client = emulated.async_client()
        listed = [job.job_id async for job in client.list_jobs()]
        assert sorted(listed) == sorted(emulated.emulator.job_ids())
    assert emulated.server is not None and not emulated.server.running


def test_waiting_on_the_emulator_clock_takes_no_real_time(provider: str) -> None:
    with emulate(provider, jobs=40, seed=2) as emulated:
        clock = emulated.emulator.clock
        client = emulated.client(sleep=clock.advance, clock=clock.now)
        active = next(job for job in client.list_jobs() if job.status.is_active)
        started = clock.now()
        final = client.wait_for_job(active.job_id, timeout=7 * 86400)
    assert final.status.is_terminal
    assert clock.now() > started
