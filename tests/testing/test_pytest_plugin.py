"""The pytest plugin: fixtures in a user's suite (run through pytester), and a cheap import."""

from __future__ import annotations

import subprocess
import sys

import pytest

from voiceclone.testing import emulator_providers

USER_SUITE = """
import pytest

STARTED = []


def test_runs_per_installed_emulator(voiceclone_emulated, voiceclone_provider):
    assert voiceclone_emulated.provider == voiceclone_provider
    assert not voiceclone_emulated.loopback


@pytest.mark.voiceclone_emulator(jobs=5, loopback=True, seed=3)
def test_marker_configures(voiceclone_emulated):
    assert len(voiceclone_emulated.emulator.job_ids()) == 5
    assert voiceclone_emulated.endpoint.startswith("http://127.0.0.1:")
    STARTED.append(voiceclone_emulated)


def test_teardown_stopped_the_server():
    assert STARTED and not any(e.server.running for e in STARTED)


@pytest.mark.parametrize("voiceclone_provider", ["huawei"])
def test_explicit_provider(voiceclone_emulated):
    assert voiceclone_emulated.provider == "huawei-metastudio"


@pytest.mark.parametrize("voiceclone_emulated", ["alibaba"], indirect=True)
def test_indirect(voiceclone_emulated):
    assert voiceclone_emulated.provider == "alibaba-ice"


def test_factory(voiceclone_emulate):
    first = voiceclone_emulate("alibaba", jobs=2)
    second = voiceclone_emulate("huawei", faults="5xx=1")
    assert len(first.emulator.job_ids()) == 2
    assert second.transport.injector is not None


@pytest.mark.voiceclone_emulator(jobs=7)
def test_client(voiceclone_client, voiceclone_provider):
    jobs = list(voiceclone_client.list_jobs())
    assert len(jobs) == 7
    assert {job.provider for job in jobs} == {voiceclone_provider}
"""


@pytest.fixture(autouse=True)
def _quiet_asyncio(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")


def test_fixtures_in_a_user_suite(pytester: pytest.Pytester) -> None:
    installed = emulator_providers()
    for needed in ("alibaba-ice", "huawei-metastudio"):
        if needed not in installed:
            pytest.skip(f"{needed} ships no emulator here")
    pytester.makepyfile(test_user=USER_SUITE)
    result = pytester.runpytest_inprocess("-v", "-p", "no:cacheprovider")
    # three tests run once per installed emulator (other plugins may add some), four once
    result.assert_outcomes(passed=3 * len(installed) + 4)
    result.stdout.fnmatch_lines(
        [
            "*test_runs_per_installed_emulator?alibaba-ice? PASSED*",
            "*test_runs_per_installed_emulator?huawei-metastudio? PASSED*",
        ]
    )


def test_the_marker_is_registered(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_inprocess("--markers")
    result.stdout.fnmatch_lines(["*voiceclone_emulator(**options)*"])


def test_importing_the_plugin_loads_no_provider() -> None:
    code = (
        "import sys, voiceclone.testing._pytest_plugin\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(('voiceclone_', 'huaweicloud',"
        " 'alibabacloud', 'aliyunsdk')))\n"
        "print(loaded)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
