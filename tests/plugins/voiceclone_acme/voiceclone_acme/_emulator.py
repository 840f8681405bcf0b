"""An in-memory Acme Voice: the v2 API with its signatures, cursor paging, lifecycle and errors.

It implements :class:`voiceclone.adapter.Emulator`, so ``voiceclone.testing`` can serve it
in-process or on loopback and inject faults around it. Page tokens are keyset continuations
(the last job's creation time and id), so a listing stays exact while jobs come and go.
"""

from __future__ import annotations

import base64
import binascii
import copy
import hashlib
import hmac
import json
import random
import re
import threading
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

import httpx

from voiceclone.adapter import Clock, EmulatorClock, SystemClock, format_utc, parse_utc
from voiceclone_acme._protocol import (
    ALGORITHM,
    DEFAULT_PAGE_SIZE,
    LOCALES,
    MAX_PAGE_SIZE,
    PROVIDER_ID,
    STATUS_TABLE,
    VOICE_TYPES,
    sign,
    string_to_sign,
)

__all__ = ["AcmeEmulator"]

DEFAULT_KEY_ID = "AKACMEEMULATOR"
DEFAULT_KEY_SECRET = "acme-emulator-secret"  # the emulator's public test secret
DEFAULT_TOKEN = "acme-emulator-token"
STAGES = (("moderating", 60.0), ("queued", 120.0), ("training", 600.0))
"""After submit: each stage and how long it lasts on the emulator clock; then ``ready``."""
ACTIVE = frozenset(stage for stage, _ in STAGES)
MAX_SKEW = 300.0
_AUTH = re.compile(rf"^{ALGORITHM} Credential=([^,\s]+), Signature=([0-9a-f]{{64}})$")
_JOB_PATH = re.compile(r"^/v2/voice-jobs/([A-Za-z0-9_-]+)(:submit)?$")
_LIST_PARAMS = frozenset(
    {"page_size", "page_token", "status", "voice_type", "create_time_min", "create_time_max"}
)
_NAMES = ("Aurora", "Basil", "Clover", "Dune", "Ember", "Fjord", "Grove", "Harbor")


class _ApiError(Exception):
    def __init__(self, http: int, status: str, message: str) -> None:
        super().__init__(message)
        self.http, self.status, self.message = http, status, message


def _reply(status: int, body: Any, request_id: str, **headers: str) -> httpx.Response:
    headers = {"X-Request-Id": request_id, **headers}
    if body is None:
        return httpx.Response(status, headers=headers)
    return httpx.Response(status, json=body, headers=headers)


def _error_body(http: int, status: str, message: str, request_id: str) -> dict[str, Any]:
    return {"error": {"code": http, "status": status, "message": message, "request_id": request_id}}


class AcmeEmulator:
    """Acme Voice in memory. Thread-safe.

    ``seed`` fixes ids and samples; ``jobs`` seeds that many; ``clock`` drives the lifecycle
    (frozen unless advanced). ``check_date`` rejects an ``X-Acme-Date`` more than five minutes
    from ``real_clock`` (the real time by default).
    """

    def __init__(
        self,
        *,
        seed: int = 0,
        jobs: int = 0,
        clock: EmulatorClock | None = None,
        key_id: str = DEFAULT_KEY_ID,
        key_secret: str = DEFAULT_KEY_SECRET,
        token: str = DEFAULT_TOKEN,
        check_date: bool = True,
        real_clock: Clock | None = None,
        voices_limit: int = 1000,
        training_data_ready: bool = False,
    ) -> None:
        del training_data_ready  # Acme takes no uploads: a new job can always be submitted
        self._lock = threading.RLock()
        self._clock = clock if clock is not None else EmulatorClock(speed=0.0)
        self._real_clock = (real_clock or SystemClock()) if check_date else None
        self._rng = random.Random(seed)
        self._key_id, self._secret, self._token = key_id, key_secret, token
        self._voices_limit = voices_limit
        self._jobs: dict[str, dict[str, Any]] = {}
        self._submitted: dict[str, float] = {}
        self._nonces: dict[str, float] = {}
        self._requests = 0
        if jobs:
            self.seed_jobs(jobs)

    def __repr__(self) -> str:
        return f"<AcmeEmulator jobs={len(self._jobs)}>"

    # -- the Emulator protocol ---------------------------------------------------------------

    @property
    def provider_id(self) -> str:
        return PROVIDER_ID

    @property
    def clock(self) -> EmulatorClock:
        return self._clock

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer one request as Acme Voice would."""
        request.read()
        with self._lock:
            self._requests += 1
            request_id = f"req_{self._requests:08d}"
            try:
                self._authenticate(request)
                self._advance()
                status, body = self._route(request)
                return _reply(status, body, request_id)
            except _ApiError as error:
                body = _error_body(error.http, error.status, error.message, request_id)
                return _reply(error.http, body, request_id)

    def client_settings(self, endpoint: str) -> dict[str, Any]:
        return {"endpoint": endpoint, "key_id": self._key_id, "key_secret": self._secret}

    def environment(self, endpoint: str) -> dict[str, str]:
        return {
            "VOICECLONE_ACME_VOICE_ENDPOINT": endpoint,  # what the voiceclone CLI reads
            "ACME_VOICE_KEY_ID": self._key_id,
            "ACME_VOICE_KEY_SECRET": self._secret,
        }

    def seed_jobs(self, count: int) -> None:
        """Sample jobs over the past 90 days, cycling through every status and voice type;
        every fifth job shares its predecessor's creation time (ties are ordered by id)."""
        if count < 0:
            raise ValueError("count must be >= 0")
        with self._lock:
            now = self._clock.now()
            statuses = list(STATUS_TABLE)
            created = now
            for index in range(count):
                if index % 5 != 4:
                    created = float(int(now - self._rng.uniform(3600, 90 * 86400)))
                status = statuses[index % len(statuses)]
                voice_type = VOICE_TYPES[index % len(VOICE_TYPES)]
                record = self._new_record(voice_type, self._rng.choice(_NAMES), created)
                record["gender"] = self._rng.choice(("F", "M"))
                record["locale"] = self._rng.choice(LOCALES)
                self._set_status(record, status, min(now, created + 1800))
                self._jobs[record["id"]] = record
                if status in ACTIVE:  # in flight: it moves on when the clock is advanced
                    self._submitted[record["id"]] = now - _time_before(status) - 1.0

    def job_ids(self) -> frozenset[str]:
        with self._lock:
            return frozenset(self._jobs)

    def jobs(self) -> Mapping[str, Mapping[str, Any]]:
        with self._lock:
            self._advance()
            return {job_id: _public(copy.deepcopy(job)) for job_id, job in self._jobs.items()}

    def is_mutating(self, request: httpx.Request) -> bool:
        return request.method.upper() != "GET"

    def throttle_response(self, request: httpx.Request, retry_after: float) -> httpx.Response:
        body = _error_body(429, "RESOURCE_EXHAUSTED", "rate limit exceeded", "req_throttled")
        return _reply(429, body, "req_throttled", **{"Retry-After": f"{max(retry_after, 0):g}"})

    def server_error_response(self, request: httpx.Request, status: int) -> httpx.Response:
        name = "UNAVAILABLE" if status in (502, 503, 504) else "INTERNAL"
        body = _error_body(status, name, "the service is unavailable", "req_unavailable")
        return _reply(status, body, "req_unavailable")

    def churn(self, rng: random.Random) -> str:
        with self._lock:
            idle = sorted(i for i, job in self._jobs.items() if job["status"] not in ACTIVE)
            if idle and rng.random() < 0.5:
                job_id = rng.choice(idle)
                del self._jobs[job_id]
                self._submitted.pop(job_id, None)
                return f"deleted job {job_id}"
            record = self._new_record(rng.choice(VOICE_TYPES), rng.choice(_NAMES))
            self._jobs[record["id"]] = record
            return f"created job {record['id']}"

    # -- authentication ----------------------------------------------------------------------

    def _authenticate(self, request: httpx.Request) -> None:
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            if not hmac.compare_digest(header[7:], self._token):
                raise _ApiError(401, "UNAUTHENTICATED", "the API token is not valid")
            return
        found = _AUTH.match(header)
        if found is None:
            raise _ApiError(401, "UNAUTHENTICATED", "missing or malformed Authorization header")
        key_id, signature = found.groups()
        date, nonce = request.headers.get("X-Acme-Date", ""), request.headers.get("X-Acme-Nonce")
        if key_id != self._key_id:
            raise _ApiError(401, "UNAUTHENTICATED", "unknown key id")
        moment = self._date(date)
        if not nonce or not 16 <= len(nonce) <= 64:
            raise _ApiError(401, "UNAUTHENTICATED", "X-Acme-Nonce must be 16 to 64 characters")
        expected = sign(self._secret, string_to_sign(request, date, nonce))
        if not hmac.compare_digest(signature, expected):
            raise _ApiError(401, "UNAUTHENTICATED", "the request signature does not match")
        self._remember_nonce(nonce, moment)

    def _date(self, date: str) -> float:
        try:
            parsed = datetime.strptime(date, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
        except ValueError:
            raise _ApiError(401, "UNAUTHENTICATED", "X-Acme-Date is missing or malformed") from None
        moment = parsed.timestamp()
        if self._real_clock is not None and abs(self._real_clock.now() - moment) > MAX_SKEW:
            raise _ApiError(401, "UNAUTHENTICATED", "X-Acme-Date is more than 5 minutes off")
        return moment

    def _remember_nonce(self, nonce: str, moment: float) -> None:
        if nonce in self._nonces:
            raise _ApiError(401, "UNAUTHENTICATED", "the nonce was already used")
        horizon = moment - 2 * MAX_SKEW
        if len(self._nonces) > 10_000:
            self._nonces = {n: t for n, t in self._nonces.items() if t >= horizon}
        self._nonces[nonce] = moment

    # -- routes ------------------------------------------------------------------------------

    def _route(self, request: httpx.Request) -> tuple[int, Any]:
        method, path = request.method.upper(), request.url.path
        if path == "/v2/voice-jobs":
            if method == "GET":
                return 200, self._list(request.url.params)
            if method == "POST":
                return 201, self._create(request.content)
        if path == "/v2/quota" and method == "GET":
            ready = sum(1 for job in self._jobs.values() if job["status"] == "ready")
            return 200, {"voices_used": ready, "voices_limit": self._voices_limit}
        found = _JOB_PATH.match(path)
        if found is not None:
            job = self._job(found.group(1))
            if found.group(2) and method == "POST":
                return 200, self._submit(job)
            if not found.group(2) and method == "GET":
                return 200, _public(job)
            if not found.group(2) and method == "DELETE":
                self._delete(job)
                return 204, None
        raise _ApiError(404, "NOT_FOUND", f"no route for {method} {path}")

    def _job(self, job_id: str) -> dict[str, Any]:
        job = self._jobs.get(job_id)
        if job is None:
            raise _ApiError(404, "NOT_FOUND", f"voice job {job_id} does not exist")
        return job

    def _list(self, params: httpx.QueryParams) -> dict[str, Any]:
        unknown = sorted(set(params) - _LIST_PARAMS)
        if unknown:
            raise _ApiError(400, "INVALID_ARGUMENT", f"unknown parameter {unknown[0]}")
        size = _int_param(params.get("page_size"), DEFAULT_PAGE_SIZE)
        if not 1 <= size <= MAX_PAGE_SIZE:
            raise _ApiError(400, "INVALID_ARGUMENT", f"page_size must be 1..{MAX_PAGE_SIZE}")
        rows = sorted(self._matching(params), key=_order_key, reverse=True)
        fingerprint = _fingerprint(params)
        token = params.get("page_token")
        if token:
            after = _decode_token(token, fingerprint)
            rows_after = [row for row in rows if _order_key(row) < after]
        else:
            rows_after = rows
        page = rows_after[:size]
        more = len(rows_after) > size
        next_token = _encode_token(_order_key(page[-1]), fingerprint) if more else ""
        jobs = [_public(row) for row in page]
        return {"jobs": jobs, "next_page_token": next_token, "total_size": len(rows)}

    def _matching(self, params: httpx.QueryParams) -> list[dict[str, Any]]:
        statuses = params.get("status")
        wanted = set(statuses.split(",")) if statuses else None
        if wanted is not None and not wanted <= {*STATUS_TABLE, "none"}:
            raise _ApiError(400, "INVALID_ARGUMENT", f"unknown status in {statuses!r}")
        voice_type = params.get("voice_type")
        if voice_type is not None and voice_type not in VOICE_TYPES:
            raise _ApiError(400, "INVALID_ARGUMENT", f"unknown voice_type {voice_type!r}")
        low = _time_param(params.get("create_time_min"), "create_time_min")
        high = _time_param(params.get("create_time_max"), "create_time_max")
        return [
            job
            for job in self._jobs.values()
            if (wanted is None or job["status"] in wanted)
            and (voice_type is None or job["voice_type"] == voice_type)
            and (low is None or job["_created"] >= low)
            and (high is None or job["_created"] <= high)
        ]

    def _create(self, content: bytes) -> dict[str, Any]:
        try:
            body = json.loads(content)
        except (ValueError, UnicodeDecodeError):
            raise _ApiError(400, "INVALID_ARGUMENT", "the body is not JSON") from None
        if not isinstance(body, dict):
            raise _ApiError(400, "INVALID_ARGUMENT", "the body must be an object")
        unknown = set(body) - {"display_name", "voice_type", "gender", "locale", "description"}
        name = body.get("display_name")
        if unknown or not isinstance(name, str) or not 1 <= len(name) <= 64:
            raise _ApiError(400, "INVALID_ARGUMENT", "display_name (1..64 chars) is required")
        voice_type = body.get("voice_type", "instant")
        if voice_type not in VOICE_TYPES or body.get("gender", "F") not in ("F", "M"):
            raise _ApiError(400, "INVALID_ARGUMENT", "voice_type or gender is not valid")
        if body.get("locale", "en-US") not in LOCALES:
            raise _ApiError(400, "INVALID_ARGUMENT", "locale is not supported")
        record = self._new_record(voice_type, name)
        record.update({k: body[k] for k in ("gender", "locale", "description") if k in body})
        self._jobs[record["id"]] = record
        upload = (
            f"https://uploads.acmevoice.example/{record['id']}?sig={self._rng.getrandbits(64):x}"
        )
        return {**_public(record), "upload_url": upload}

    def _submit(self, job: dict[str, Any]) -> dict[str, Any]:
        if job["status"] != "draft":
            message = f"a {job['status']} job cannot be submitted"
            raise _ApiError(409, "FAILED_PRECONDITION", message)
        self._submitted[job["id"]] = self._clock.now()
        self._set_status(job, STAGES[0][0], self._clock.now())
        return _public(job)

    def _delete(self, job: dict[str, Any]) -> None:
        if job["status"] in ACTIVE:
            raise _ApiError(409, "FAILED_PRECONDITION", f"a {job['status']} job cannot be deleted")
        del self._jobs[job["id"]]
        self._submitted.pop(job["id"], None)

    # -- state -------------------------------------------------------------------------------

    def _new_record(
        self, voice_type: str, name: str, created: float | None = None
    ) -> dict[str, Any]:
        moment = self._clock.now() if created is None else created
        job_id = f"vj_{self._rng.getrandbits(48):012x}"
        stamp = format_utc(datetime.fromtimestamp(moment, timezone.utc))
        return {
            "id": job_id,
            "display_name": name,
            "voice_type": voice_type,
            "status": "draft",
            "gender": "F",
            "locale": "en-US",
            "create_time": stamp,
            "update_time": stamp,
            "_created": moment,
        }

    def _set_status(self, job: dict[str, Any], status: str, moment: float) -> None:
        job["status"] = status
        job["update_time"] = format_utc(datetime.fromtimestamp(moment, timezone.utc))
        if status == "ready":
            job["voice_id"] = "voice_" + hashlib.sha256(job["id"].encode()).hexdigest()[:16]
        if status in ("rejected", "errored"):
            reason = "CONSENT_MISSING" if status == "rejected" else "AUDIO_TOO_NOISY"
            job["error"] = {"reason": reason, "message": f"the job was {status}"}

    def _advance(self) -> None:
        now = self._clock.now()
        for job_id, submitted in list(self._submitted.items()):
            elapsed, reached, moment = now - submitted, "ready", submitted
            for stage, seconds in STAGES:
                if elapsed < seconds:
                    reached = stage
                    break
                elapsed -= seconds
                moment += seconds
            job = self._jobs[job_id]
            if job["status"] != reached:
                self._set_status(job, reached, moment)
            if reached == "ready":
                del self._submitted[job_id]


def _time_before(stage: str) -> float:
    """How long after submission ``stage`` begins."""
    total = 0.0
    for name, seconds in STAGES:
        if name == stage:
            return total
        total += seconds
    raise ValueError(stage)


def _public(job: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in job.items() if not k.startswith("_")}


def _order_key(job: Mapping[str, Any]) -> tuple[float, str]:
    return (job["_created"], job["id"])


def _int_param(value: str | None, default: int) -> int:
    if value is None:
        return default
    if not value.isdigit():
        raise _ApiError(400, "INVALID_ARGUMENT", f"{value!r} is not an integer")
    return int(value)


def _time_param(value: str | None, name: str) -> float | None:
    if value is None:
        return None
    try:
        return parse_utc(value).timestamp()
    except ValueError:
        raise _ApiError(400, "INVALID_ARGUMENT", f"{name} is not an RFC 3339 time") from None


def _fingerprint(params: httpx.QueryParams) -> str:
    fields = sorted((k, v) for k, v in params.multi_items() if k not in ("page_size", "page_token"))
    return hashlib.sha256(repr(fields).encode()).hexdigest()[:12]


def _encode_token(after: tuple[float, str], fingerprint: str) -> str:
    raw = json.dumps({"t": after[0], "i": after[1], "f": fingerprint}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_token(token: str, fingerprint: str) -> tuple[float, str]:
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        after = (float(data["t"]), str(data["i"]))
        same_query = data["f"] == fingerprint
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise _ApiError(400, "INVALID_ARGUMENT", "page_token is not valid") from None
    if not same_query:
        raise _ApiError(400, "INVALID_ARGUMENT", "page_token belongs to a different query")
    return after
