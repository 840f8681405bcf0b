"""The adapter against the ICE emulator (an independent server-side signature check and
lifecycle): every edition listed, a Basic job created, recorded, submitted and deleted."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from voiceclone import ConflictError, JobQuery, JobStatus, NewJob
from voiceclone.adapter import Call, ListRequest, NumberedWindow
from voiceclone_ice import PROVIDER

IceEmulator = pytest.importorskip("voiceclone_ice._emulator").IceEmulator


def _runner(provider: Any, emulator: Any) -> Any:
    client = httpx.Client(transport=httpx.MockTransport(emulator.handle))

    def run(operation: Any) -> Any:
        def send(call: Call[Any]) -> Any:
            return call.parse(client.send(call.request, auth=provider.auth))

        if isinstance(operation, Call):
            return send(operation)
        try:
            call = next(operation)
            while True:
                call = operation.send(send(call))
        except StopIteration as stop:
            return stop.value

    return run


@pytest.fixture(params=[False, True], ids=["access-key", "sts"])
def setup(request: pytest.FixtureRequest) -> tuple[Any, Any, Any]:
    token = "sts-token-for-tests" if request.param else None
    emulator = IceEmulator(seed=3, jobs=40, security_token=token)
    provider = PROVIDER.create(**emulator.client_settings("http://ice.test"), env={})
    return emulator, provider, _runner(provider, emulator)


def test_listing_everything_returns_every_edition(setup: Any) -> None:
    emulator, provider, run = setup
    seen = []
    for partition in provider.list_partitions(JobQuery()):
        number = 1
        while True:
            request = ListRequest(JobQuery(), NumberedWindow(number, 7), partition)
            page = run(provider.list_jobs(request))
            seen.extend(page.items)
            if number * 7 >= page.total:
                break
            number += 1
    assert {job.job_id for job in seen} == set(emulator.job_ids())
    assert len(seen) == len(emulator.job_ids())
    assert {job.edition for job in seen} == {"Basic", "Standard", "CosyVoice"}


def test_a_basic_job_from_creation_to_deletion(setup: Any) -> None:
    emulator, provider, run = setup
    created = run(provider.create_job(NewJob(voice_name="温柔 A&B", gender="female")))
    job = created.job
    assert run(provider.get_job(job.job_id)).status is JobStatus.CREATED
    demos = run(provider.get_demonstration_for_customized_voice_job("story"))
    for demo in demos:
        url = f"https://bucket.oss-cn-shanghai.aliyuncs.com/rec/{demo.audio_id}.wav"
        detection = run(
            provider.detect_audio_for_customized_voice_job(job.voice_id, demo.audio_id, url)
        )
        assert detection.passed
    run(provider.submit_job(job.job_id))
    submitted = run(provider.get_job(job.job_id))
    assert submitted.status is not JobStatus.CREATED
    with pytest.raises(ConflictError):
        run(provider.submit_job(job.job_id))
    if submitted.raw_status not in {"Training", "Success"}:
        run(provider.delete_job(job.job_id))
        assert job.job_id not in emulator.job_ids()


def test_a_repeated_basic_create_recovers_the_job(setup: Any) -> None:
    _emulator, provider, run = setup
    new = NewJob(voice_name="n", gender="male", voice_id="retry01")
    first = run(provider.create_job(new))
    again = run(provider.create_job(new))  # as after a lost reply
    assert again.job.job_id == first.job.job_id
    other = NewJob(voice_name="someone else", gender="male", voice_id="retry01")
    with pytest.raises(ConflictError):
        run(provider.create_job(other))
