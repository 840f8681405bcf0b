"""The emulator's job store: voice-training jobs in memory and their lifecycle on a clock.

A committed job walks ``SYSTEM_AUDITING -> AUDITING -> WAITING_SPLIT -> SPLITTING -> ANNOTATING
-> WAITING -> PROCESSING -> UPLOADING -> SUCCEED``, each stage lasting its configured number of
emulator seconds. Its outcome (chosen per job, or drawn from the failure and action-required
rates at commit) may branch instead: ``AUDITING -> AUDIT_FAILED`` (the user re-uploads and
commits again), ``SPLITTING -> SPLIT_FAILED`` or ``PROCESSING -> FAILED``. Jobs advance lazily:
:meth:`JobStore.advance` moves every job whose next change is due, using a heap, so a request
costs nothing for jobs that are idle. Not thread-safe by itself; the emulator holds a lock.
"""

from __future__ import annotations

import heapq
import random
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from voiceclone_metastudio._emulator_vocab import (
    ACTIVE_STATES,
    AUDIT_REJECTIONS,
    FAILURE_REASONS,
    ApiError,
)

__all__ = ["DEFAULT_STAGE_SECONDS", "OUTCOMES", "Job", "JobStore", "backfill", "millis"]

DEFAULT_STAGE_SECONDS: Mapping[str, float] = {
    "SYSTEM_AUDITING": 20.0,
    "AUDITING": 40.0,
    "WAITING_SPLIT": 20.0,
    "SPLITTING": 50.0,
    "ANNOTATING": 50.0,
    "WAITING": 60.0,
    "PROCESSING": 600.0,
    "UPLOADING": 30.0,
    "SHORT_JOB": 30.0,  # a short (audio assessment) job: PROCESSING -> SUCCEED
}
_MAX_VIEWS = 64
OUTCOMES = ("succeed", "fail", "split_fail", "action_required")
_BRANCHES = {
    ("AUDITING", "action_required"): "AUDIT_FAILED",
    ("SPLITTING", "split_fail"): "SPLIT_FAILED",
    ("PROCESSING", "fail"): "FAILED",
}
# The op-log entries written when a job enters a state: (action, operator).
_LOG_ON_ENTER: Mapping[str, tuple[tuple[str, str], ...]] = {
    "SYSTEM_AUDITING": (("COMMIT_JOB", "USER"),),
    "AUDITING": (("SYSTEM_AUDIT_PASS", "SYSTEM"),),
    "WAITING_SPLIT": (("ADMIN_AUDIT_PASS", "ADMIN"),),
    "AUDIT_FAILED": (("AUDIT_NOT_PASS", "ADMIN"),),
    "UPLOADING": (("TRAINING_FINISH", "SYSTEM"), ("UPLOADING_MODEL", "SYSTEM")),
    "FAILED": (("TRAINING_FINISH", "SYSTEM"),),
    "SPLIT_FAILED": (("COMPLETE_JOB", "SYSTEM"),),
    "SUCCEED": (("COMPLETE_JOB", "SYSTEM"),),
}


def millis(seconds: float) -> int:
    """Emulator seconds as the vendor's epoch milliseconds."""
    return int(seconds * 1000)


class Job:
    """One job: its vendor record (only the fields a real reply would carry) and its lifecycle."""

    __slots__ = ("audit", "confirmed", "entered_at", "oplog", "outcome", "record", "segments")

    def __init__(self, record: dict[str, Any], segments: int = 0) -> None:
        self.record = record
        self.segments = segments
        self.confirmed: set[int] = set()
        self.outcome: str | None = None
        self.entered_at: float = record["lastupdate_time"] / 1000
        self.oplog: list[dict[str, Any]] | None = []
        self.audit: dict[str, Any] = {}

    @property
    def job_id(self) -> str:
        return str(self.record["job_id"])

    @property
    def state(self) -> str:
        return str(self.record["state"])

    def log(self, at: float, action: str, operator: str, info: dict[str, Any] | None) -> None:
        if self.oplog is None:
            return
        entry: dict[str, Any] = {"time": millis(at), "action": action, "operator": operator}
        if info:
            entry["external_info"] = info
        self.oplog.append(entry)


class JobStore:
    """Jobs by id, their pending lifecycle changes, and the list views (filtered, sorted)."""

    def __init__(self, rng: random.Random, stage_seconds: Mapping[str, float]) -> None:
        self.rng = rng
        self.stage_seconds = dict(stage_seconds)
        self.failure_rate = 0.0
        self.action_required_rate = 0.0
        self._jobs: dict[str, Job] = {}
        self._due: list[tuple[float, int, str]] = []
        self._sequence = 0
        self._views: dict[tuple[str | tuple[str, str], ...], list[Job]] = {}

    # -- identity and access ------------------------------------------------------------------

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def get(self, job_id: str) -> Job:
        job = self._jobs.get(job_id)
        if job is None:
            raise ApiError.job_not_found(job_id)
        return job

    def find(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def all(self) -> Iterable[Job]:
        return self._jobs.values()

    def __len__(self) -> int:
        return len(self._jobs)

    def add(self, job: Job) -> None:
        self._jobs[job.job_id] = job
        self._schedule(job)
        self.changed()

    def remove(self, job_id: str) -> None:
        del self._jobs[job_id]
        self.changed()

    def changed(self) -> None:
        """Forget the cached orders after any change to a job."""
        self._views.clear()

    # -- lifecycle ----------------------------------------------------------------------------

    def draw_outcome(self) -> str:
        draw = self.rng.random()
        if draw < self.failure_rate:
            return "fail"
        if draw < self.failure_rate + self.action_required_rate:
            return "action_required"
        return "succeed"

    def commit(self, job: Job, now: float) -> None:
        """Start (or restart, after AUDIT_FAILED) the review-and-training run."""
        if job.outcome is None:
            job.outcome = self.draw_outcome()
        for key in ("job_failed_code", "job_failed_reason"):
            job.record.pop(key, None)
        job.audit = {}
        self.enter(job, "SYSTEM_AUDITING", now)

    def advance(self, now: float) -> None:
        """Apply every lifecycle change due at ``now``."""
        while self._due and self._due[0][0] <= now:
            due, _, job_id = heapq.heappop(self._due)
            job = self._jobs.get(job_id)
            if job is None or job.state not in ACTIVE_STATES or self._due_at(job) != due:
                continue
            while job.state in ACTIVE_STATES and self._due_at(job) <= now:
                self.enter(job, self._next_state(job), self._due_at(job))

    def enter(self, job: Job, state: str, at: float) -> None:
        """Move ``job`` into ``state`` at emulator time ``at``, with the state's side effects."""
        job.record["state"] = state
        job.record["lastupdate_time"] = millis(at)
        job.entered_at = at
        info = self._on_enter(job, state, at)
        for action, operator in _LOG_ON_ENTER.get(state, ()):
            job.log(at, action, operator, info if action != "UPLOADING_MODEL" else None)
        self._schedule(job)
        self.changed()

    def _on_enter(self, job: Job, state: str, at: float) -> dict[str, Any] | None:
        record = job.record
        if state == "AUDITING":
            job.audit["system_audit_result"] = {"audit_time": millis(at), "errors": []}
        elif state == "WAITING_SPLIT":
            job.audit["admin_audit_result"] = {"message": "审核通过", "audit_time": millis(at)}
        elif state == "AUDIT_FAILED":
            return self._reject(job, at)
        elif state in FAILURE_REASONS:
            code, reason = self.rng.choice(FAILURE_REASONS[state])
            record["job_failed_code"], record["job_failed_reason"] = code, reason
            job.outcome = None
            return {"algorithm_failure_reason": reason}
        elif state == "SUCCEED":
            record["asset_id"] = self.new_id()
            job.outcome = None
        return None

    def _reject(self, job: Job, at: float) -> dict[str, Any]:
        audio, text, code, message = self.rng.choice(AUDIT_REJECTIONS)
        job.record["reject_times"] = int(job.record.get("reject_times", 0)) + 1
        job.audit["system_audit_result"] = {
            "audit_time": millis(at),
            "errors": [
                {
                    "audio_name": audio,
                    "text_name": text,
                    "error_code": code,
                    "error_message": message,
                }
            ],
        }
        job.audit["admin_audit_result"] = {"message": message, "audit_time": millis(at)}
        job.outcome = None
        return {"admin_audit_failure_reason": message}

    def _next_state(self, job: Job) -> str:
        branch = _BRANCHES.get((job.state, job.outcome or "succeed"))
        if branch is not None:
            return branch
        index = ACTIVE_STATES.index(job.state) + 1
        return ACTIVE_STATES[index] if index < len(ACTIVE_STATES) else "SUCCEED"

    def _due_at(self, job: Job) -> float:
        return job.entered_at + self.stage_seconds[job.state]

    def _schedule(self, job: Job) -> None:
        if job.state in ACTIVE_STATES:
            self._sequence += 1
            heapq.heappush(self._due, (self._due_at(job), self._sequence, job.job_id))

    # -- listing ------------------------------------------------------------------------------

    def ordered(self, sort_key: str) -> list[Job]:
        """Every job ascending by ``create_time`` or ``update_time`` (ties by id), cached."""
        field = "create_time" if sort_key == "create_time" else "lastupdate_time"
        return self.view(
            (sort_key,),
            lambda: sorted(self._jobs.values(), key=lambda j: (j.record[field], j.job_id)),
        )

    def view(
        self, key: tuple[str | tuple[str, str], ...], build: Callable[[], list[Job]]
    ) -> list[Job]:
        """The list ``build`` makes, cached under ``key`` until any job changes (so paging
        through one listing sorts and filters once)."""
        cached = self._views.get(key)
        if cached is None:
            if len(self._views) >= _MAX_VIEWS:
                self._views.clear()
            cached = self._views[key] = build()
        return cached


def _path_to(state: str) -> tuple[str, ...]:
    """The states a job passed through after commit to be in ``state``, ``state`` included."""
    if state in ACTIVE_STATES:
        return ACTIVE_STATES[: ACTIVE_STATES.index(state) + 1]
    stop = {"AUDIT_FAILED": "AUDITING", "SPLIT_FAILED": "SPLITTING", "SUCCEED": "UPLOADING"}
    last = stop.get(state, "PROCESSING")
    passed = ACTIVE_STATES[: ACTIVE_STATES.index(last) + 1]
    return (*passed, state) if state in stop or state == "FAILED" else passed


def backfill(job: Job) -> None:
    """Give a seeded job the op log and audit result its history implies (times interpolated
    between its creation and its last update); afterwards it logs as it goes, like any job."""
    if job.oplog is not None:
        return
    record = job.record
    created, updated = record["create_time"] / 1000, record["lastupdate_time"] / 1000
    job.oplog = []
    job.log(created, "CREATE_JOB", "USER", None)
    if job.state == "CREATING":
        return
    path = _path_to(job.state)
    step = (updated - created) / (len(path) + 1)
    for number, state in enumerate(path, start=1):
        at = created + number * step if state != job.state else updated
        info: dict[str, Any] | None = None
        if state == "AUDITING":
            job.audit["system_audit_result"] = {"audit_time": millis(at), "errors": []}
        elif state == "WAITING_SPLIT":
            job.audit["admin_audit_result"] = {"message": "审核通过", "audit_time": millis(at)}
        elif state == "AUDIT_FAILED":
            audio, text, code, message = AUDIT_REJECTIONS[len(job.job_id) % len(AUDIT_REJECTIONS)]
            error = {"audio_name": audio, "text_name": text, "error_code": code}
            error["error_message"] = message
            job.audit["system_audit_result"] = {"audit_time": millis(at), "errors": [error]}
            job.audit["admin_audit_result"] = {"message": message, "audit_time": millis(at)}
            info = {"admin_audit_failure_reason": message}
        elif state in FAILURE_REASONS:
            info = {"algorithm_failure_reason": record.get("job_failed_reason", "")}
        for action, operator in _LOG_ON_ENTER.get(state, ()):
            job.log(at, action, operator, info if action != "UPLOADING_MODEL" else None)
