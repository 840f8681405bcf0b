"""Sample data for the emulator: new job records, seeded jobs in every state, OBS-style URLs.

Records carry only the fields a real reply would: optional fields (phone, tag, batch name, the
avatar job id, the allocated resource, ...) are present on some jobs and absent on others, and
outcome fields (``asset_id``, ``job_failed_code``/``reason``, ``reject_times``) appear only in the
states that set them.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import random
from collections.abc import Mapping
from typing import Any

from voiceclone_metastudio._emulator_jobs import Job, JobStore, millis
from voiceclone_metastudio._emulator_vocab import (
    ACTIVE_STATES,
    CHARGE_MODES,
    FAILURE_REASONS,
    JOB_STATES,
    JOB_TAGS,
    JOB_TYPES,
    SEGMENT_COUNTS,
    VOICE_NAMES,
)

__all__ = ["OBS_HOST", "new_record", "obs_url", "seed_jobs"]

OBS_HOST = "metastudio-voice-cn-north-4.obs.cn-north-4.myhuaweicloud.com"
_DAY = 86_400.0
_URL_LIFETIME = 3_600


def obs_url(rng: random.Random, project_id: str, job_id: str, name: str, now: float) -> str:
    """A URL shaped like an OBS pre-signed URL (``AccessKeyId``, ``Expires``, ``Signature``)."""
    digest = hashlib.sha1(f"{job_id}/{name}/{rng.getrandbits(64)}".encode()).digest()
    signature = base64.b64encode(digest).decode().replace("+", "%2B").replace("/", "%2F")
    expires = int(now) + _URL_LIFETIME
    return (
        f"https://{OBS_HOST}/{project_id}/voice-training/{job_id}/{name}"
        f"?AccessKeyId=EMULATOROBSAK0000000&Expires={expires}&Signature={signature.rstrip('=')}"
    )


def new_record(
    job_id: str, job_type: str, body: Mapping[str, Any], now: float, app_user_id: str | None
) -> dict[str, Any]:
    """The record of a job created now from a validated ``CreateTrainingJobReq`` body."""
    record: dict[str, Any] = {"job_type": job_type, "job_id": job_id}
    if app_user_id:
        record["app_user_id"] = app_user_id
    record["voice_name"] = body["voice_name"]
    record["sex"] = body.get("sex", "FEMALE")
    record["language"] = body.get("language", "CN")
    record["state"] = "CREATING"
    record["create_time"] = record["lastupdate_time"] = millis(now)
    record["create_type"] = body.get("create_type", "PACKAGE")
    for key in ("tag", "phone", "dhtms_job_id", "batch_name", "output_language"):
        if key in body:
            record[key] = body[key]
    if "is_ondemand_resource" in body:
        record["is_ondemand_resource"] = body["is_ondemand_resource"]
    return record


def _sample_record(
    store: JobStore, project_id: str, state: str, job_type: str, created: float, updated: float
) -> dict[str, Any]:
    rng = store.rng
    job_id = store.new_id()
    name = rng.choice(VOICE_NAMES)
    body: dict[str, Any] = {
        "voice_name": name if rng.random() < 0.5 else f"{name}{rng.randint(1, 99)}",
        "sex": rng.choice(("FEMALE", "FEMALE", "MALE")),
        "language": "CN" if rng.random() < 0.85 else "EN",
        "create_type": "SEGMENT"
        if job_type in SEGMENT_COUNTS and rng.random() < 0.3
        else "PACKAGE",
    }
    if rng.random() < 0.6:
        body["tag"] = rng.choice(JOB_TAGS)
    if rng.random() < 0.2:
        body["phone"] = f"13{rng.randint(0, 999_999_999):09d}"
    if rng.random() < 0.15:
        body["dhtms_job_id"] = store.new_id()
    if rng.random() < 0.1:
        body["batch_name"] = f"batch-{rng.randint(1, 20):02d}"
    app_user = f"user-{rng.randint(1, 50):03d}" if rng.random() < 0.4 else None
    record = new_record(job_id, job_type, body, created, app_user)
    record["state"] = state
    record["lastupdate_time"] = millis(updated)
    if state != "CREATING":
        record["training_input_source_url"] = obs_url(rng, project_id, job_id, "data.zip", created)
        if rng.random() < 0.5:
            record["voice_authorization_url"] = obs_url(
                rng, project_id, job_id, "authorization.pdf", created
            )
        if rng.random() < 0.7:
            record["allocated_resource"] = {
                "resource_id": store.new_id().replace("-", ""),
                "charge_mode": rng.choice(CHARGE_MODES),
                "expire_time": "2026-12-31T16:00:00Z",
            }
    if state == "SUCCEED":
        record["asset_id"] = store.new_id()
    if state in FAILURE_REASONS:
        record["job_failed_code"], record["job_failed_reason"] = rng.choice(FAILURE_REASONS[state])
    if state == "AUDIT_FAILED" or (state != "CREATING" and rng.random() < 0.05):
        record["reject_times"] = rng.randint(1, 3)
    return record


def _times(store: JobStore, state: str, now: float) -> tuple[float, float]:
    """(created, entered current state) for a sample job that is in ``state`` at ``now``."""
    rng = store.rng
    if state in ACTIVE_STATES:
        entered = now - rng.uniform(0.0, store.stage_seconds[state])
        before = sum(store.stage_seconds[s] for s in ACTIVE_STATES[: ACTIVE_STATES.index(state)])
        return entered - before - rng.uniform(60.0, _DAY), entered
    created = now - rng.uniform(_DAY / 24, 90 * _DAY)
    if state == "CREATING":
        return created, created
    return created, min(now, created + rng.uniform(_DAY / 24, 3 * _DAY))


def seed_jobs(store: JobStore, project_id: str, count: int, now: float) -> None:
    """Add ``count`` jobs spread over the past 90 days: every state and edition appears (given
    enough jobs), running jobs keep running on the clock."""
    rng = store.rng
    for index in range(count):
        state = JOB_STATES[index] if index < len(JOB_STATES) else _weighted_state(rng)
        job_type = JOB_TYPES[index % len(JOB_TYPES)] if index < 32 else _weighted_type(rng)
        created, entered = _times(store, state, now)
        record = _sample_record(store, project_id, state, job_type, created, entered)
        job = Job(
            record, SEGMENT_COUNTS.get(job_type, 0) if record["create_type"] == "SEGMENT" else 0
        )
        job.entered_at = entered
        job.oplog = None  # synthesised on first request (see the routes)
        if state in ACTIVE_STATES:
            job.outcome = store.draw_outcome()
        store.add(job)


_STATE_WEIGHTS = {
    "SUCCEED": 50,
    "FAILED": 8,
    "CREATING": 10,
    "AUDIT_FAILED": 5,
    "SPLIT_FAILED": 2,
    "PROCESSING": 5,
    "WAITING": 4,
}


_STATE_CUMULATIVE = tuple(itertools.accumulate(_STATE_WEIGHTS.get(s, 1) for s in JOB_STATES))
_TYPE_CUMULATIVE = tuple(itertools.accumulate((30, 25, 20, 10, 3, 12)))


def _weighted_state(rng: random.Random) -> str:
    return rng.choices(JOB_STATES, cum_weights=_STATE_CUMULATIVE)[0]


def _weighted_type(rng: random.Random) -> str:
    return rng.choices(JOB_TYPES, cum_weights=_TYPE_CUMULATIVE)[0]
