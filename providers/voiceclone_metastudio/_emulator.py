"""A faithful, stateful emulator of Huawei Cloud MetaStudio's voice-training API (server side).

:class:`MetaStudioEmulator` is a pure handler from ``httpx.Request`` to ``httpx.Response``, the
``voiceclone.adapter.Emulator`` protocol: ``voiceclone.testing`` serves it in-process
(``httpx.MockTransport``) or on a loopback HTTP server and injects faults around it.

What it does, as the vendor does:

- routes the 21 voice-training operations (unknown paths: 404 ``APIGW.0101``);
- authenticates like the API gateway: ``SDK-HMAC-SHA256`` signatures rebuilt from the received
  request, or an IAM token in ``X-Auth-Token`` (failures: 401 ``APIGW.0301``), and checks the
  project in the path (400 ``MSS.00010009``);
- validates parameters (400 ``MSS.00000003`` for the query, ``MSS.00000002``/``MSS.10000002``/
  ``MSS.10000003`` for bodies) and answers ``{"error_code", "error_msg"}`` with an
  ``X-Request-Id`` header on every reply;
- keeps jobs in memory and moves them through the vendor's lifecycle on an
  :class:`~voiceclone.adapter.EmulatorClock` (see ``_emulator_jobs``).

Modules: ``_emulator_signature`` (authentication), ``_emulator_jobs`` (store and lifecycle),
``_emulator_routes`` (operations), ``_emulator_samples`` (sample data), ``_emulator_vocab``
(enum values and error codes).
"""

from __future__ import annotations

import copy
import json
import math
import random
import threading
import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

import httpx

from voiceclone.adapter import Clock, EmulatorClock, SystemClock
from voiceclone_metastudio._emulator_jobs import (
    DEFAULT_STAGE_SECONDS,
    OUTCOMES,
    Job,
    JobStore,
)
from voiceclone_metastudio._emulator_routes import Api, Incoming, match, parse_query
from voiceclone_metastudio._emulator_samples import new_record, seed_jobs
from voiceclone_metastudio._emulator_signature import Credentials, verify
from voiceclone_metastudio._emulator_vocab import ACTIVE_STATES, VOICE_NAMES, ApiError

__all__ = [
    "DEFAULT_AK",
    "DEFAULT_AUTH_TOKEN",
    "DEFAULT_PROJECT_ID",
    "DEFAULT_SK",
    "PROVIDER_ID",
    "MetaStudioEmulator",
]

PROVIDER_ID = "huawei-metastudio"
DEFAULT_AK = "EMULATORAK0000000000"
DEFAULT_SK = "emulator-secret-key"
DEFAULT_PROJECT_ID = "0123456789abcdef0123456789abcdef"
DEFAULT_AUTH_TOKEN = "emulator-iam-token"

_JSON = "application/json;charset=UTF-8"
_SERVER_ERRORS = {
    500: ("MSS.00000001", "Internal server error"),
    502: ("APIGW.0202", "The backend service is unavailable"),
    503: ("APIGW.0202", "The backend service is unavailable"),
    504: ("APIGW.0203", "The backend service timed out"),
}


class MetaStudioEmulator:
    """The MetaStudio voice-training API in memory. Thread-safe.

    ``seed`` makes ids and random choices reproducible; ``jobs`` seeds that many sample jobs;
    ``clock`` drives the lifecycle (frozen unless advanced, by default). ``failure_rate`` and
    ``action_required_rate`` draw each committed job's outcome unless :meth:`set_outcome` chose
    it. ``stage_seconds`` overrides the duration of lifecycle stages by state name (plus
    ``SHORT_JOB``). ``check_date`` rejects an ``X-Sdk-Date`` more than 15 minutes from
    ``real_clock`` (the real time by default), as the gateway does.
    """

    def __init__(
        self,
        *,
        seed: int = 0,
        jobs: int = 0,
        clock: EmulatorClock | None = None,
        ak: str = DEFAULT_AK,
        sk: str = DEFAULT_SK,
        project_id: str = DEFAULT_PROJECT_ID,
        auth_token: str = DEFAULT_AUTH_TOKEN,
        failure_rate: float = 0.0,
        action_required_rate: float = 0.0,
        stage_seconds: Mapping[str, float] | None = None,
        check_date: bool = True,
        real_clock: Clock | None = None,
        training_data_ready: bool = False,
    ) -> None:
        # Every emulator takes ``training_data_ready``; a MetaStudio job can always be
        # committed here (uploads go to OBS, which the service cannot see), so it changes nothing.
        del training_data_ready
        if failure_rate < 0.0 or action_required_rate < 0.0:
            raise ValueError("failure_rate and action_required_rate must not be negative")
        if failure_rate + action_required_rate > 1.0:
            raise ValueError("failure_rate + action_required_rate must be at most 1")
        stages = dict(DEFAULT_STAGE_SECONDS)
        for state, seconds in (stage_seconds or {}).items():
            if state not in stages:
                raise ValueError(f"stage_seconds: unknown stage {state!r}; known: {sorted(stages)}")
            if not seconds >= 0:
                raise ValueError(f"stage_seconds[{state!r}] must be >= 0")
            stages[state] = float(seconds)
        self._lock = threading.RLock()
        self._clock = clock if clock is not None else EmulatorClock(speed=0.0)
        self._real_clock: Clock | None = (real_clock or SystemClock()) if check_date else None
        self._credentials = Credentials(ak, sk, project_id, auth_token)
        self._store = JobStore(random.Random(seed), stages)
        self._store.failure_rate = failure_rate
        self._store.action_required_rate = action_required_rate
        self._api = Api(self._store, project_id, stages["SHORT_JOB"])
        if jobs:
            self.seed_jobs(jobs)

    def __repr__(self) -> str:
        project = self._credentials.project_id
        return f"<MetaStudioEmulator project_id={project} jobs={len(self._store)}>"

    # -- the Emulator protocol ------------------------------------------------------------------

    @property
    def provider_id(self) -> str:
        return PROVIDER_ID

    @property
    def clock(self) -> EmulatorClock:
        return self._clock

    @property
    def project_id(self) -> str:
        return self._credentials.project_id

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer one request as MetaStudio (behind its API gateway) would."""
        request.read()
        raw_path, _, raw_query = request.url.raw_path.decode("utf-8", "replace").partition("?")
        found = match(request.method.upper(), unquote(raw_path))
        if found is None:
            return _gateway_error(
                404,
                "APIGW.0101",
                "The API does not exist or has not been published in the environment",
            )
        route, params = found
        if not self._is_once_token_download(request, params):
            real_now = self._real_clock.now() if self._real_clock is not None else None
            failure = verify(request, self._credentials, real_now)
            if failure is not None:
                return _gateway_error(401, "APIGW.0301", failure.message)
        try:
            if params.get("project", self.project_id) != self.project_id:
                raise ApiError.tenant_mismatch()
            app_user_id = request.headers.get("x-app-userid")
            if app_user_id is not None and not app_user_id.isascii():
                raise ApiError.invalid_parameter("X-App-UserId must not contain Chinese characters")
            with self._lock:
                now = self._clock.now()
                self._store.advance(now)
                incoming = Incoming(
                    params, parse_query(raw_query), request.headers, request.content, now
                )
                status, body = route.handler(self._api, incoming)
                return _reply(status, body)
        except ApiError as error:
            return _reply(error.status, {"error_code": error.code, "error_msg": error.message})

    @staticmethod
    def _is_once_token_download(request: httpx.Request, params: Mapping[str, str]) -> bool:
        """The encrypted-file download authenticates by its ``once_token`` when unsigned."""
        unsigned = "authorization" not in request.headers and "x-auth-token" not in request.headers
        return "project" not in params and unsigned

    def client_settings(self, endpoint: str) -> dict[str, Any]:
        creds = self._credentials
        return {
            "endpoint": endpoint,
            "ak": creds.ak,
            "sk": creds.sk,
            "project_id": creds.project_id,
        }

    def environment(self, endpoint: str) -> dict[str, str]:
        creds = self._credentials
        return {
            "HUAWEICLOUD_SDK_AK": creds.ak,
            "HUAWEICLOUD_SDK_SK": creds.sk,
            "HUAWEICLOUD_SDK_PROJECT_ID": creds.project_id,
            "VOICECLONE_HUAWEI_ENDPOINT": endpoint,
        }

    def seed_jobs(self, count: int) -> None:
        if count < 0:
            raise ValueError("count must be >= 0")
        with self._lock:
            seed_jobs(self._store, self.project_id, count, self._clock.now())

    def job_ids(self) -> frozenset[str]:
        with self._lock:
            return frozenset(job.job_id for job in self._store.all())

    def jobs(self) -> Mapping[str, Mapping[str, Any]]:
        with self._lock:
            self._store.advance(self._clock.now())
            return {job.job_id: copy.deepcopy(job.record) for job in self._store.all()}

    def is_mutating(self, request: httpx.Request) -> bool:
        return request.method.upper() in ("POST", "PUT", "DELETE", "PATCH")

    def throttle_response(self, request: httpx.Request, retry_after: float) -> httpx.Response:
        seconds = max(retry_after, 0.0)
        header = str(int(seconds)) if seconds == math.floor(seconds) else f"{seconds:.3f}"
        response = _gateway_error(
            429,
            "APIGW.0308",
            "The throttling threshold has been reached: policy user over ratelimit, "
            "limit:100, time:1 minute",
        )
        response.headers["Retry-After"] = header
        return response

    def server_error_response(self, request: httpx.Request, status: int) -> httpx.Response:
        code, message = _SERVER_ERRORS.get(status, ("MSS.00000001", "Internal server error"))
        return _reply(status, {"error_code": code, "error_msg": message})

    def churn(self, rng: random.Random) -> str:
        """Delete a job that may be deleted, or create one, as another user would."""
        with self._lock:
            now = self._clock.now()
            self._store.advance(now)
            if len(self._store) and rng.random() < 0.5:
                candidates = [j.job_id for j in self._store.all() if j.state not in ACTIVE_STATES]
                if candidates:
                    job_id = rng.choice(candidates)
                    self._store.remove(job_id)
                    return f"deleted job {job_id}"
            job_id = self._store.new_id()
            body = {"voice_name": rng.choice(VOICE_NAMES), "sex": rng.choice(("FEMALE", "MALE"))}
            job = Job(
                new_record(job_id, rng.choice(("BASIC", "MIDDLE", "ADVANCE")), body, now, None)
            )
            job.log(now, "CREATE_JOB", "USER", None)
            self._store.add(job)
            return f"created job {job_id}"

    # -- control for tests ----------------------------------------------------------------------

    def set_outcome(self, job_id: str, outcome: str) -> None:
        """Choose how ``job_id``'s run ends: ``succeed``, ``fail`` (FAILED after training),
        ``split_fail`` (SPLIT_FAILED), or ``action_required`` (AUDIT_FAILED after review; the
        next commit then draws again). Applies at the next branch point the job reaches."""
        if outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}")
        with self._lock:
            job = self._store.find(job_id)
            if job is None:
                raise KeyError(job_id)
            job.outcome = outcome


def _reply(status: int, body: Any) -> httpx.Response:
    headers = {"X-Request-Id": uuid.uuid4().hex, "Server": "api-gateway"}
    if isinstance(body, bytes):
        headers["Content-Type"] = "application/octet-stream"
        return httpx.Response(status, headers=headers, content=body)
    headers["Content-Type"] = _JSON
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return httpx.Response(status, headers=headers, content=content)


def _gateway_error(status: int, code: str, message: str) -> httpx.Response:
    """An API-gateway error: its bodies also carry the request id."""
    response = _reply(status, {"error_code": code, "error_msg": message})
    request_id = response.headers["X-Request-Id"]
    body = {"error_code": code, "error_msg": message, "request_id": request_id}
    return httpx.Response(
        status,
        headers=response.headers,
        content=json.dumps(body, separators=(",", ":")).encode("utf-8"),
    )
