"""A tiny fake emulator (a JSON job store) that implements the Emulator protocol, so the
testing package is checked independently of the vendor emulators."""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Iterator, Mapping
from typing import Any

import httpx
import pytest

from voiceclone import Capabilities, ProviderSpec, register_provider
from voiceclone._registry import unregister_provider
from voiceclone.adapter import EmulatorClock

pytest_plugins = ["pytester"]

FAKE_ID = "fake-vendor"


class FakeEmulator:
    """GET /jobs, GET /jobs/{id}, POST /jobs (create), DELETE /jobs/{id}."""

    def __init__(self, *, seed: int = 0, **options: Any) -> None:
        self.options = options
        self.seed = seed
        self._clock = EmulatorClock(start=1_700_000_000.0)
        self._lock = threading.Lock()
        self._jobs: dict[str, dict[str, Any]] = {}
        self._next = 0
        self.seen: list[httpx.Request] = []

    @property
    def provider_id(self) -> str:
        return FAKE_ID

    @property
    def clock(self) -> EmulatorClock:
        return self._clock

    def _add(self, name: str) -> str:
        self._next += 1
        job_id = f"job-{self._next:04d}"
        self._jobs[job_id] = {"id": job_id, "name": name}
        return job_id

    def handle(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.seen.append(request)
            if request.headers.get("authorization") != "Bearer fake-token":
                return httpx.Response(401, json={"error": "auth"})
            parts = request.url.path.strip("/").split("/")
            if request.method == "GET" and parts == ["jobs"]:
                return httpx.Response(200, json={"jobs": sorted(self._jobs)})
            if request.method == "POST" and parts == ["jobs"]:
                name = json.loads(request.content or b"{}").get("name", "unnamed")
                return httpx.Response(201, json={"id": self._add(name)})
            if len(parts) == 2 and parts[1] in self._jobs:
                if request.method == "DELETE":
                    del self._jobs[parts[1]]
                    return httpx.Response(204)
                return httpx.Response(200, json=self._jobs[parts[1]])
            if request.method == "POST" and parts == ["echo"]:
                return httpx.Response(
                    200,
                    json={
                        "url": str(request.url),
                        "body": request.content.decode(),
                        "headers": dict(request.headers),
                    },
                )
            if parts == ["boom"]:
                raise RuntimeError("emulator bug")
            return httpx.Response(404, json={"error": "not found"})

    def client_settings(self, endpoint: str) -> dict[str, Any]:
        return {"endpoint": endpoint, "token": "fake-token"}

    def environment(self, endpoint: str) -> dict[str, str]:
        return {"FAKE_TOKEN": "fake-token", "FAKE_ENDPOINT": endpoint}

    def seed_jobs(self, count: int) -> None:
        with self._lock:
            for index in range(count):
                self._add(f"sample {index}")

    def job_ids(self) -> frozenset[str]:
        with self._lock:
            return frozenset(self._jobs)

    def jobs(self) -> Mapping[str, Mapping[str, Any]]:
        with self._lock:
            return dict(self._jobs)

    def is_mutating(self, request: httpx.Request) -> bool:
        return request.method in {"POST", "DELETE"} and request.url.path != "/echo"

    def throttle_response(self, request: httpx.Request, retry_after: float) -> httpx.Response:
        return httpx.Response(
            429, headers={"Retry-After": str(retry_after)}, json={"error": "Throttling"}
        )

    def server_error_response(self, request: httpx.Request, status: int) -> httpx.Response:
        return httpx.Response(status, json={"error": "InternalError", "status": status})

    def churn(self, rng: random.Random) -> str:
        with self._lock:
            if self._jobs and rng.random() < 0.5:
                victim = rng.choice(sorted(self._jobs))
                del self._jobs[victim]
                return f"deleted {victim}"
            return f"created {self._add('churned')}"


AUTH = {"Authorization": "Bearer fake-token"}


@pytest.fixture
def fake() -> FakeEmulator:
    return FakeEmulator()


@pytest.fixture
def fake_provider() -> Iterator[str]:
    """Register a provider whose spec builds FakeEmulator (no client adapter)."""

    def create(**settings: Any) -> Any:
        raise NotImplementedError

    spec = ProviderSpec(
        id=FAKE_ID,
        create=create,
        capabilities=Capabilities(),
        aliases=("fake",),
        emulator=FakeEmulator,
    )
    register_provider(FAKE_ID, spec, clobber=True)
    yield FAKE_ID
    unregister_provider(FAKE_ID)
