"""The kit fails adapters and emulators that break the contract: each broken variant of the
example plugin fails exactly the check it breaks, while the sound plugin passes the same checks.
"""

from __future__ import annotations

from pathlib import Path

import pytest

BROKEN_SUITE = '''
import attrs
import pytest

from voiceclone import register_provider
from voiceclone._registry import unregister_provider
from voiceclone.testing.conformance import AdapterConformance
from voiceclone_acme import CAPABILITIES, PROVIDER
from voiceclone_acme._adapter import AcmeProvider, Settings
from voiceclone_acme._emulator import AcmeEmulator


class DropsCreatedUntil(AcmeProvider):
    """Claims to push created_until down, but never sends it."""

    def list_jobs(self, request):
        query = attrs.evolve(request.query, created_until=None)
        return super().list_jobs(attrs.evolve(request, query=query))


class ClampsWindows(AcmeProvider):
    """Serves an oversized window instead of refusing it."""

    def list_jobs(self, request):
        window = attrs.evolve(request.window, size=min(request.window.size, 50))
        return super().list_jobs(attrs.evolve(request, window=window))


class Careless(AcmeProvider):
    """Reads a field without checking its type first."""

    def get_job(self, job_id):
        call = super().get_job(job_id)

        def parse(response):
            if response.is_success:
                response.json()["create_time"].upper()
            return call.parse(response)

        return attrs.evolve(call, parse=parse)


class Trusting(AcmeEmulator):
    """Accepts any request, signed or not."""

    def _authenticate(self, request):
        return None


def install(adapter=AcmeProvider, emulator=AcmeEmulator):
    spec = attrs.evolve(
        PROVIDER,
        create=lambda **s: adapter(Settings.resolve(**s), CAPABILITIES),
        emulator=lambda **options: emulator(**options),
    )
    register_provider("acme-voice", spec, clobber=True)


class Broken(AdapterConformance):
    provider = "acme-voice"
    jobs = 30
    variant = {}

    @pytest.fixture(autouse=True)
    def broken(self):
        install(**self.variant)
        yield
        unregister_provider("acme-voice")


class TestSound(Broken):
    pass


class TestDropsCreatedUntil(Broken):
    variant = {"adapter": DropsCreatedUntil}


class TestClampsWindows(Broken):
    variant = {"adapter": ClampsWindows}


class TestCareless(Broken):
    variant = {"adapter": Careless}


class TestTrusting(Broken):
    variant = {"emulator": Trusting}
'''

CHECKS = {
    "TestDropsCreatedUntil": ["test_pushed_down_filters_are_honoured"],
    "TestClampsWindows": ["test_foreign_and_oversized_windows_are_refused"],
    "TestCareless": ["test_mutated_replies_stay_in_the_error_tree"],
    "TestTrusting": [
        "test_unsigned_request_is_rejected",
        "test_signed_request_is_accepted_and_tampered_is_not",
    ],
}


class _Outcomes:
    """A pytest plugin that records the outcome of each test the inner run executes."""

    def __init__(self) -> None:
        self.outcomes: dict[str, str] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call" or report.outcome != "passed":
            self.outcomes[report.nodeid.split("::", 1)[1]] = report.outcome


def test_each_broken_variant_fails_the_check_it_breaks(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\nasyncio_default_fixture_loop_scope = function\n"
    )
    (tmp_path / "test_broken.py").write_text(BROKEN_SUITE)
    names = sorted({name for tests in CHECKS.values() for name in tests})
    recorder = _Outcomes()
    args = [str(tmp_path), "-q", "-p", "no:cacheprovider", "--import-mode=importlib"]
    pytest.main([*args, f"--rootdir={tmp_path}", "-k", " or ".join(names)], plugins=[recorder])
    expected_failures = {f"{cls}::{test}" for cls, tests in CHECKS.items() for test in tests}
    failed = {node for node, outcome in recorder.outcomes.items() if outcome == "failed"}
    assert failed == expected_failures, recorder.outcomes
    passed = {node for node, outcome in recorder.outcomes.items() if outcome == "passed"}
    assert len(passed) == len(names) * (len(CHECKS) + 1) - len(expected_failures)
    assert all(f"TestSound::{name}" in passed for name in names)
