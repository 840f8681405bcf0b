"""The ICE emulator's state: customized-voice jobs in memory and how they move on the clock.

A job's lifecycle (reference §2.2, §2.5):

* Basic: ``CreateCustomizedVoiceJob`` makes it ``Initialization``; recordings are checked with
  ``DetectAudioForCustomizedVoiceJob``; ``SubmitCustomizedVoiceJob`` starts training.
* Standard and CosyVoice: the submit call creates the job already submitted.
* A submitted job runs ``AudioDetecting`` -> ``PreTraining`` -> ``Training`` for the configured
  stage durations, then ends ``Success`` (``Message`` "训练成功") or, when its outcome is
  "fail", ``Fail`` at the end of the stage chosen to fail, with a ``Message`` saying why.

Status is derived lazily from the clock: :meth:`JobStore.advance` brings every job up to
``now`` before a request is answered. A job's trained voice exists once the job is ``Success``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from datetime import datetime, timezone
from typing import Any

import attrs

__all__ = [
    "DEFAULT_STAGE_SECONDS",
    "FAILURE_MESSAGES",
    "STAGES",
    "SUCCESS_MESSAGE",
    "TERMINAL",
    "JobRecord",
    "JobStore",
    "ice_time",
]

STAGES = ("AudioDetecting", "PreTraining", "Training")
"""The in-progress states a submitted job passes through, in order."""

TERMINAL = frozenset({"Success", "Fail"})

DEFAULT_STAGE_SECONDS: Mapping[str, float] = {
    "AudioDetecting": 60.0,
    "PreTraining": 300.0,
    "Training": 1800.0,
}

SUCCESS_MESSAGE = "训练成功"
FAILURE_MESSAGES: Mapping[str, str] = {
    "AudioDetecting": "音频检测未通过,请检查音频质量后重新提交",
    "PreTraining": "声纹校验失败,授权音频与训练音频不是同一人",
    "Training": "训练失败",
}


def ice_time(epoch: float) -> str:
    """Epoch seconds as ICE writes times: ``yyyy-MM-ddTHH:mm:ssZ`` in UTC."""
    return datetime.fromtimestamp(int(epoch), timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@attrs.define
class JobRecord:
    """One job as the emulator keeps it. ``None`` fields are left out of replies."""

    job_id: str
    voice_id: str
    type: str
    created_at: float
    seq: int
    voice_name: str | None = None
    voice_desc: str | None = None
    gender: str | None = None
    scenario: str | None = None
    status: str = "Initialization"
    message: str | None = None
    submitted_at: float | None = None
    outcome: str = "succeed"
    fail_stage: str = "Training"
    detected: set[int] = attrs.field(factory=set)
    demo_audio_media_url: str | None = None
    demo_audio_media_id: str | None = None
    audios: tuple[str, ...] = ()
    authentication: str | None = None
    model: str | None = None

    def advance(self, now: float, stage_seconds: Mapping[str, float]) -> None:
        """Move the job to the state it is in at ``now``."""
        if self.submitted_at is None or self.status in TERMINAL:
            return
        elapsed = now - self.submitted_at
        for stage in STAGES:
            duration = stage_seconds[stage]
            if elapsed < duration:
                self.status = stage
                return
            if self.outcome == "fail" and stage == self.fail_stage:
                self.status, self.message = "Fail", FAILURE_MESSAGES[stage]
                return
            elapsed -= duration
        self.status, self.message = "Success", SUCCESS_MESSAGE
        if self.demo_audio_media_url and self.demo_audio_media_id is None:
            # the service writes a sample audio after training; its media id is derived here
            seed = f"demo:{self.job_id}".encode()
            self.demo_audio_media_id = hashlib.md5(seed, usedforsecurity=False).hexdigest()

    def job_view(self, *, listing: bool = False) -> dict[str, Any]:
        """The ``CustomizedVoiceJob`` object (``listing`` adds ``GmtCreate``)."""
        view: dict[str, Any] = {"JobId": self.job_id, "VoiceId": self.voice_id}
        _put(view, "VoiceName", self.voice_name)
        _put(view, "VoiceDesc", self.voice_desc)
        _put(view, "Gender", self.gender)
        _put(view, "Scenario", self.scenario)
        view["Type"] = self.type
        view["Status"] = self.status
        _put(view, "Message", self.message)
        view["CreateTime"] = ice_time(self.created_at)
        if listing:
            view["GmtCreate"] = ice_time(self.created_at)
        return view

    def voice_view(self) -> dict[str, Any]:
        """The ``CustomizedVoice`` object of the voice this job trained."""
        view: dict[str, Any] = {"VoiceId": self.voice_id}
        _put(view, "VoiceName", self.voice_name)
        _put(view, "VoiceDesc", self.voice_desc)
        _put(view, "Gender", self.gender)
        _put(view, "Scenario", self.scenario)
        _put(view, "DemoAudioMediaId", self.demo_audio_media_id)
        view["Type"] = self.type
        return view


def _put(view: dict[str, Any], key: str, value: str | None) -> None:
    if value is not None:
        view[key] = value


class JobStore:
    """Jobs by JobId, with lookups by VoiceId and the newest-first ordering of the list calls.

    Not thread-safe by itself; the emulator calls it under its lock.
    """

    def __init__(self, stage_seconds: Mapping[str, float]) -> None:
        self.stage_seconds = dict(stage_seconds)
        self._jobs: dict[str, JobRecord] = {}
        self._seq = 0
        # Listing order per type. The sort key (creation time, seq) and the type never change
        # after creation, so only adding or removing a job invalidates it.
        self._sorted: dict[str, list[JobRecord]] = {}
        self._advanced_at: float | None = None

    def next_seq(self) -> int:
        """A creation sequence number, the tie-breaker for jobs created in the same second."""
        self._seq += 1
        return self._seq

    def add(self, job: JobRecord) -> None:
        self._jobs[job.job_id] = job
        self._sorted.clear()

    def remove(self, job_id: str) -> None:
        del self._jobs[job_id]
        self._sorted.clear()

    def get(self, job_id: str) -> JobRecord | None:
        return self._jobs.get(job_id)

    def __iter__(self) -> Iterator[JobRecord]:
        return iter(list(self._jobs.values()))

    def __len__(self) -> int:
        return len(self._jobs)

    def advance(self, now: float) -> None:
        """Bring every job up to ``now``.

        A job's state is a function of the time, so a second pass at the same ``now`` changes
        nothing (whatever changes a job between passes, submit or seeding, advances that job
        itself): it is skipped, which keeps each request O(1) on a frozen clock.
        """
        if now == self._advanced_at:
            return
        for job in self._jobs.values():
            job.advance(now, self.stage_seconds)
        self._advanced_at = now

    def by_voice(self, voice_id: str) -> JobRecord | None:
        """The job that owns ``voice_id`` (VoiceIds are unique among the account's voices)."""
        for job in self._jobs.values():
            if job.voice_id == voice_id:
                return job
        return None

    def newest_first(self, job_type: str) -> list[JobRecord]:
        """Jobs of ``job_type``, newest creation time first (ties: the later created first)."""
        cached = self._sorted.get(job_type)
        if cached is None:
            jobs = [job for job in self._jobs.values() if job.type == job_type]
            cached = sorted(jobs, key=lambda job: (int(job.created_at), job.seq), reverse=True)
            self._sorted[job_type] = cached
        return list(cached)
