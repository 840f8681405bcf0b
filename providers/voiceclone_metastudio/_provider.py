"""The neutral operations of the ``huawei-metastudio`` provider, on top of the typed calls.

``MetaStudioProvider`` implements ``voiceclone.adapter.Provider`` (get, list, create, submit,
delete) and, through :class:`~voiceclone_metastudio._api.MetaStudioApi`, offers every vendor
operation as a typed ``Call`` (``provider.show_job_audit_result(job_id)`` ...). Sans-I/O: run
any call with ``client.call(...)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx

from voiceclone import (
    CreatedJob,
    JobQuery,
    JobStatus,
    NewJob,
    Page,
    UploadTarget,
    ValidationError,
    VoiceCloneError,
    VoiceCloningJob,
)
from voiceclone.adapter import (
    Call,
    Capabilities,
    ListRequest,
    OffsetWindow,
    ProviderBase,
    SortOrder,
)
from voiceclone_metastudio._api import (
    CREATE_PATHS,
    MetaStudioApi,
    QueryValue,
    check_int,
    ensure_success,
)
from voiceclone_metastudio._capabilities import CAPABILITIES, MAX_LIMIT
from voiceclone_metastudio._convert import structure, to_body
from voiceclone_metastudio._errors import ERROR_TABLE, PROVIDER_ID, malformed, read_json
from voiceclone_metastudio._jobs import LANGUAGE_FROM_WIRE, WireError, convert_job
from voiceclone_metastudio._newjob import training_request
from voiceclone_metastudio._settings import Settings, resolve_settings
from voiceclone_metastudio._status import states_for
from voiceclone_metastudio._wire import CreatedTrainingJob, CreateTrainingJobReq

__all__ = ["MetaStudioProvider", "format_filter_time", "uploads_of"]

UTC = timezone.utc


def format_filter_time(moment: datetime, *, round_up: bool = False) -> str:
    """A filter bound as RFC 3339 UTC to the second (``2024-01-02T03:04:05Z``). A lower bound
    is rounded down and an upper bound up, so the vendor never drops a job the client keeps."""
    moment = moment.astimezone(UTC)
    if round_up and moment.microsecond:
        moment += timedelta(seconds=1)
    return moment.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def uploads_of(created: CreatedTrainingJob) -> tuple[UploadTarget, ...]:
    """Where the training data of a new job goes (pre-signed OBS URLs, PUT, not signed by us)."""
    targets = []
    if created.training_data_uploading_url:
        url = created.training_data_uploading_url
        targets.append(UploadTarget(url, "training_data", "PUT", "application/zip"))
    if created.authorization_letter_uploading_url:
        targets.append(
            UploadTarget(created.authorization_letter_uploading_url, "authorization_letter", "PUT")
        )
    segments = created.segment_uploading_url
    if segments is not None:
        for index, url in enumerate(segments.audio_uploading_url):
            targets.append(UploadTarget(url, "segment_audio", "PUT", "audio/wav", index))
        for index, url in enumerate(segments.txt_uploading_url):
            targets.append(UploadTarget(url, "segment_text", "PUT", "text/plain", index))
    return tuple(targets)


def _job_type(edition: str) -> str:
    """The ``job_type`` of an edition filter (any case); an unknown edition is refused."""
    job_type = edition.upper()
    if job_type not in CAPABILITIES.editions:
        known = ", ".join(CAPABILITIES.editions)
        rule = f"{edition!r} is not a MetaStudio edition (job_type); use one of {known}"
        raise ValidationError("edition", rule, provider=PROVIDER_ID)
    return job_type


def _query_pairs(query: JobQuery) -> list[tuple[str, QueryValue]]:
    pairs: list[tuple[str, QueryValue]] = []
    if query.statuses:
        states = states_for(query.statuses)
        if states:
            pairs.append(("state", ",".join(states)))
    if query.edition is not None:
        pairs.append(("job_type", _job_type(query.edition)))
    if query.voice_name is not None:
        pairs.append(("voice_name", query.voice_name))
    for name, moment, up in (
        ("create_since", query.created_since, False),
        ("create_until", query.created_until, True),
        ("update_since", query.updated_since, False),
        ("update_until", query.updated_until, True),
    ):
        if moment is not None:
            pairs.append((name, format_filter_time(moment, round_up=up)))
    return pairs


class MetaStudioProvider(MetaStudioApi, ProviderBase):
    """Huawei Cloud MetaStudio voice training, for one region, project and set of credentials.

    Build it with ``MetaStudioProvider.from_settings(region=..., ...)`` (what the registry's
    factory does) or from resolved :class:`Settings`.
    """

    id: str = PROVIDER_ID
    error_table: Mapping[str, type[VoiceCloneError]] = ERROR_TABLE

    def __init__(self, settings: Settings, *, auth: httpx.Auth | None = None) -> None:
        super().__init__(settings, auth=auth)

    @classmethod
    def from_settings(cls, **settings: Any) -> MetaStudioProvider:
        """A provider from settings (see ``voiceclone_metastudio.SETTINGS``) and the env."""
        return cls(resolve_settings(**settings))

    @property
    def capabilities(self) -> Capabilities:
        """What this adapter can do."""
        return CAPABILITIES

    # ------------------------------------------------------------------ neutral reads

    def get_job(self, job_id: str) -> Call[VoiceCloningJob]:
        """One job, in the neutral model."""
        request = self.show_voice_training_job(job_id).request
        return Call(request, _parse_job, True, "get_job")

    def list_jobs(self, request: ListRequest) -> Call[Page[VoiceCloningJob]]:
        """One window of jobs: filters pushed down, sorted by creation time."""
        window = request.window
        if not isinstance(window, OffsetWindow):
            rule = "MetaStudio pages by offset and limit"
            raise ValidationError("window", rule, provider=self.id)
        if request.order not in CAPABILITIES.orders:
            raise ValidationError("order", f"{request.order!r} is not supported", provider=self.id)
        check_int(window.offset, "offset", 0)
        check_int(window.limit, "limit", 1, MAX_LIMIT)
        direction = "desc" if request.order is SortOrder.NEWEST_FIRST else "asc"
        query: list[tuple[str, QueryValue]] = [
            ("offset", window.offset),
            ("limit", window.limit),
            ("sort_key", "create_time"),
            ("sort_dir", direction),
            *_query_pairs(request.query),
        ]
        http = self.request("GET", "/user/jobs", query=query, app_user=True)

        def parse(response: httpx.Response) -> Page[VoiceCloningJob]:
            return _parse_page(response, window)

        return Call(http, parse, True, "list_jobs")

    # ------------------------------------------------------------------ neutral writes

    def create_job(self, new: NewJob) -> Call[CreatedJob]:
        """Create a job of ``new.edition``; the reply's upload URLs become upload targets."""
        edition, body = training_request(new)
        request = self.request("POST", CREATE_PATHS[edition], body=to_body(body), app_user=True)

        def parse(response: httpx.Response) -> CreatedJob:
            return _parse_created(response, edition, body)

        return Call(request, parse, False, "create_job")

    def submit_job(self, job_id: str) -> Call[None]:
        """Submit (commit) the job: it enters review, then waits for training."""
        call = self.commit_voice_training_job(job_id)
        return Call(call.request, call.parse, False, "submit_job")

    def delete_job(self, job_id: str) -> Call[None]:
        """Delete the job. A repeat after a lost reply raises ``NotFoundError``."""
        call = self.delete_voice_training_job(job_id)
        return Call(call.request, call.parse, True, "delete_job")


def _parse_job(response: httpx.Response) -> VoiceCloningJob:
    ensure_success(response)
    data = read_json(response)
    try:
        return convert_job(data)
    except WireError as exc:
        raise malformed(response, str(exc)) from None


def _parse_page(response: httpx.Response, window: OffsetWindow) -> Page[VoiceCloningJob]:
    ensure_success(response)
    data = read_json(response)
    if not isinstance(data, dict):
        raise malformed(response, "a job list must be an object")
    count, jobs = data.get("count"), data.get("jobs")
    if type(count) is not int or count < 0:
        raise malformed(response, "count is missing or not a non-negative integer")
    if not isinstance(jobs, list):
        raise malformed(response, "jobs is missing or not an array")
    try:
        items = tuple([convert_job(job) for job in jobs])
    except WireError as exc:
        raise malformed(response, str(exc)) from None
    return Page(items=items, offset=window.offset, limit=window.limit, total=count)


def _parse_created(
    response: httpx.Response, edition: str, body: CreateTrainingJobReq
) -> CreatedJob:
    ensure_success(response)
    data = read_json(response)
    created = structure(data, CreatedTrainingJob, response)
    job = VoiceCloningJob(
        provider=PROVIDER_ID,
        job_id=created.job_id,
        status=JobStatus.CREATED,
        raw_status="CREATING",
        voice_name=body.voice_name,
        edition=edition,
        gender=None if body.sex is None else body.sex.lower(),
        language=None if body.language is None else LANGUAGE_FROM_WIRE[body.language],
        extra=data,
    )
    return CreatedJob(job=job, uploads=uploads_of(created))
