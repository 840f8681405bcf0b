"""The emulator's routes: the 21 voice-training operations, their parameter checks and replies.

Each handler takes the parsed request and returns ``(status, body)`` where the body is a JSON
value or raw bytes, or raises :class:`ApiError` with the vendor's code. Handlers run under the
emulator's lock, after authentication.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl

import attrs
import httpx

from voiceclone.adapter import parse_utc
from voiceclone_metastudio._emulator_jobs import Job, JobStore, backfill, millis
from voiceclone_metastudio._emulator_samples import new_record, obs_url
from voiceclone_metastudio._emulator_vocab import (
    ACTIVE_STATES,
    CREATE_TYPES,
    EDITION_PATHS,
    JOB_STATES,
    JOB_TAGS,
    JOB_TYPES,
    LANGUAGES,
    SEGMENT_COUNTS,
    SEXES,
    SUPPORTED_SERVICES,
    ApiError,
)

__all__ = ["ROUTES", "Api", "Incoming", "Reply", "Route", "match", "parse_query"]

Reply = tuple[int, Any]
_MAX_OFFSET = 2_147_483_647
_OPEN_STATES = ("CREATING", "AUDIT_FAILED")
_INT = re.compile(r"-?[0-9]+")
_FILTER_NAMES = frozenset(
    (
        "state",
        "job_type",
        "tag",
        "job_id",
        "voice_name",
        "batch_name",
        "is_ondemand_resource",
        "create_since",
        "create_until",
        "update_since",
        "update_until",
    )
)


@attrs.frozen
class Incoming:
    """A request as the handlers see it: decoded path parameters, query, headers, body, time."""

    params: Mapping[str, str]
    query: Mapping[str, str]
    headers: httpx.Headers
    body: bytes
    now: float

    @property
    def app_user_id(self) -> str | None:
        value = self.headers.get("x-app-userid")
        return None if value is None else str(value)


Handler = Callable[["Api", Incoming], Reply]


@attrs.frozen
class Route:
    """One operation: HTTP method, path pattern, handler."""

    method: str
    pattern: re.Pattern[str]
    handler: Handler


def parse_query(raw_query: str) -> dict[str, str]:
    """The query parameters, first value of each name kept."""
    query: dict[str, str] = {}
    for key, value in parse_qsl(raw_query, keep_blank_values=True):
        query.setdefault(key, value)
    return query


# -- parameter checks -------------------------------------------------------------------------


def _int(query: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    text = query.get(name)
    if text is None:
        return default
    if not _INT.fullmatch(text) or not low <= int(text) <= high:
        raise ApiError.invalid_parameter(f"{name} must be an integer from {low} to {high}")
    return int(text)


def _choice(query: Mapping[str, str], name: str, choices: tuple[str, ...]) -> str | None:
    value = query.get(name)
    if value is not None and value not in choices:
        raise ApiError.invalid_parameter(f"{name} must be one of {', '.join(choices)}")
    return value


def _required(query: Mapping[str, str], name: str) -> str:
    value = query.get(name)
    if not value:
        raise ApiError.invalid_parameter(f"{name} is required")
    return value


def _time(query: Mapping[str, str], name: str) -> int | None:
    text = query.get(name)
    if text is None:
        return None
    try:
        if "T" not in text:
            raise ValueError(text)
        return int(parse_utc(text).timestamp() * 1000)
    except ValueError:
        raise ApiError.invalid_parameter(
            f"{name} must be an RFC 3339 time such as 2024-01-02T03:04:05Z"
        ) from None


def _bool(query: Mapping[str, str], name: str) -> bool | None:
    text = query.get(name)
    if text is None:
        return None
    if text not in ("true", "false"):
        raise ApiError.invalid_parameter(f"{name} must be true or false")
    return text == "true"


def _page(query: Mapping[str, str]) -> tuple[int, int]:
    return _int(query, "offset", 0, 0, _MAX_OFFSET), _int(query, "limit", 10, 1, 100)


def _json_object(body: bytes, *, required: bool) -> dict[str, Any]:
    if not body.strip():
        if required:
            raise ApiError.invalid_body("a JSON object is required")
        return {}
    try:
        value = json.loads(body)
    except ValueError:
        raise ApiError.json_exception() from None
    if not isinstance(value, dict):
        raise ApiError.invalid_body("a JSON object is required")
    return value


def _field(
    body: Mapping[str, Any],
    name: str,
    *,
    required: bool = False,
    choices: tuple[str, ...] = (),
    max_length: int = 256,
) -> None:
    value = body.get(name)
    if value is None:
        if required:
            raise ApiError.validation(f"{name} is required")
        return
    if not isinstance(value, str) or not 0 < len(value) <= max_length:
        raise ApiError.validation(f"{name} must be a string of 1 to {max_length} characters")
    if choices and value not in choices:
        raise ApiError.validation(f"{name} must be one of {', '.join(choices)}")


def _check_profile(body: Mapping[str, Any], *, voice_name_required: bool) -> None:
    """The fields shared by ``CreateTrainingJobReq`` and ``CommitJobReq``."""
    _field(body, "voice_name", required=voice_name_required, max_length=64)
    _field(body, "sex", choices=SEXES)
    _field(body, "language", choices=LANGUAGES)
    _field(body, "tag", choices=JOB_TAGS)
    _field(body, "phone", max_length=32)
    for name in ("description", "output_language", "custom_text", "app_user_id"):
        _field(body, name, max_length=1024)


def _open_job(job: Job, action: str) -> None:
    if job.state not in _OPEN_STATES:
        raise ApiError.invalid_state(job.state, action)


# -- the operations -----------------------------------------------------------------------------


class Api:
    """The voice-training operations over one job store and one emulated tenant."""

    def __init__(self, store: JobStore, project_id: str, short_job_seconds: float) -> None:
        self.store = store
        self.project_id = project_id
        self.short_job_seconds = short_job_seconds
        self.short_jobs: dict[str, dict[str, Any]] = {}
        self.used_once_tokens: set[str] = set()

    def _url(self, job_id: str, name: str, now: float) -> str:
        return obs_url(self.store.rng, self.project_id, job_id, name, now)

    def list_jobs(self, inc: Incoming) -> Reply:
        query = inc.query
        offset, limit = _page(query)
        sort_key = _choice(query, "sort_key", ("create_time", "update_time")) or "create_time"
        descending = (_choice(query, "sort_dir", ("asc", "desc")) or "desc") == "desc"
        filters = _filters(query)
        given = sorted((k, v) for k, v in query.items() if k in _FILTER_NAMES)
        key: tuple[str | tuple[str, str], ...] = (sort_key, *given)

        def select() -> list[Job]:
            matched = self.store.ordered(sort_key)
            for keep in filters:
                matched = [job for job in matched if keep(job)]
            return matched

        matched = self.store.view(key, select)
        total = len(matched)
        if descending:
            end = max(total - offset, 0)
            page = matched[max(end - limit, 0) : end][::-1]
        else:
            page = matched[offset : offset + limit]
        return 200, {"count": total, "jobs": [job.record for job in page]}

    def show_job(self, inc: Incoming) -> Reply:
        return 200, self.store.get(inc.params["job_id"]).record

    def create_job(self, inc: Incoming) -> Reply:
        job_type = EDITION_PATHS[inc.params["edition"] + "-jobs"]
        body = _json_object(inc.body, required=True)
        _check_profile(body, voice_name_required=True)
        _field(body, "create_type", choices=CREATE_TYPES)
        _field(body, "dhtms_job_id", max_length=64)
        _field(body, "batch_name", max_length=64)
        services = body.get("supported_service", [])
        if not isinstance(services, list) or not set(services) <= set(SUPPORTED_SERVICES):
            raise ApiError.validation(
                "supported_service must be a list of VIDEO_2D, LIVE_2D, CHAT_2D"
            )
        if not isinstance(body.get("is_ondemand_resource", False), bool):
            raise ApiError.validation("is_ondemand_resource must be a boolean")
        segmented = body.get("create_type") == "SEGMENT"
        if segmented and job_type not in SEGMENT_COUNTS:
            raise ApiError.validation(f"create_type SEGMENT is not supported for {job_type} jobs")
        job_id = self.store.new_id()
        record = new_record(job_id, job_type, body, inc.now, inc.app_user_id)
        job = Job(record, SEGMENT_COUNTS[job_type] if segmented else 0)
        job.log(inc.now, "CREATE_JOB", "USER", None)
        self.store.add(job)
        reply: dict[str, Any] = {"job_id": job_id}
        if segmented:
            reply["segment_uploading_url"] = self._segment_urls(job, inc.now)
        else:
            reply["training_data_uploading_url"] = self._url(job_id, "data.zip", inc.now)
        reply["authorization_letter_uploading_url"] = self._url(job_id, "authorization", inc.now)
        return 200, reply

    def _segment_urls(self, job: Job, now: float) -> dict[str, list[str]]:
        return {
            "audio_uploading_url": [
                self._url(job.job_id, f"{i}.wav", now) for i in range(job.segments)
            ],
            "txt_uploading_url": [
                self._url(job.job_id, f"{i}.txt", now) for i in range(job.segments)
            ],
        }

    def commit_job(self, inc: Incoming) -> Reply:
        job = self.store.get(inc.params["job_id"])
        _open_job(job, "commit")
        body = _json_object(inc.body, required=False)
        _check_profile(body, voice_name_required=False)
        if len(job.confirmed) < job.segments:
            raise ApiError.validation(
                f"{job.segments - len(job.confirmed)} of {job.segments} sentences are not confirmed"
            )
        for key in ("voice_name", "sex", "language", "tag", "phone", "app_user_id"):
            if key in body:
                job.record[key] = body[key]
        if "output_language" in body:
            job.record["output_language"] = body["output_language"]
        if job.record["create_type"] == "PACKAGE":
            job.record["training_input_source_url"] = self._url(job.job_id, "data.zip", inc.now)
        self.store.commit(job, inc.now)
        return 200, {}

    def delete_job(self, inc: Incoming) -> Reply:
        job = self.store.get(inc.params["job_id"])
        if job.state in ACTIVE_STATES:
            raise ApiError.invalid_state(job.state, "deletion")
        self.store.remove(job.job_id)
        return 200, {}

    def audit_result(self, inc: Incoming) -> Reply:
        job = self.store.get(inc.params["job_id"])
        backfill(job)
        return 200, job.audit

    def uploading_address(self, inc: Incoming) -> Reply:
        job = self.store.get(inc.params["job_id"])
        _open_job(job, "uploading")
        reply: dict[str, Any] = {}
        if job.segments:
            reply["segment_url"] = self._segment_urls(job, inc.now)
        else:
            reply["package_url"] = {
                "training_data_uploading_url": self._url(job.job_id, "data.zip", inc.now)
            }
        reply["authorization_letter_uploading_url"] = self._url(
            job.job_id, "authorization", inc.now
        )
        return 200, reply

    def _segment_job(self, query: Mapping[str, str]) -> Job:
        job = self.store.get(_required(query, "job_id"))
        if not job.segments:
            raise ApiError.invalid_parameter("job_id must name a job created with SEGMENT")
        return job

    def segment_info(self, inc: Incoming) -> Reply:
        job = self._segment_job(inc.query)
        return 200, {"confirmed_index": sorted(job.confirmed)}

    def confirm_segment(self, inc: Incoming) -> Reply:
        _required(inc.query, "index")
        job = self._segment_job(inc.query)
        index = _int(inc.query, "index", 0, 0, job.segments - 1)
        _open_job(job, "confirming sentences")
        job.confirmed.add(index)
        return 200, {"confirm_result": True, "unmatched_index_hit": []}

    def review_attachment(self, inc: Incoming) -> Reply:
        job = self.store.get(inc.params["job_id"])
        start = _int(inc.query, "start_number", 1, 1, 100)
        end = _int(inc.query, "end_number", start, start, min(start + 9, 100))
        addresses = [
            {"number": n, "uploading_url": self._url(job.job_id, f"review-attachment-{n}", inc.now)}
            for n in range(start, end + 1)
        ]
        return 200, {"addresses": addresses}

    def op_logs(self, inc: Incoming) -> Reply:
        offset, limit = _page(inc.query)
        job = self.store.get(inc.params["job_id"])
        backfill(job)
        operations = job.oplog or []
        return 200, {"count": len(operations), "operations": operations[offset : offset + limit]}

    def set_batch(self, inc: Incoming) -> Reply:
        body = _json_object(inc.body, required=True)
        _field(body, "batch_name", required=True, max_length=64)
        job_ids = body.get("job_ids")
        if (
            not isinstance(job_ids, list)
            or not job_ids
            or not all(isinstance(i, str) for i in job_ids)
        ):
            raise ApiError.validation("job_ids must be a non-empty list of job ids")
        jobs = [self.store.get(job_id) for job_id in job_ids]
        for job in jobs:
            job.record["batch_name"] = body["batch_name"]
        self.store.changed()
        return 200, {}

    def encrypt_file(self, inc: Incoming) -> Reply:
        tenant_id = _required(inc.query, "tenant_id")
        job_id = _required(inc.query, "job_id")
        once_token = _required(inc.query, "once_token")
        if tenant_id != self.project_id:
            raise ApiError.tenant_mismatch()
        job = self.store.get(job_id)
        if job.state != "SUCCEED":
            raise ApiError.invalid_state(job.state, "downloading the encrypted file")
        if once_token in self.used_once_tokens:
            raise ApiError.invalid_parameter("once_token has already been used")
        self.used_once_tokens.add(once_token)
        return 200, encrypted_file(job)

    def quotas(self, inc: Incoming) -> Reply:
        offset, limit = _page(inc.query)
        resources = _RESOURCES
        available = {
            "flexus": 5,
            "basic": 8,
            "middle": 3,
            "middle_on_demand": 0,
            "advance": 2,
            "third_party_cmww": 1,
        }
        return 200, {
            "count": len(resources),
            "resource_available_nums": available,
            "resources": list(resources[offset : offset + limit]),
        }

    def duration_cfg(self, inc: Incoming) -> Reply:
        return 200, {"tenant_id": self.project_id, **_DURATIONS}

    def create_short(self, inc: Incoming) -> Reply:
        body = _json_object(inc.body, required=True)
        _field(body, "job_type", required=True, choices=("VOICE_ASSESS",))
        _field(body, "language", choices=LANGUAGES)
        job_id = self.store.new_id()
        now_ms = millis(inc.now)
        self.short_jobs[job_id] = {
            "job_type": "VOICE_ASSESS",
            "job_id": job_id,
            "state": "CREATING",
            "create_time": now_ms,
            "lastupdate_time": now_ms,
        }
        return 200, {
            "job_id": job_id,
            "data_uploading_url": self._url(job_id, "assess.zip", inc.now),
        }

    def _short_job(self, inc: Incoming) -> dict[str, Any]:
        job = self.short_jobs.get(inc.params["job_id"])
        if job is None:
            raise ApiError.job_not_found(inc.params["job_id"])
        done_at = job["lastupdate_time"] / 1000 + self.short_job_seconds
        if job["state"] == "PROCESSING" and inc.now >= done_at:
            job["state"], job["lastupdate_time"] = "SUCCEED", millis(done_at)
            job["assess_result"] = _ASSESS_RESULT
        return job

    def commit_short(self, inc: Incoming) -> Reply:
        job = self._short_job(inc)
        if job["state"] != "CREATING":
            raise ApiError.invalid_state(job["state"], "commit")
        job["state"], job["lastupdate_time"] = "PROCESSING", millis(inc.now)
        return 200, {}

    def show_short(self, inc: Incoming) -> Reply:
        return 200, self._short_job(inc)


def _filters(query: Mapping[str, str]) -> list[Callable[[Job], bool]]:
    """The list filters given in ``query``, as predicates (the most selective first)."""
    checks: list[Callable[[Job], bool]] = []
    if "state" in query:
        states = set(query["state"].split(","))
        if not states <= set(JOB_STATES):
            raise ApiError.invalid_parameter("state must be a comma-separated list of job states")
        checks.append(lambda job: job.record["state"] in states)
    for name, choices in (("job_type", JOB_TYPES), ("tag", JOB_TAGS)):
        value = _choice(query, name, choices)
        if value is not None:
            checks.append(lambda job, n=name, v=value: job.record.get(n) == v)  # type: ignore[misc]
    for name in ("job_id", "voice_name", "batch_name"):
        if name in query:
            checks.append(lambda job, n=name, v=query[name]: job.record.get(n) == v)  # type: ignore[misc]
    ondemand = _bool(query, "is_ondemand_resource")
    if ondemand is not None:
        checks.append(lambda job: job.record.get("is_ondemand_resource", False) == ondemand)
    for name, field, since in (
        ("create_since", "create_time", True),
        ("create_until", "create_time", False),
        ("update_since", "lastupdate_time", True),
        ("update_until", "lastupdate_time", False),
    ):
        bound = _time(query, name)
        if bound is not None:
            checks.append(_time_check(field, bound, since))
    return checks


def _time_check(field: str, bound: int, since: bool) -> Callable[[Job], bool]:
    if since:
        return lambda job: int(job.record[field]) >= bound
    return lambda job: int(job.record[field]) <= bound


def encrypted_file(job: Job) -> bytes:
    """Deterministic opaque bytes standing in for the job's encrypted model file."""
    seed = hashlib.sha256(f"encrypted:{job.job_id}".encode()).digest()
    blocks = [hashlib.sha256(seed + bytes([i])).digest() for i in range(64)]
    return b"MSENC\x01" + b"".join(blocks)


_RESOURCES: tuple[dict[str, Any], ...] = tuple(
    {
        "operation_type": "ADD",
        "resource_source": source,
        "resource_id": f"{kind.lower()}0000000000000000000000000000{number}",
        "resource_nums": total,
        "resource_available_nums": free,
        "resource_type": kind,
        "charge_mode": mode,
        "expire_time": "2026-12-31T16:00:00Z",
        "status": 0,
    }
    for number, (kind, source, total, free, mode) in enumerate(
        (
            ("BASIC", "PURCHASED", 10, 8, "PERIODIC"),
            ("MIDDLE", "PURCHASED", 5, 3, "PERIODIC"),
            ("ADVANCE", "PURCHASED", 2, 2, "ONE_TIME"),
            ("THIRD_PARTY", "SP_ALLOCATED", 1, 1, "ONE_TIME"),
            ("FLEXUS", "ADMIN_ALLOCATED", 5, 5, "ON_DEMAND"),
        )
    )
)

_DURATIONS = {
    "basic_min": 60,
    "basic_max": 600,
    "basic_advice_value": 180,
    "middle_min": 300,
    "middle_max": 3600,
    "middle_advice_value": 900,
    "advance_min": 1800,
    "advance_max": 7200,
    "advance_advice_value": 3600,
    "flexus_min": 10,
    "flexus_max": 300,
    "flexus_advice_value": 30,
    "cmww_min": 600,
    "cmww_max": 3600,
    "cmww_advice_value": 1200,
    "ljzn_min": 600,
    "ljzn_max": 3600,
    "ljzn_advice_value": 1200,
    "short_assess_min": 5,
    "short_assess_max": 60,
}


def _metric(expected: str, actual: str, zh: str, en: str) -> dict[str, Any]:
    return {
        "expected": expected,
        "actual": actual,
        "suggestion": zh,
        "suggestion_en": en,
        "status": 0,
    }


_ASSESS_RESULT = {
    "speed": _metric("3.5~5.5", "4.6", "语速正常", "The speaking rate is normal."),
    "sound": _metric("-30~-10", "-18.2", "音量正常", "The volume is normal."),
    "snr": _metric(">=25", "31.4", "信噪比良好", "The signal-to-noise ratio is good."),
    "reverb": _metric("<=0.4", "0.21", "混响较小", "Reverberation is low."),
    "dnsmos_ovrl": _metric(">=3.0", "3.42", "整体音质良好", "Overall quality is good."),
    "dnsmos_bak": _metric(">=3.5", "3.91", "背景噪声较低", "Background noise is low."),
    "suggestion": "音频质量良好，可用于训练",
}

_PROJECT = r"/v1/(?P<project>[^/]+)/voice-training-manage"
_JOB = _PROJECT + r"/user/jobs/(?P<job_id>[^/]+)"
ROUTES: tuple[Route, ...] = tuple(
    Route(method, re.compile(pattern), handler)
    for method, pattern, handler in (
        ("GET", _PROJECT + r"/user/jobs", Api.list_jobs),
        ("GET", _JOB, Api.show_job),
        ("POST", _JOB, Api.commit_job),
        ("DELETE", _JOB, Api.delete_job),
        (
            "POST",
            _PROJECT + r"/user/(?P<edition>basic|middle|advance|third-party)-jobs",
            Api.create_job,
        ),
        ("GET", _JOB + r"/audit-result", Api.audit_result),
        ("GET", _JOB + r"/uploading-address-url", Api.uploading_address),
        ("GET", _PROJECT + r"/user/training-segment", Api.segment_info),
        ("POST", _PROJECT + r"/user/training-segment", Api.confirm_segment),
        ("GET", _JOB + r"/review-attachment-uploading-address-url", Api.review_attachment),
        ("GET", _JOB + r"/op-logs", Api.op_logs),
        ("PUT", _PROJECT + r"/user/batch", Api.set_batch),
        ("GET", r"/v1/voice-training-manage/common/encrypt-file-download", Api.encrypt_file),
        ("GET", _PROJECT + r"/quotas", Api.quotas),
        ("GET", _PROJECT + r"/user/tenant-duration-cfg", Api.duration_cfg),
        ("POST", _PROJECT + r"/user/short-jobs", Api.create_short),
        ("POST", _PROJECT + r"/user/short-jobs/(?P<job_id>[^/]+)", Api.commit_short),
        ("GET", _PROJECT + r"/user/short-jobs/(?P<job_id>[^/]+)", Api.show_short),
    )
)


def match(method: str, path: str) -> tuple[Route, dict[str, str]] | None:
    """The route for ``method`` and decoded ``path``, with its path parameters."""
    for route in ROUTES:
        if route.method == method:
            found = route.pattern.fullmatch(path)
            if found is not None:
                return route, found.groupdict()
    return None
