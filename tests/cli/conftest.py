"""Fixtures for the CLI tests: vendor emulators on loopback, their settings in the environment,
and an in-process runner of ``voiceclone`` that captures stdout and stderr."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import attrs
import pytest

from voiceclone._cli import main
from voiceclone.testing import Emulated, emulate, emulator_providers

# Options per provider that make a created job trainable without vendor-only steps.
TRAINABLE: dict[str, dict[str, Any]] = {"alibaba-ice": {"required_recordings": 0}}


@attrs.frozen
class Result:
    """What one ``voiceclone`` run did."""

    code: int
    out: str
    err: str


Run = Callable[..., Result]
Serve = Callable[..., Emulated]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """``run("jobs", "list", ...)``: call ``main`` in-process, with the real environment."""

    def invoke(*argv: str) -> Result:
        capsys.readouterr()
        code = main(list(argv))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke


@pytest.fixture
def serve(monkeypatch: pytest.MonkeyPatch) -> Iterator[Serve]:
    """``serve(provider, jobs=N, **options)``: a loopback emulator whose endpoint and
    credentials are exported the way ``voiceclone emulator`` prints them."""
    started: list[Emulated] = []

    def start(provider: str, *, jobs: int = 12, **options: Any) -> Emulated:
        emulated = emulate(provider, loopback=True, jobs=jobs, seed=5, **options)
        started.append(emulated)
        for key, value in emulated.environment().items():
            monkeypatch.setenv(key, value)
        return emulated

    yield start
    for emulated in started:
        emulated.close()


@pytest.fixture(params=["huawei-metastudio", "alibaba-ice"])
def provider(request: pytest.FixtureRequest) -> str:
    """Each built-in provider in turn."""
    assert request.param in emulator_providers()
    return str(request.param)
