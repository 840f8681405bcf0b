"""The twelve customized-voice actions of ICE 2020-11-09, answered from the emulator's store.

Each handler validates its parameters (reference §2.4) and returns the reply's ``Data`` object,
or None for the actions whose reply has no ``Data`` (delete, update). Listing
(``ListCustomizedVoiceJobs``, ``ListCustomizedVoices``) filters by ``Type`` (``Basic`` when
omitted, as the real service does), orders newest creation time first (an assumption: the
vendor does not document the order) and pages with ``PageNo`` (>= 1) and ``PageSize``
(1..100), reporting ``TotalCount``.

CosyVoice jobs report ``Type`` ``"CosyVoice"`` and are listed only for ``Type=CosyVoice``
(see ``_emulator.py`` for why).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from voiceclone_ice._emulator_params import Params
from voiceclone_ice._emulator_samples import (
    COSY_MODELS,
    DEMONSTRATION_COUNT,
    GENDERS,
    SCENARIOS,
    demonstrations,
    new_job_id,
    new_voice_id,
)
from voiceclone_ice._emulator_store import STAGES, JobRecord, JobStore
from voiceclone_ice._emulator_wire import (
    IceApiError,
    incorrect_status,
    invalid_parameter,
    not_found,
)

__all__ = ["ACTIONS", "LIST_TYPES", "MUTATING_ACTIONS", "IceService"]

LIST_TYPES = ("Basic", "Standard", "CosyVoice")
"""The ``Type`` values the list actions accept (the docs name Basic and Standard)."""

MUTATING_ACTIONS = frozenset(
    {
        "CreateCustomizedVoiceJob",
        "DetectAudioForCustomizedVoiceJob",
        "SubmitCustomizedVoiceJob",
        "SubmitStandardCustomizedVoiceJob",
        "SubmitCosyVoiceCustomizedVoiceJob",
        "DeleteCustomizedVoiceJob",
        "UpdateCustomizedVoice",
    }
)

_VOICE_ID = re.compile(r"^[A-Za-z0-9]{1,32}$")
_AUDIO_FORMATS = (".wav", ".pcm")
_UNDELETABLE = frozenset({"Training", "Success"})

Data = dict[str, Any] | None


class IceService:
    """The business side of the emulator. Not thread-safe by itself (called under a lock).

    ``rng`` makes identifiers; ``fate`` draws job outcomes at ``failure_rate``;
    ``required_recordings`` is how many of the 20 scripts must pass detection before a Basic
    job can be submitted.
    """

    def __init__(
        self,
        store: JobStore,
        *,
        rng: random.Random,
        fate: random.Random,
        failure_rate: float,
        required_recordings: int,
    ) -> None:
        self.store = store
        self.rng = rng
        self.fate = fate
        self.failure_rate = failure_rate
        self.required_recordings = required_recordings

    def dispatch(self, action: str, params: Params, now: float) -> Data:
        """Run ``action``; the caller has checked that it exists and advanced the store."""
        return ACTIONS[action](self, params, now)

    # -- Basic edition ---------------------------------------------------------------------

    def create_job(self, params: Params, now: float) -> Data:
        voice_id = params.required("VoiceId")
        if not _VOICE_ID.match(voice_id):
            raise invalid_parameter(
                "VoiceId", "Use letters and digits only, at most 32 characters."
            )
        gender = params.choice("Gender", GENDERS)
        scenario = params.choice("Scenario", SCENARIOS)
        voice_name = params.text("VoiceName", 32)
        voice_desc = params.text("VoiceDesc", 256)
        if self.store.by_voice(voice_id) is not None:
            raise IceApiError(
                400, "InvalidParameter.VoiceIdExists", f"The VoiceId {voice_id} already exists."
            )
        job = JobRecord(
            job_id=new_job_id(self.rng),
            voice_id=voice_id,
            type="Basic",
            created_at=now,
            seq=self.store.next_seq(),
            voice_name=voice_name,
            voice_desc=voice_desc,
            gender=gender,
            scenario=scenario,
        )
        self.store.add(job)
        return {"JobId": job.job_id, "VoiceId": job.voice_id}

    def get_demonstrations(self, params: Params, now: float) -> Data:
        scenario = params.choice("Scenario", SCENARIOS)
        return {"DemonstrationList": demonstrations(scenario, now)}

    def detect_audio(self, params: Params, now: float) -> Data:
        voice_id = params.required("VoiceId")
        params.required("AudioRecordId")
        url = params.required("RecordUrl")
        record_id = params.integer("AudioRecordId", 1, 1, DEMONSTRATION_COUNT)
        job = self._basic_job(voice_id)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise invalid_parameter("RecordUrl", "It must be an OSS URL in your account.")
        if job.status != "Initialization":
            raise incorrect_status(job.job_id, job.status, "DetectAudioForCustomizedVoiceJob")
        if not parts.path.lower().endswith(_AUDIO_FORMATS):
            job.detected.discard(record_id)
            return {"Pass": False, "Reason": "音频格式错误,请上传WAV或PCM格式的音频"}
        job.detected.add(record_id)
        return {"Pass": True}

    def submit_basic(self, params: Params, now: float) -> Data:
        job = self._basic_job(params.required("VoiceId"))
        demo_url = params.optional("DemoAudioMediaURL")
        if job.status != "Initialization":
            raise incorrect_status(job.job_id, job.status, "SubmitCustomizedVoiceJob")
        if len(job.detected) < self.required_recordings:
            raise IceApiError(
                403,
                "IncorrectJobStatus",
                f"Only {len(job.detected)} of the {self.required_recordings} required audio "
                f"records of voice {job.voice_id} passed detection.",
            )
        job.demo_audio_media_url = demo_url
        self.start(job, now)
        return {"JobId": job.job_id, "VoiceId": job.voice_id}

    def _basic_job(self, voice_id: str) -> JobRecord:
        job = self.store.by_voice(voice_id)
        if job is None or job.type != "Basic":
            raise not_found("customized voice job", "VoiceId", voice_id)
        return job

    # -- Standard and CosyVoice editions ---------------------------------------------------

    def submit_standard(self, params: Params, now: float) -> Data:
        audios = _media_ids(params.needed("Audios"))
        authentication = params.needed("Authentication")
        job = self._new_submitted(params, now, "Standard", None)
        job.audios, job.authentication = audios, authentication
        return {"JobId": job.job_id}

    def submit_cosy(self, params: Params, now: float) -> Data:
        audios = _media_ids(params.needed("Audios"))
        if len(audios) != 1:
            raise invalid_parameter("Audios", "It must be exactly one media asset ID.")
        model = params.enum("Model", COSY_MODELS)
        job = self._new_submitted(params, now, "CosyVoice", model)
        job.audios, job.model = audios, model
        return {"JobId": job.job_id, "VoiceId": job.voice_id}

    def _new_submitted(
        self, params: Params, now: float, job_type: str, model: str | None
    ) -> JobRecord:
        gender = params.enum("Gender", GENDERS)
        voice_name = params.text("VoiceName", 32)
        job = JobRecord(
            job_id=new_job_id(self.rng),
            voice_id=new_voice_id(self.rng, job_type, model),
            type=job_type,
            created_at=now,
            seq=self.store.next_seq(),
            voice_name=voice_name,
            gender=gender,
            demo_audio_media_url=params.optional("DemoAudioMediaURL"),
        )
        self.store.add(job)
        self.start(job, now)
        return job

    def start(self, job: JobRecord, now: float) -> None:
        """Submit ``job`` at ``now``, drawing its outcome at the failure rate."""
        job.submitted_at = now
        if self.fate.random() < self.failure_rate:
            job.outcome, job.fail_stage = "fail", self.fate.choice(STAGES)
        job.advance(now, self.store.stage_seconds)

    # -- All editions ----------------------------------------------------------------------

    def get_job(self, params: Params, now: float) -> Data:
        return {"CustomizedVoiceJob": self._job(params.required("JobId")).job_view()}

    def list_jobs(self, params: Params, now: float) -> Data:
        page_no, page_size, job_type = _paging(params)
        jobs = self.store.newest_first(job_type)
        page = jobs[(page_no - 1) * page_size : page_no * page_size]
        return {
            "CustomizedVoiceJobList": [job.job_view(listing=True) for job in page],
            "TotalCount": len(jobs),
        }

    def delete_job(self, params: Params, now: float) -> Data:
        job = self._job(params.required("JobId"))
        if job.status in _UNDELETABLE:
            raise incorrect_status(job.job_id, job.status, "DeleteCustomizedVoiceJob")
        self.store.remove(job.job_id)
        return None

    def get_voice(self, params: Params, now: float) -> Data:
        return {"CustomizedVoice": self._voice(params.required("VoiceId")).voice_view()}

    def list_voices(self, params: Params, now: float) -> Data:
        page_no, page_size, job_type = _paging(params)
        voices = [job for job in self.store.newest_first(job_type) if job.status == "Success"]
        page = voices[(page_no - 1) * page_size : page_no * page_size]
        return {
            "CustomizedVoiceList": [job.voice_view() for job in page],
            "TotalCount": len(voices),
        }

    def update_voice(self, params: Params, now: float) -> Data:
        job = self._voice(params.required("VoiceId"))
        media_id = params.optional("DemoAudioMediaId")
        if media_id is not None:
            job.demo_audio_media_id = media_id
        return None

    def _job(self, job_id: str) -> JobRecord:
        job = self.store.get(job_id)
        if job is None:
            raise not_found("customized voice job", "JobId", job_id)
        return job

    def _voice(self, voice_id: str) -> JobRecord:
        job = self.store.by_voice(voice_id)
        if job is None or job.status != "Success":
            raise not_found("customized voice", "VoiceId", voice_id)
        return job


def _media_ids(raw: str) -> tuple[str, ...]:
    ids = tuple(item.strip() for item in raw.split(","))
    if any(not item for item in ids):
        raise invalid_parameter("Audios", "It must be comma-separated media asset IDs.")
    return ids


def _paging(params: Params) -> tuple[int, int, str]:
    page_no = params.integer("PageNo", 1, 1)
    page_size = params.integer("PageSize", 10, 1, 100)
    job_type = params.enum("Type", LIST_TYPES) or "Basic"
    return page_no, page_size, job_type


ACTIONS: dict[str, Callable[[IceService, Params, float], Data]] = {
    "CreateCustomizedVoiceJob": IceService.create_job,
    "GetDemonstrationForCustomizedVoiceJob": IceService.get_demonstrations,
    "DetectAudioForCustomizedVoiceJob": IceService.detect_audio,
    "SubmitCustomizedVoiceJob": IceService.submit_basic,
    "SubmitStandardCustomizedVoiceJob": IceService.submit_standard,
    "SubmitCosyVoiceCustomizedVoiceJob": IceService.submit_cosy,
    "GetCustomizedVoiceJob": IceService.get_job,
    "ListCustomizedVoiceJobs": IceService.list_jobs,
    "DeleteCustomizedVoiceJob": IceService.delete_job,
    "GetCustomizedVoice": IceService.get_voice,
    "ListCustomizedVoices": IceService.list_voices,
    "UpdateCustomizedVoice": IceService.update_voice,
}
"""Every customized-voice action, by its case-sensitive name."""
