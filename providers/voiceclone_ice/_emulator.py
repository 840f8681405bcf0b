"""A faithful, stateful emulator of Alibaba Cloud ICE's customized-voice API (RPC, 2020-11-09).

:class:`IceEmulator` is a pure handler from ``httpx.Request`` to ``httpx.Response`` that speaks
the real protocol, so the official SDKs work against it: ``POST`` (or ``GET``) ``/`` with every
parameter in the query string (form-encoded body parameters are also read, and signed, as the
gateway does), ``Action``, ``Version=2020-11-09``, the common parameters of reference §3.3 and
an RPC signature v1 checked exactly as the gateway checks it (see ``_emulator_auth``); the Tea
SDK's default v3 ``ACS3-HMAC-SHA256`` header signature is accepted too.
Replies are ``{"RequestId", "Success": true, "Data"}``; errors are the gateway's JSON
(``RequestId``, ``HostId``, ``Code``, ``Message``, ``Recommend``) with its HTTP status.

Jobs live in memory and move through ICE's lifecycle on a controllable clock
(``_emulator_store``): they advance lazily, on each request, to the state they are in at
``clock.now()``. Outcomes are "succeed" unless drawn as "fail" at ``failure_rate`` or set per
job with :meth:`IceEmulator.set_outcome`.

**CosyVoice jobs and the ``Type`` filter.** The reference documents only ``Basic`` and
``Standard`` for ``Type`` and leaves the value reported for CosyVoice jobs undocumented. The
emulator reports ``"Type": "CosyVoice"`` for them (the vendor's own name for the edition: the
action is ``SubmitCosyVoiceCustomizedVoiceJob`` and ``ListSmartVoiceGroups`` takes
``VoiceType=CosyVoice``) and lists them only for ``Type=CosyVoice``; ``Basic`` and ``Standard``
listings never include them. ``ListCustomizedVoiceJobs`` and ``ListCustomizedVoices`` accept
``Type`` in {Basic, Standard, CosyVoice}, default ``Basic``, and answer any other value with
HTTP 400 ``InvalidParameter``. So a client lists everything by walking the three partitions.

Other choices where the reference is silent: list order is newest creation time first; a job
whose state forbids an action answers HTTP 403 ``IncorrectJobStatus``; an unknown JobId or
VoiceId answers HTTP 404 ``ResourceNotFound``; a recording whose URL path is not ``.wav`` or
``.pcm`` fails detection with a ``Reason``; a Basic job needs all 20 recordings to pass
detection before it can be submitted (``required_recordings``).
"""

from __future__ import annotations

import math
import random
import threading
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

import httpx

from voiceclone._clock import EmulatorClock
from voiceclone_ice._emulator_actions import ACTIONS, LIST_TYPES, MUTATING_ACTIONS, IceService
from voiceclone_ice._emulator_auth import V3_ALGORITHM, Credentials, SignatureVerifier
from voiceclone_ice._emulator_params import Params
from voiceclone_ice._emulator_samples import DEMONSTRATION_COUNT, sample_job, seed_jobs
from voiceclone_ice._emulator_store import DEFAULT_STAGE_SECONDS, STAGES, JobStore
from voiceclone_ice._emulator_wire import (
    IceApiError,
    error_response,
    missing,
    new_request_id,
    success_response,
)

__all__ = [
    "API_VERSION",
    "DEFAULT_ACCESS_KEY_ID",
    "DEFAULT_ACCESS_KEY_SECRET",
    "DEFAULT_SECURITY_TOKEN",
    "IceEmulator",
]

API_VERSION = "2020-11-09"
PROVIDER_ID = "alibaba-ice"

DEFAULT_ACCESS_KEY_ID = "LTAIEmulatorAccessKeyId0"
"""The AccessKey id the emulator accepts unless told otherwise (fake)."""
DEFAULT_ACCESS_KEY_SECRET = "EmulatorAccessKeySecretNotARealOne"
"""The AccessKey secret the emulator accepts unless told otherwise (fake)."""
DEFAULT_SECURITY_TOKEN = "EmulatorStsSecurityTokenNotARealOne"
"""A convenient fake STS token: pass it as ``security_token`` to run in STS mode."""

_UNDELETABLE = frozenset({"Training", "Success"})


class IceEmulator:
    """The ICE customized-voice emulator (implements ``voiceclone.adapter.Emulator``).

    All options are keyword-only: ``seed`` fixes identifiers, sample data and drawn outcomes;
    ``jobs`` seeds that many sample jobs; ``clock`` drives the lifecycle (default: frozen at
    the current time); ``access_key_id``/``access_key_secret`` are the only credentials
    accepted, and with ``security_token`` set every request must carry that STS token;
    ``failure_rate`` is the chance a submitted job ends ``Fail``; ``stage_seconds`` overrides
    how long each of ``AudioDetecting``, ``PreTraining`` and ``Training`` lasts;
    ``check_timestamp`` rejects a ``Timestamp`` more than 15 minutes from real time;
    ``required_recordings`` is how many recordings a Basic job needs before submission;
    ``training_data_ready`` (the option every emulator shares) waives them all, as if the user
    had already recorded every script.
    """

    def __init__(
        self,
        *,
        seed: int = 0,
        jobs: int = 0,
        clock: EmulatorClock | None = None,
        access_key_id: str = DEFAULT_ACCESS_KEY_ID,
        access_key_secret: str = DEFAULT_ACCESS_KEY_SECRET,
        security_token: str | None = None,
        failure_rate: float = 0.0,
        stage_seconds: Mapping[str, float] | None = None,
        check_timestamp: bool = True,
        required_recordings: int = DEMONSTRATION_COUNT,
        training_data_ready: bool = False,
    ) -> None:
        if training_data_ready:
            required_recordings = 0
        if not 0.0 <= failure_rate <= 1.0:
            raise ValueError("failure_rate must be between 0 and 1")
        if jobs < 0:
            raise ValueError("jobs must not be negative")
        if not 0 <= required_recordings <= DEMONSTRATION_COUNT:
            raise ValueError(f"required_recordings must be between 0 and {DEMONSTRATION_COUNT}")
        self._lock = threading.RLock()
        self._clock = clock if clock is not None else EmulatorClock(speed=0)
        self._ids = random.Random(seed)
        self._credentials = Credentials(access_key_id, access_key_secret, security_token)
        self._verifier = SignatureVerifier(self._credentials, check_timestamp=check_timestamp)
        self._store = JobStore(_stage_seconds(stage_seconds))
        self._service = IceService(
            self._store,
            rng=self._ids,
            fate=random.Random(f"ice-fate-{seed}"),
            failure_rate=failure_rate,
            required_recordings=required_recordings,
        )
        if jobs:
            self.seed_jobs(jobs)

    def __repr__(self) -> str:
        return f"IceEmulator(jobs={len(self._store)}, credentials={self._credentials!r})"

    @property
    def provider_id(self) -> str:
        return PROVIDER_ID

    @property
    def clock(self) -> EmulatorClock:
        return self._clock

    # -- the handler -----------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer one request exactly as ICE would. Thread-safe."""
        with self._lock:
            request_id = new_request_id(self._ids)
            try:
                data = self._answer(request)
            except IceApiError as error:
                return error_response(request_id, request.url.host, error)
            return success_response(request_id, data)

    def _answer(self, request: httpx.Request) -> dict[str, Any] | None:
        if request.method not in ("GET", "POST"):
            raise IceApiError(400, "UnsupportedHTTPMethod", "This http method is not supported.")
        params = request_params(request)
        v3 = request.headers.get("authorization", "").startswith(V3_ALGORITHM)
        action = (request.headers.get("x-acs-action") if v3 else params.get("Action")) or ""
        version = request.headers.get("x-acs-version") if v3 else params.get("Version")
        if not action:
            raise missing("Action")
        if not version:
            raise missing("Version")
        if version != API_VERSION or action not in ACTIONS:
            raise IceApiError(
                404,
                "InvalidAction.NotFound",
                "Specified api is not found, please check your url and method.",
            )
        if v3:
            headers = {name.lower(): value for name, value in request.headers.items()}
            query = _query_params(request)
            self._verifier.verify_v3(request.method, query, headers, request.read())
        else:
            self._verifier.verify(request.method, params)
        now = self._clock.now()
        self._store.advance(now)
        return self._service.dispatch(action, Params(params), now)

    # -- state, for tests and the core -----------------------------------------------------

    def seed_jobs(self, count: int) -> None:
        """Add ``count`` sample jobs over the past 180 days, across Basic, Standard and
        CosyVoice and in every state, with Chinese voice names and optional fields sometimes
        left out or empty, as real replies vary."""
        with self._lock:
            seed_jobs(self._store, self._ids, count, self._clock.now())

    def job_ids(self) -> frozenset[str]:
        with self._lock:
            return frozenset(job.job_id for job in self._store)

    def jobs(self) -> Mapping[str, Mapping[str, Any]]:
        """Every job's ``CustomizedVoiceJob`` record as ``GetCustomizedVoiceJob`` would show it
        now, by JobId."""
        with self._lock:
            self._store.advance(self._clock.now())
            return {job.job_id: job.job_view() for job in self._store}

    def set_outcome(self, job_id: str, outcome: str) -> None:
        """Decide how job ``job_id`` ends: ``"succeed"`` or ``"fail"`` (after Training).

        Raises ``KeyError`` for an unknown job and ``ValueError`` for a bad outcome or a job
        that has already ended.
        """
        if outcome not in ("succeed", "fail"):
            raise ValueError('outcome must be "succeed" or "fail"')
        with self._lock:
            self._store.advance(self._clock.now())
            job = self._store.get(job_id)
            if job is None:
                raise KeyError(job_id)
            if job.status in ("Success", "Fail"):
                raise ValueError(f"job {job_id} has already ended ({job.status})")
            job.outcome, job.fail_stage = outcome, "Training"

    # -- fault shapes ----------------------------------------------------------------------

    def is_mutating(self, request: httpx.Request) -> bool:
        return request_params(request).get("Action") in MUTATING_ACTIONS

    def throttle_response(self, request: httpx.Request, retry_after: float) -> httpx.Response:
        """The gateway's flow-control reply: HTTP 400 ``Throttling.User`` with
        ``x-acs-retry-after`` in milliseconds (what the Tea SDK reads as its back-off)."""
        error = IceApiError(400, "Throttling.User", "Request was denied due to user flow control.")
        milliseconds = max(1, math.ceil(retry_after * 1000))
        with self._lock:
            request_id = new_request_id(self._ids)
        return error_response(
            request_id, request.url.host, error, {"x-acs-retry-after": str(milliseconds)}
        )

    def server_error_response(self, request: httpx.Request, status: int) -> httpx.Response:
        """``ServiceUnavailable`` for 502/503/504, ``InternalError`` for any other status."""
        if status in (502, 503, 504):
            error = IceApiError(
                status,
                "ServiceUnavailable",
                "The request has failed due to a temporary failure of the server.",
            )
        else:
            error = IceApiError(
                status,
                "InternalError",
                "The request processing has failed due to some unknown error, exception or "
                "failure.",
            )
        with self._lock:
            request_id = new_request_id(self._ids)
        return error_response(request_id, request.url.host, error)

    def churn(self, rng: random.Random) -> str:
        """Delete a deletable job or create one (a new Basic job, or a submitted Standard or
        CosyVoice job), as another user of the account would."""
        with self._lock:
            now = self._clock.now()
            self._store.advance(now)
            deletable = [job for job in self._store if job.status not in _UNDELETABLE]
            if deletable and rng.random() < 0.5:
                job = rng.choice(deletable)
                self._store.remove(job.job_id)
                return f"deleted {job.type} job {job.job_id} ({job.status})"
            job_type = rng.choice(LIST_TYPES)
            job = sample_job(self._store, rng, job_type, now)
            self._store.add(job)
            if job_type != "Basic":
                self._service.start(job, now)
            return f"created {job_type} job {job.job_id} ({job.status})"

    # -- settings for clients --------------------------------------------------------------

    def client_settings(self, endpoint: str) -> dict[str, Any]:
        settings: dict[str, Any] = {
            "endpoint": endpoint,
            "access_key_id": self._credentials.access_key_id,
            "access_key_secret": self._credentials.access_key_secret,
        }
        if self._credentials.security_token is not None:
            settings["security_token"] = self._credentials.security_token
        return settings

    def environment(self, endpoint: str) -> dict[str, str]:
        env = {
            "ALIBABA_CLOUD_ACCESS_KEY_ID": self._credentials.access_key_id,
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET": self._credentials.access_key_secret,
            "VOICECLONE_ALIBABA_ENDPOINT": endpoint,
        }
        if self._credentials.security_token is not None:
            env["ALIBABA_CLOUD_SECURITY_TOKEN"] = self._credentials.security_token
        return env


def request_params(request: httpx.Request) -> dict[str, str]:
    """The parameters of an RPC request: the query string, then any form-encoded body."""
    params = _query_params(request)
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/x-www-form-urlencoded"):
        body = request.read().decode("utf-8", "replace")
        params.update(parse_qsl(body, keep_blank_values=True))
    return params


def _query_params(request: httpx.Request) -> dict[str, str]:
    return dict(parse_qsl(request.url.query.decode("ascii", "replace"), keep_blank_values=True))


def _stage_seconds(overrides: Mapping[str, float] | None) -> dict[str, float]:
    stages = dict(DEFAULT_STAGE_SECONDS)
    for stage, seconds in (overrides or {}).items():
        if stage not in STAGES:
            raise ValueError(f"unknown stage {stage!r}; stages are {', '.join(STAGES)}")
        if seconds <= 0:
            raise ValueError(f"stage {stage} must last a positive number of seconds")
        stages[stage] = float(seconds)
    return stages
