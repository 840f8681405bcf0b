"""Listing and mutating calls through seeded faults on the loopback emulators, both vendors,
both clients.

* Listing every job under 20 % 5xx, 10 % throttling, latency and dropped connections returns
  exactly the jobs that exist: nothing lost, nothing twice, for every seed.
* With other users creating and deleting jobs during the walk, every job that existed for the
  whole walk is returned exactly once, and nothing is returned twice.
* A create or submit that fails is never applied twice (the emulator's state is checked after
  each one); Alibaba's client-chosen ``VoiceId`` recovers a create whose reply was lost.

``VOICECLONE_FAULT_SEEDS`` sets the number of seeds (CI default 50; the long profile runs more,
e.g. ``VOICECLONE_FAULT_SEEDS=500``). Sleeps are injected: backoff costs no time.
"""

from __future__ import annotations

import asyncio
import os
from collections import Counter
from typing import Any

import pytest
import rel_calls
import rel_figures

import voiceclone
from voiceclone import NewJob, VoiceCloneError
from voiceclone.testing import FaultPlan, emulate

SEEDS = range(int(os.environ.get("VOICECLONE_FAULT_SEEDS", "50")))
RETRY = voiceclone.RetryPolicy(retries=12, backoff_initial=0.0, jitter=0.0)
"""Enough retries that a 35 % fault rate never exhausts them (0.35**13 per call)."""


def _plan(seed: int, **extra: float) -> FaultPlan:
    return FaultPlan(
        seed=seed,
        server_error_rate=0.2,
        throttle_rate=0.1,
        drop_rate=0.05,
        retry_after=0.0,
        latency=0.0,
        latency_max=0.001,
        **extra,
    )


def _jobs_for(seed: int) -> int:
    return 60 + (seed * 37) % 91  # 60 .. 150 jobs


def _count_faults(emulated: Any) -> None:
    stats = emulated.stats
    rel_figures.add("fault_requests", stats.requests)
    injected = stats.throttled + stats.server_errors + stats.dropped + stats.truncated
    rel_figures.add("faults_injected", injected + stats.lost_replies)
    rel_figures.add("faults_churn", stats.churned)


async def _no_sleep(_: float) -> None:
    return None


def _list_sync(emulated: Any, page_size: int) -> list[str]:
    with emulated.client(retry=RETRY, sleep=lambda _: None, max_concurrency=4) as client:
        return [job.job_id for job in client.list_jobs(page_size=page_size)]


def _list_async(emulated: Any, page_size: int) -> list[str]:
    async def run() -> list[str]:
        client = emulated.async_client(retry=RETRY, sleep=_no_sleep, max_concurrency=4)
        async with client:
            return [job.job_id async for job in client.list_jobs(page_size=page_size)]

    return asyncio.run(run())


LISTERS = {"sync": _list_sync, "async": _list_async}


@pytest.mark.parametrize("mode", LISTERS)
@pytest.mark.parametrize("provider", rel_calls.PROVIDERS)
def test_listing_under_faults_returns_exactly_the_jobs(provider: str, mode: str) -> None:
    faulted = 0
    for seed in SEEDS:
        count = _jobs_for(seed)
        with emulate(provider, jobs=count, seed=seed, faults=_plan(seed), loopback=True) as em:
            expected = em.emulator.job_ids()
            listed = LISTERS[mode](em, page_size=10 + seed % 16)
            _count_faults(em)
            faulted += em.stats.throttled + em.stats.server_errors + em.stats.dropped
        duplicates = [job for job, n in Counter(listed).items() if n > 1]
        assert duplicates == [], f"seed {seed}: listed twice"
        assert set(listed) == expected, f"seed {seed}: lost {expected - set(listed)}"
        rel_figures.add("fault_seeds")
        rel_figures.add("jobs_checked", len(listed))
    assert faulted > len(SEEDS), "the plan must inject faults"


CHURN_PROVIDERS = [rel_calls.HUAWEI, rel_calls.ALIBABA]


@pytest.mark.parametrize("mode", LISTERS)
@pytest.mark.parametrize("provider", CHURN_PROVIDERS)
def test_listing_while_jobs_come_and_go(provider: str, mode: str) -> None:
    churned = 0
    for seed in SEEDS:
        plan = _plan(seed, churn_rate=0.3)
        with emulate(provider, jobs=_jobs_for(seed), seed=seed, faults=plan, loopback=True) as em:
            before = em.emulator.job_ids()
            listed = LISTERS[mode](em, page_size=10 + seed % 16)
            after = em.emulator.job_ids()
            _count_faults(em)
            churned += em.stats.churned
        stable = before & after
        counts = Counter(listed)
        assert [job for job, n in counts.items() if n > 1] == [], f"seed {seed}: listed twice"
        assert stable <= set(counts), f"seed {seed}: lost {stable - set(counts)}"
        rel_figures.add("churn_seeds")
        rel_figures.add("jobs_checked", len(stable))
    assert churned > len(SEEDS), "other users must create and delete jobs mid-walk"


# -- mutating calls ---------------------------------------------------------------------------

MUTATION_PLAN = {"server_error_rate": 0.15, "throttle_rate": 0.1, "drop_rate": 0.05}


def _mutation_plan(seed: int) -> FaultPlan:
    return FaultPlan(seed=seed, lost_reply_rate=0.25, retry_after=0.0, **MUTATION_PLAN)


def _records_named(emulator: Any, name: str) -> list[tuple[str, Any]]:
    key = "voice_name" if emulator.provider_id == rel_calls.HUAWEI else "VoiceName"
    return [(job_id, r) for job_id, r in emulator.jobs().items() if r.get(key) == name]


@pytest.mark.parametrize("provider", rel_calls.PROVIDERS)
def test_a_create_is_never_applied_twice(provider: str) -> None:
    """Creates without a client-chosen id: a failure may leave one job (the reply was lost
    after the service applied it) but never two; a success leaves exactly the one returned."""
    attempts = failures = 0
    seeds = SEEDS[: max(5, len(SEEDS) // 5)]
    for seed in seeds:
        with emulate(provider, seed=seed, faults=_mutation_plan(seed)) as em:
            client = em.client(retry=RETRY, sleep=lambda _: None)
            for n in range(12):
                name = f"Once{seed}x{n}"
                options = {"Audios": "m1", "Authentication": "m2"}
                edition = "Standard" if provider == rel_calls.ALIBABA else None
                new = NewJob(
                    voice_name=name,
                    gender="female",
                    language="zh",
                    edition=edition,
                    options=options if edition else {},
                )
                attempts += 1
                try:
                    created = client.create_job(new)
                except VoiceCloneError:
                    failures += 1
                    assert len(_records_named(em.emulator, name)) <= 1, f"seed {seed}: twice"
                else:
                    ids = [job_id for job_id, _ in _records_named(em.emulator, name)]
                    assert ids == [created.job.job_id], f"seed {seed}"
            _count_faults(em)
    assert failures > 0, "the plan must make some creates fail"
    rel_figures.add("mutations_checked", attempts)


def test_alibaba_voice_id_recovers_a_create_after_an_ambiguous_failure() -> None:
    """With a client-chosen VoiceId the Basic create is safe to repeat: a lost reply is retried,
    the repeat finds the VoiceId taken and the job is looked up. Every create succeeds, and
    exactly one job exists per VoiceId."""
    attempts = recovered = 0
    for seed in SEEDS[: max(5, len(SEEDS) // 5)]:
        with emulate(rel_calls.ALIBABA, seed=seed, faults=_mutation_plan(seed)) as em:
            client = em.client(retry=RETRY, sleep=lambda _: None)
            for n in range(12):
                voice_id = f"once{seed}x{n}"
                new = NewJob(voice_name=f"V{seed}x{n}", gender="male", voice_id=voice_id)
                created = client.create_job(new)
                attempts += 1
                records = [
                    (job_id, r)
                    for job_id, r in em.emulator.jobs().items()
                    if r.get("VoiceId") == voice_id
                ]
                assert [job_id for job_id, _ in records] == [created.job.job_id]
            recovered += em.stats.lost_replies
            _count_faults(em)
    assert recovered > 0, "some creates must have lost their reply"
    rel_figures.add("mutations_checked", attempts)


class SubmitCounter:
    """Wraps the emulator's ``handle`` to count the submit requests that reach the service
    (applied, whether or not the reply then gets through)."""

    def __init__(self, emulator: Any) -> None:
        self.count = 0
        self._handle = emulator.handle
        emulator.handle = self

    def __call__(self, request: Any) -> Any:
        action = request.url.params.get("Action")
        commit = request.method == "POST" and "/user/jobs/" in request.url.path
        if action == "SubmitCustomizedVoiceJob" or commit:
            self.count += 1
        return self._handle(request)


@pytest.mark.parametrize("provider", rel_calls.PROVIDERS)
def test_a_submit_is_never_applied_twice(provider: str) -> None:
    """Submit is not safe to repeat, so it reaches the service at most once per call, even
    when its reply is lost; a submit that succeeded moved the job on."""
    attempts = failures = 0
    for seed in SEEDS[: max(5, len(SEEDS) // 5)]:
        plan = _mutation_plan(seed)
        with emulate(provider, seed=seed, faults=plan, training_data_ready=True) as em:
            counter = SubmitCounter(em.emulator)
            client = em.client(retry=RETRY, sleep=lambda _: None)
            for n in range(8):
                new = NewJob(voice_name=f"Sub{seed}x{n}", gender="female", language="zh")
                try:
                    job_id = client.create_job(new).job.job_id
                except VoiceCloneError:
                    continue
                attempts += 1
                before = counter.count
                try:
                    client.submit_job(job_id)
                except VoiceCloneError:
                    failures += 1
                    assert counter.count - before <= 1, f"seed {seed}: submit applied twice"
                else:
                    assert counter.count - before == 1, f"seed {seed}"
                    status = client.get_job(job_id).status
                    assert status is not voiceclone.JobStatus.CREATED
            _count_faults(em)
    assert attempts > 0 and failures > 0
    rel_figures.add("mutations_checked", attempts)
