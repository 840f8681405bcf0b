"""The Acme Voice adapter: settings, signing, requests and replies. Sans-I/O: it builds ``Call``s.

Every reply goes through :func:`_json`, which turns an error reply into the neutral class from
:data:`~voiceclone_acme._protocol.ERROR_TABLE` and anything that is not the documented shape into
``ProviderResponseError``.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from collections.abc import Generator, Mapping
from datetime import datetime, timezone
from typing import Any

import attrs
import httpx

from voiceclone import (
    Capabilities,
    ConflictError,
    CreatedJob,
    Failure,
    Gender,
    JobQuery,
    JobStatus,
    NewJob,
    NotFoundError,
    Page,
    PermissionDeniedError,
    ProviderError,
    ProviderResponseError,
    RateLimitError,
    ServiceUnavailableError,
    SortOrder,
    UploadTarget,
    ValidationError,
    VoiceCloneError,
    VoiceCloningJob,
)
from voiceclone.adapter import Call, Clock, CursorWindow, ListRequest, ProviderBase, format_utc
from voiceclone.adapter import parse_utc as _parse_utc
from voiceclone_acme._protocol import (
    ALGORITHM,
    ERROR_TABLE,
    LOCALES,
    MAX_PAGE_SIZE,
    PROVIDER_ID,
    REGIONS,
    STATUS_TABLE,
    VOICE_TYPES,
    sign,
    string_to_sign,
)

__all__ = ["AcmeProvider", "BearerAuth", "HmacAuth", "Quota", "Settings", "job_from_wire"]

ENV: Mapping[str, str] = {
    "key_id": "ACME_VOICE_KEY_ID",
    "key_secret": "ACME_VOICE_KEY_SECRET",
    "token": "ACME_VOICE_TOKEN",
    "region": "ACME_VOICE_REGION",
    "endpoint": "ACME_VOICE_ENDPOINT",
}
_GENDER_TO_WIRE = {Gender.FEMALE: "F", Gender.MALE: "M"}
_GENDER_FROM_WIRE = {"F": Gender.FEMALE, "M": Gender.MALE}
_BY_HTTP_STATUS: Mapping[int, type[VoiceCloneError]] = {
    401: ERROR_TABLE["UNAUTHENTICATED"],
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitError,
}
"""The class of an error reply without a known ``error.status`` (a proxy's, say)."""


def _invalid(field: str, rule: str) -> ValidationError:
    return ValidationError(field, rule, provider=PROVIDER_ID)


@attrs.frozen(slots=True)
class Settings:
    """Resolved settings; secrets stay out of ``repr``."""

    endpoint: str
    key_id: str | None = attrs.field(default=None, repr=False)
    key_secret: str | None = attrs.field(default=None, repr=False)
    token: str | None = attrs.field(default=None, repr=False)

    @classmethod
    def resolve(cls, **given: Any) -> Settings:
        """Settings from keyword arguments, else the environment (``env``, default os.environ)."""
        unknown = sorted(set(given) - {*ENV, "env"})
        if unknown:
            raise _invalid(unknown[0], f"unknown setting; known: {', '.join([*ENV, 'env'])}")
        env = given.get("env")
        env = os.environ if env is None else env
        values = {name: given.get(name) or env.get(var) or None for name, var in ENV.items()}
        for name, value in values.items():
            if value is not None and not isinstance(value, str):
                raise _invalid(name, "must be a string")
        region = values["region"] or "us-east"
        endpoint = values["endpoint"]
        if endpoint is None:
            if region not in REGIONS:
                raise _invalid("region", f"{region!r} is not one of {', '.join(REGIONS)}")
            endpoint = REGIONS[region]
        if not endpoint.startswith(("http://", "https://")):
            raise _invalid("endpoint", f"{endpoint!r} is not an http(s) URL")
        if values["token"] is None and (values["key_id"] is None or values["key_secret"] is None):
            raise _invalid("key_id", "key_id and key_secret (or token) are required")
        return cls(endpoint.rstrip("/"), values["key_id"], values["key_secret"], values["token"])


class HmacAuth(httpx.Auth):
    """``ACME-HMAC-SHA256``: a fresh date and nonce for every attempt, then the signature."""

    requires_request_body = True

    def __init__(self, key_id: str, key_secret: str, clock: Clock | None = None) -> None:
        self._key_id = key_id
        self._secret = key_secret
        self._clock = clock

    def __repr__(self) -> str:
        return "HmacAuth(<redacted>)"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        now = self._clock.now() if self._clock is not None else time.time()
        date = datetime.fromtimestamp(now, timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        nonce = secrets.token_hex(16)
        signature = sign(self._secret, string_to_sign(request, date, nonce))
        request.headers["X-Acme-Date"] = date
        request.headers["X-Acme-Nonce"] = nonce
        request.headers["Authorization"] = (
            f"{ALGORITHM} Credential={self._key_id}, Signature={signature}"
        )
        yield request


class BearerAuth(httpx.Auth):
    """``Authorization: Bearer <token>`` (an Acme API token)."""

    def __init__(self, token: str) -> None:
        self._token = token

    def __repr__(self) -> str:
        return "BearerAuth(<redacted>)"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request


@attrs.frozen(slots=True)
class Quota:
    """The account's voice quota (``GET /v2/quota``), an Acme-only call."""

    voices_used: int
    voices_limit: int


# --- replies ------------------------------------------------------------------------------


def _malformed(response: httpx.Response, problem: str) -> ProviderResponseError:
    return ProviderResponseError(
        f"unexpected Acme Voice reply: {problem}",
        provider=PROVIDER_ID,
        status_code=response.status_code,
        request_id=response.headers.get("X-Request-Id"),
    )


def _error(response: httpx.Response, body: Any) -> VoiceCloneError:
    error = body.get("error") if isinstance(body, dict) else None
    error = error if isinstance(error, dict) else {}
    status, message = error.get("status"), error.get("message")
    code = status if isinstance(status, str) else None
    cls = ERROR_TABLE.get(code or "")
    if cls is None:
        fallback = ServiceUnavailableError if response.status_code >= 500 else ProviderError
        cls = _BY_HTTP_STATUS.get(response.status_code, fallback)
    details: dict[str, Any] = {
        "provider": PROVIDER_ID,
        "status_code": response.status_code,
        "code": code,
        "request_id": response.headers.get("X-Request-Id"),
    }
    text = message if isinstance(message, str) and message else f"HTTP {response.status_code}"
    if cls is RateLimitError:
        retry_after = response.headers.get("Retry-After", "")
        seconds = float(retry_after) if retry_after.replace(".", "", 1).isdigit() else None
        return RateLimitError(text, retry_after=seconds, **details)
    return cls(text, **details)


def _json(response: httpx.Response) -> Any:
    """The decoded body of a success reply; raises the neutral error of an error reply."""
    try:
        body = json.loads(response.content) if response.content else None
    except (ValueError, UnicodeDecodeError):
        body = None
        if response.is_success:
            raise _malformed(response, "the body is not JSON") from None
    if not response.is_success:
        raise _error(response, body)
    return body


def _time(record: Mapping[str, Any], key: str) -> datetime | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{key} is not a string")
    return _parse_utc(value)


def _text(record: Mapping[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{key} is not a string")
    return value


def job_from_wire(record: Any) -> VoiceCloningJob:
    """An Acme job record as a neutral job. Raises ``ValueError`` for a malformed record."""
    if not isinstance(record, dict):
        raise ValueError("a job is not an object")
    job_id, status = _text(record, "id"), _text(record, "status")
    if not job_id or status is None:
        raise ValueError("a job needs a string id and status")
    error = record.get("error")
    failure = None
    if error is not None:
        if not isinstance(error, dict):
            raise ValueError("error is not an object")
        failure = Failure(_text(error, "reason"), _text(error, "message"))
    gender = _text(record, "gender")
    return VoiceCloningJob(
        provider=PROVIDER_ID,
        job_id=job_id,
        status=STATUS_TABLE.get(status, JobStatus.UNKNOWN),
        raw_status=status,
        voice_name=_text(record, "display_name"),
        voice_id=_text(record, "voice_id"),
        edition=_text(record, "voice_type"),
        gender=None if gender is None else _GENDER_FROM_WIRE.get(gender, Gender.UNKNOWN),
        language=_text(record, "locale"),
        created_at=_time(record, "create_time"),
        updated_at=_time(record, "update_time"),
        failure=failure,
        extra=record,
    )


def _parse_job(response: httpx.Response) -> VoiceCloningJob:
    body = _json(response)
    try:
        return job_from_wire(body)
    except (ValueError, OverflowError) as exc:
        raise _malformed(response, str(exc)) from None


def _parse_nothing(response: httpx.Response) -> None:
    _json(response)


# --- the provider ------------------------------------------------------------------------


class AcmeProvider(ProviderBase):
    """Acme Voice, for one endpoint and set of credentials."""

    id = PROVIDER_ID
    error_table = ERROR_TABLE
    status_table = STATUS_TABLE

    def __init__(self, settings: Settings, capabilities: Capabilities) -> None:
        self._settings = settings
        self._capabilities = capabilities
        if settings.token is not None:
            self._auth: httpx.Auth = BearerAuth(settings.token)
        else:
            assert settings.key_id is not None and settings.key_secret is not None
            self._auth = HmacAuth(settings.key_id, settings.key_secret)

    def __repr__(self) -> str:
        return f"AcmeProvider(endpoint={self._settings.endpoint!r})"

    @property
    def capabilities(self) -> Capabilities:
        return self._capabilities

    @property
    def auth(self) -> httpx.Auth:
        return self._auth

    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Request:
        return httpx.Request(method, self._settings.endpoint + path, **kwargs)

    def _job_path(self, job_id: str) -> str:
        if not isinstance(job_id, str) or not job_id.strip() or "/" in job_id:
            raise _invalid("job_id", "must be a non-empty id without '/'")
        return f"/v2/voice-jobs/{job_id}"

    def get_job(self, job_id: str) -> Call[VoiceCloningJob]:
        """``GET /v2/voice-jobs/{id}``."""
        return Call(self._request("GET", self._job_path(job_id)), _parse_job, True, "get_job")

    def list_jobs(self, request: ListRequest) -> Call[Page[VoiceCloningJob]]:
        """``GET /v2/voice-jobs``: one cursor page, newest first, filters pushed down."""
        window = request.window
        if not isinstance(window, CursorWindow):
            raise _invalid("window", "Acme Voice pages by cursor token")
        if not 1 <= window.size <= MAX_PAGE_SIZE:
            raise _invalid("page_size", f"must be between 1 and {MAX_PAGE_SIZE}")
        if request.order is not SortOrder.NEWEST_FIRST:
            raise _invalid("order", "Acme Voice lists newest first only")
        params = [("page_size", str(window.size)), *_filter_params(request.query)]
        if window.token:
            params.append(("page_token", window.token))
        http = self._request("GET", "/v2/voice-jobs", params=params)

        def parse(response: httpx.Response) -> Page[VoiceCloningJob]:
            body = _json(response)
            try:
                return _page(body, window.size)
            except (ValueError, OverflowError) as exc:
                raise _malformed(response, str(exc)) from None

        return Call(http, parse, True, "list_jobs")

    def create_job(self, new: NewJob) -> Call[CreatedJob]:
        """``POST /v2/voice-jobs``; the reply carries the pre-signed upload URL."""
        body = _create_body(new)
        http = self._request("POST", "/v2/voice-jobs", json=body)

        def parse(response: httpx.Response) -> CreatedJob:
            job = _parse_job(response)
            url = job.extra.get("upload_url")
            if not isinstance(url, str):
                raise _malformed(response, "upload_url is missing")
            upload = UploadTarget(url=url, purpose="training_data", content_type="audio/wav")
            return CreatedJob(job=job, uploads=(upload,))

        return Call(http, parse, False, "create_job")

    def submit_job(self, job_id: str) -> Call[None]:
        """``POST /v2/voice-jobs/{id}:submit``: start moderation and training."""
        http = self._request("POST", self._job_path(job_id) + ":submit")
        return Call(http, _parse_nothing, False, "submit_job")

    def delete_job(self, job_id: str) -> Call[None]:
        """``DELETE /v2/voice-jobs/{id}`` (refused while the job is being worked on)."""
        http = self._request("DELETE", self._job_path(job_id))
        return Call(http, _parse_nothing, True, "delete_job")

    def get_quota(self) -> Call[Quota]:
        """``GET /v2/quota``: an Acme-only call, sent with ``client.call(provider.get_quota())``."""

        def parse(response: httpx.Response) -> Quota:
            body = _json(response)
            used = body.get("voices_used") if isinstance(body, dict) else None
            limit = body.get("voices_limit") if isinstance(body, dict) else None
            if type(used) is not int or type(limit) is not int:
                raise _malformed(response, "voices_used and voices_limit must be integers")
            return Quota(used, limit)

        return Call(self._request("GET", "/v2/quota"), parse, True, "get_quota")


def _filter_params(query: JobQuery) -> list[tuple[str, str]]:
    params: list[tuple[str, str]] = []
    wanted = query.statuses
    if wanted and JobStatus.UNKNOWN not in wanted:
        states = sorted(raw for raw, status in STATUS_TABLE.items() if status in wanted)
        params.append(("status", ",".join(states) or "none"))
    if query.edition is not None:
        params.append(("voice_type", query.edition.lower()))
    if query.created_since is not None:
        params.append(("create_time_min", format_utc(query.created_since)))
    if query.created_until is not None:
        params.append(("create_time_max", format_utc(query.created_until)))
    return params


def _page(body: Any, size: int) -> Page[VoiceCloningJob]:
    if not isinstance(body, dict) or not isinstance(body.get("jobs"), list):
        raise ValueError("jobs is missing or not an array")
    token, total = body.get("next_page_token"), body.get("total_size")
    if token is not None and not isinstance(token, str):
        raise ValueError("next_page_token is not a string")
    if total is not None and (type(total) is not int or total < 0):
        raise ValueError("total_size is not a non-negative integer")
    items = tuple(job_from_wire(record) for record in body["jobs"])
    # A cursor page has no position: offset 0, and the token is the continuation.
    return Page(items=items, offset=0, limit=size, total=total, next_token=token or None)


def _create_body(new: NewJob) -> dict[str, Any]:
    if new.options:
        raise _invalid("options", f"Acme Voice takes no options, got {sorted(new.options)}")
    if len(new.voice_name) > 64:
        raise _invalid("voice_name", "must be at most 64 characters")
    voice_type = (new.edition or VOICE_TYPES[0]).lower()
    if voice_type not in VOICE_TYPES:
        raise _invalid("edition", f"{new.edition!r} is not one of {', '.join(VOICE_TYPES)}")
    body: dict[str, Any] = {"display_name": new.voice_name, "voice_type": voice_type}
    if new.gender is not None:
        body["gender"] = _GENDER_TO_WIRE[new.gender]
    if new.language is not None:
        body["locale"] = _locale(new.language)
    if new.description is not None:
        body["description"] = new.description
    return body


def _locale(language: str) -> str:
    for locale in LOCALES:
        if language.lower() in (locale.lower(), locale.split("-")[0].lower()):
            return locale
    raise _invalid("language", f"{language!r} is not one of {', '.join(LOCALES)}")
