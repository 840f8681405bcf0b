"""The 21 MetaStudio voice-training operations as typed, sans-I/O ``Call`` objects.

Each method builds the exact request the vendor documents (reference/huawei-metastudio-api.md
section 1) and a parse function that returns a typed wire model (``_wire.py``) or raises a
neutral error. Nothing is sent here: run a call with ``client.call(...)``. The neutral
operations in ``_provider.py`` are built on the same request builder.

Every request carries ``Content-Type: application/json`` (as the official SDK sends, GETs
included) and, where the operation takes it, ``X-App-UserId``. The query string is sent in
canonical form (sorted, RFC 3986-encoded), exactly as the signer sees it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from urllib.parse import quote

import httpx

import voiceclone
from voiceclone import ValidationError
from voiceclone.adapter import Call, check_identifier
from voiceclone_metastudio._convert import structure, to_body
from voiceclone_metastudio._errors import PROVIDER_ID, error_from_response, malformed, read_json
from voiceclone_metastudio._settings import Settings
from voiceclone_metastudio._signing import AkSkAuth, TokenAuth, canonical_query
from voiceclone_metastudio._wire import (
    SHORT_JOB_TYPES,
    CommitJobReq,
    CreatedShortJob,
    CreatedTrainingJob,
    CreateShortJobReq,
    CreateTrainingJobReq,
    JobAuditResult,
    JobUploadingAddress,
    OperationLog,
    ReviewAttachmentAddresses,
    SegmentConfirmation,
    SetJobBatchNameReq,
    ShortJob,
    TenantDurationConfig,
    TrainingJobInfo,
    TrainingJobList,
    TrainingSegmentInfo,
    VoiceTrainingQuotas,
)

__all__ = ["CREATE_PATHS", "USER_AGENT", "MetaStudioApi", "QueryValue"]

T = TypeVar("T")
QueryValue = str | int | bool | None

USER_AGENT = f"voiceclone/{voiceclone.__version__} (huawei-metastudio)"

CREATE_PATHS = {
    "BASIC": "/user/basic-jobs",
    "MIDDLE": "/user/middle-jobs",
    "ADVANCE": "/user/advance-jobs",
    "THIRD_PARTY": "/user/third-party-jobs",
}
"""The create path of each edition that can be created."""


def _invalid(field: str, rule: str) -> ValidationError:
    return ValidationError(field, rule, provider=PROVIDER_ID)


_DOT_SEGMENTS = frozenset({".", ".."})


def check_id(value: object, field: str = "job_id") -> str:
    """A non-empty identifier string (used in paths and queries): 1 to 256 characters, no
    control characters (newline, NUL, ...) and no whitespace at either end."""
    text = check_identifier(value, field, max_length=256, provider=PROVIDER_ID)
    if text in _DOT_SEGMENTS:
        raise _invalid(field, "must not be '.' or '..' (URLs rewrite those path segments)")
    return text


def check_int(value: object, field: str, low: int, high: int = 2_147_483_647) -> int:
    """An integer in ``low..high`` (booleans are not integers)."""
    if type(value) is not int:
        raise _invalid(field, f"must be an integer, not {type(value).__name__}")
    if not low <= value <= high:
        raise _invalid(field, f"must be between {low} and {high}")
    return value


def _wire_value(value: str | int | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def ensure_success(response: httpx.Response) -> None:
    """Raise the neutral error of an error reply; a 1xx/3xx reply is malformed."""
    if response.is_success:
        return
    if response.status_code >= 400:
        raise error_from_response(response)
    raise malformed(response, f"unexpected HTTP status {response.status_code}")


def parse_model(cls: type[T]) -> Callable[[httpx.Response], T]:
    """A parse function: success -> ``cls`` from the JSON body; error -> neutral error."""

    def parse(response: httpx.Response) -> T:
        ensure_success(response)
        return structure(read_json(response), cls, response)

    return parse


def parse_nothing(response: httpx.Response) -> None:
    """A parse function for operations whose reply has no fields (commit, delete, batch)."""
    ensure_success(response)


def parse_bytes(response: httpx.Response) -> bytes:
    """A parse function for a binary download."""
    ensure_success(response)
    return response.content


class MetaStudioApi:
    """Typed calls for every MetaStudio voice-training operation, for one set of settings."""

    def __init__(self, settings: Settings, *, auth: httpx.Auth | None = None) -> None:
        self.settings = settings
        self._auth = auth if auth is not None else _auth_for(settings)
        project = quote(settings.project_id, safe="")
        self._project_base = f"{settings.endpoint}/v1/{project}/voice-training-manage"
        self._common_base = f"{settings.endpoint}/v1/voice-training-manage"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(region={self.settings.region!r}, endpoint={self.endpoint!r})"

    @property
    def auth(self) -> httpx.Auth:
        """Signs every attempt of every call (AK/SK) or adds the IAM token."""
        return self._auth

    @property
    def endpoint(self) -> str:
        """The base URL requests go to."""
        return self.settings.endpoint

    # ------------------------------------------------------------------ request building

    def request(
        self,
        method: str,
        path: str,
        *,
        query: Sequence[tuple[str, QueryValue]] = (),
        body: dict[str, Any] | None = None,
        app_user: bool = False,
        project: bool = True,
    ) -> httpx.Request:
        """The request for ``method path`` under the voice-training base path."""
        pairs = [(key, _wire_value(value)) for key, value in query if value is not None]
        text = canonical_query(pairs)
        base = self._project_base if project else self._common_base
        url = base + path + (f"?{text}" if text else "")
        headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT}
        if app_user and self.settings.app_user_id:
            headers["X-App-UserId"] = self.settings.app_user_id
        content = None
        if body is not None:
            content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        return httpx.Request(method, url, headers=headers, content=content)

    def _job_path(self, job_id: str, suffix: str = "") -> str:
        return f"/user/jobs/{quote(check_id(job_id), safe='')}{suffix}"

    # ------------------------------------------------------------------ jobs (1-8)

    def list_voice_training_job(
        self,
        *,
        offset: int | None = None,
        limit: int | None = None,
        create_until: str | None = None,
        create_since: str | None = None,
        update_until: str | None = None,
        update_since: str | None = None,
        state: str | None = None,
        job_id: str | None = None,
        voice_name: str | None = None,
        tag: str | None = None,
        job_type: str | None = None,
        batch_name: str | None = None,
        sort_key: str | None = None,
        sort_dir: str | None = None,
        is_ondemand_resource: bool | None = None,
    ) -> Call[TrainingJobList]:
        """GET ``/user/jobs``: one page of jobs (``offset`` 0.., ``limit`` 1..100)."""
        if offset is not None:
            check_int(offset, "offset", 0)
        if limit is not None:
            check_int(limit, "limit", 1, 100)
        if sort_key is not None and sort_key not in ("create_time", "update_time"):
            raise _invalid("sort_key", "must be create_time or update_time")
        if sort_dir is not None and sort_dir not in ("asc", "desc"):
            raise _invalid("sort_dir", "must be asc or desc")
        query: list[tuple[str, QueryValue]] = [
            ("offset", offset),
            ("limit", limit),
            ("create_until", create_until),
            ("create_since", create_since),
            ("update_until", update_until),
            ("update_since", update_since),
            ("state", state),
            ("job_id", job_id),
            ("voice_name", voice_name),
            ("tag", tag),
            ("job_type", job_type),
            ("batch_name", batch_name),
            ("sort_key", sort_key),
            ("sort_dir", sort_dir),
            ("is_ondemand_resource", is_ondemand_resource),
        ]
        request = self.request("GET", "/user/jobs", query=query, app_user=True)
        return Call(request, parse_model(TrainingJobList), True, "list_voice_training_job")

    def show_voice_training_job(self, job_id: str) -> Call[TrainingJobInfo]:
        """GET ``/user/jobs/{job_id}``: one job."""
        request = self.request("GET", self._job_path(job_id), app_user=True)
        return Call(request, parse_model(TrainingJobInfo), True, "show_voice_training_job")

    def _create_training_job(self, edition: str, body: CreateTrainingJobReq) -> Call[Any]:
        if not isinstance(body, CreateTrainingJobReq):
            raise _invalid("body", "must be a CreateTrainingJobReq")
        request = self.request("POST", CREATE_PATHS[edition], body=to_body(body), app_user=True)
        name = f"create_training_{edition.lower()}_job"
        return Call(request, parse_model(CreatedTrainingJob), False, name)

    def create_training_basic_job(self, body: CreateTrainingJobReq) -> Call[CreatedTrainingJob]:
        """POST ``/user/basic-jobs``: a BASIC job (20 sentences); returns upload URLs."""
        return self._create_training_job("BASIC", body)

    def create_training_middle_job(self, body: CreateTrainingJobReq) -> Call[CreatedTrainingJob]:
        """POST ``/user/middle-jobs``: a MIDDLE job (100 sentences); returns upload URLs."""
        return self._create_training_job("MIDDLE", body)

    def create_training_advance_job(self, body: CreateTrainingJobReq) -> Call[CreatedTrainingJob]:
        """POST ``/user/advance-jobs``: an ADVANCE job (one long WAV in a zip)."""
        return self._create_training_job("ADVANCE", body)

    def create_training_third_party_job(
        self, body: CreateTrainingJobReq
    ) -> Call[CreatedTrainingJob]:
        """POST ``/user/third-party-jobs``: a THIRD_PARTY (Mobvoi) job."""
        return self._create_training_job("THIRD_PARTY", body)

    def commit_voice_training_job(
        self, job_id: str, body: CommitJobReq | None = None
    ) -> Call[None]:
        """POST ``/user/jobs/{job_id}``: submit the job for review and training. Without
        ``body`` no body is sent; with one, its set fields change the job as it is submitted."""
        payload = None if body is None else to_body(body)
        request = self.request("POST", self._job_path(job_id), body=payload, app_user=True)
        return Call(request, parse_nothing, False, "commit_voice_training_job")

    def delete_voice_training_job(self, job_id: str) -> Call[None]:
        """DELETE ``/user/jobs/{job_id}``. Safe to repeat: a repeat finds nothing to delete
        and raises ``NotFoundError``."""
        request = self.request("DELETE", self._job_path(job_id), app_user=True)
        return Call(request, parse_nothing, True, "delete_voice_training_job")

    # ------------------------------------------------------------------ review and uploads (9-13)

    def show_job_audit_result(self, job_id: str) -> Call[JobAuditResult]:
        """GET ``/user/jobs/{job_id}/audit-result``: the automatic and manual review results."""
        request = self.request("GET", self._job_path(job_id, "/audit-result"))
        return Call(request, parse_model(JobAuditResult), True, "show_job_audit_result")

    def show_job_uploading_address(self, job_id: str) -> Call[JobUploadingAddress]:
        """GET ``/user/jobs/{job_id}/uploading-address-url``: fresh upload URLs."""
        request = self.request("GET", self._job_path(job_id, "/uploading-address-url"))
        return Call(request, parse_model(JobUploadingAddress), True, "show_job_uploading_address")

    def show_training_segment_info(self, job_id: str) -> Call[TrainingSegmentInfo]:
        """GET ``/user/training-segment?job_id=``: the sentences confirmed so far."""
        query = [("job_id", check_id(job_id))]
        request = self.request("GET", "/user/training-segment", query=query)
        return Call(request, parse_model(TrainingSegmentInfo), True, "show_training_segment_info")

    def confirm_training_segment(self, job_id: str, index: int) -> Call[SegmentConfirmation]:
        """POST ``/user/training-segment?job_id=&index=``: confirm one uploaded sentence.
        Repeating a confirmation confirms the same sentence again, so it is safe to repeat."""
        query: list[tuple[str, QueryValue]] = [
            ("job_id", check_id(job_id)),
            ("index", check_int(index, "index", 0)),
        ]
        request = self.request("POST", "/user/training-segment", query=query)
        return Call(request, parse_model(SegmentConfirmation), True, "confirm_training_segment")

    def show_user_review_attachment_uploading_address(
        self, job_id: str, *, start_number: int | None = None, end_number: int | None = None
    ) -> Call[ReviewAttachmentAddresses]:
        """GET ``.../review-attachment-uploading-address-url``: upload URLs for attachments."""
        # sequence numbers ("序号") count from 1, as the service's addresses are numbered
        if start_number is not None:
            check_int(start_number, "start_number", 1)
        if end_number is not None:
            check_int(end_number, "end_number", 1)
        if start_number is not None and end_number is not None and start_number > end_number:
            raise _invalid("start_number", "must not be greater than end_number")
        path = self._job_path(job_id, "/review-attachment-uploading-address-url")
        query = [("start_number", start_number), ("end_number", end_number)]
        request = self.request("GET", path, query=query)
        name = "show_user_review_attachment_uploading_address"
        return Call(request, parse_model(ReviewAttachmentAddresses), True, name)

    # ------------------------------------------------------------------ log, batch, files (14-16)

    def list_job_operation_log(
        self, job_id: str, *, offset: int | None = None, limit: int | None = None
    ) -> Call[OperationLog]:
        """GET ``/user/jobs/{job_id}/op-logs``: the job's operation log, one page."""
        if offset is not None:
            check_int(offset, "offset", 0)
        if limit is not None:
            check_int(limit, "limit", 1, 100)
        query = [("offset", offset), ("limit", limit)]
        request = self.request("GET", self._job_path(job_id, "/op-logs"), query=query)
        return Call(request, parse_model(OperationLog), True, "list_job_operation_log")

    def set_job_batch_name(self, batch_name: str, job_ids: Sequence[str]) -> Call[None]:
        """PUT ``/user/batch``: give jobs a batch name (needs the vendor's NA-tenant right).
        Setting the same name twice changes nothing, so it is safe to repeat."""
        check_id(batch_name, "batch_name")
        if isinstance(job_ids, str) or not job_ids:
            raise _invalid("job_ids", "must be a non-empty sequence of job ids")
        ids = tuple(check_id(job_id, "job_ids") for job_id in job_ids)
        body = to_body(SetJobBatchNameReq(batch_name=batch_name, job_ids=ids))
        request = self.request("PUT", "/user/batch", body=body, app_user=True)
        return Call(request, parse_nothing, True, "set_job_batch_name")

    def show_encrypt_file(self, tenant_id: str, job_id: str, once_token: str) -> Call[bytes]:
        """GET ``/v1/voice-training-manage/common/encrypt-file-download`` (no project in the
        path): download an encrypted file with a one-time token; returns the raw bytes."""
        query = [
            ("tenant_id", check_id(tenant_id, "tenant_id")),
            ("job_id", check_id(job_id)),
            ("once_token", check_id(once_token, "once_token")),
        ]
        path = "/common/encrypt-file-download"
        request = self.request("GET", path, query=query, project=False)
        return Call(request, parse_bytes, True, "show_encrypt_file")

    # ------------------------------------------------------------------ quotas, limits (17-18)

    def show_voice_training_quotas(
        self, *, offset: int | None = None, limit: int | None = None
    ) -> Call[VoiceTrainingQuotas]:
        """GET ``/quotas``: remaining training resources."""
        if offset is not None:
            check_int(offset, "offset", 0)
        if limit is not None:
            check_int(limit, "limit", 1, 100)
        request = self.request("GET", "/quotas", query=[("offset", offset), ("limit", limit)])
        return Call(request, parse_model(VoiceTrainingQuotas), True, "show_voice_training_quotas")

    def show_tenant_duration_cfg(self) -> Call[TenantDurationConfig]:
        """GET ``/user/tenant-duration-cfg``: audio-length limits per edition."""
        request = self.request("GET", "/user/tenant-duration-cfg")
        return Call(request, parse_model(TenantDurationConfig), True, "show_tenant_duration_cfg")

    # ------------------------------------------------------------------ short jobs (19-21)

    def create_short_job(
        self, job_type: str = "VOICE_ASSESS", language: str | None = None
    ) -> Call[CreatedShortJob]:
        """POST ``/user/short-jobs``: an audio-quality assessment job; returns its upload URL.
        ``language`` is the wire value, ``CN`` or ``EN``."""
        if job_type not in SHORT_JOB_TYPES:
            raise _invalid("job_type", f"must be one of {', '.join(SHORT_JOB_TYPES)}")
        if language is not None and language not in ("CN", "EN"):
            raise _invalid("language", "must be CN or EN")
        body = to_body(CreateShortJobReq(job_type=job_type, language=language))
        request = self.request("POST", "/user/short-jobs", body=body, app_user=True)
        return Call(request, parse_model(CreatedShortJob), False, "create_short_job")

    def commit_short_job(self, job_id: str) -> Call[None]:
        """POST ``/user/short-jobs/{job_id}``: start the short job."""
        path = f"/user/short-jobs/{quote(check_id(job_id), safe='')}"
        request = self.request("POST", path, app_user=True)
        return Call(request, parse_nothing, False, "commit_short_job")

    def show_short_job(self, job_id: str) -> Call[ShortJob]:
        """GET ``/user/short-jobs/{job_id}``: the short job, with ``assess_result`` when done."""
        path = f"/user/short-jobs/{quote(check_id(job_id), safe='')}"
        request = self.request("GET", path, app_user=True)
        return Call(request, parse_model(ShortJob), True, "show_short_job")


def _auth_for(settings: Settings) -> httpx.Auth:
    if settings.auth_token:
        return TokenAuth(settings.auth_token)
    if not settings.ak or not settings.sk:
        raise _invalid("ak", "AK and SK (or auth_token) are required")
    return AkSkAuth(
        settings.ak,
        settings.sk,
        settings.project_id,
        security_token=settings.security_token,
    )
