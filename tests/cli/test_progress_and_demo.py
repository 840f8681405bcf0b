"""Progress on stderr (terminals only), the demo in-process, and the installed command."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from voiceclone._cli._commands import Console
from voiceclone._cli._demo import run_demo
from voiceclone._cli._progress import Progress


class TTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_counts_on_a_terminal_and_clears_the_line() -> None:
    err = TTY()
    items = list(Progress(err, "listing huawei", every=10).track(range(25)))
    assert items == list(range(25))
    text = err.getvalue()
    assert "\rlisting huawei: 10 jobs" in text and "\rlisting huawei: 20 jobs" in text
    assert text.endswith("\r\033[K")


def test_progress_is_silent_when_stderr_is_not_a_terminal() -> None:
    err = io.StringIO()
    assert list(Progress(err, "listing", every=1).track("abc")) == ["a", "b", "c"]
    assert err.getvalue() == ""


def test_the_demo_runs_end_to_end_in_process() -> None:
    out, err = io.StringIO(), io.StringIO()
    code = run_demo(Console(out, err, {"NO_COLOR": "1"}), jobs=3, speedup=1e9)
    names = ["huawei-metastudio", "alibaba-ice"]
    text = out.getvalue()
    assert code == 0, err.getvalue()
    assert "\033[" not in text
    for step in ("1. Starting", "2. Creating", "3. Submitting", "4. Waiting", "5. Listing"):
        assert step in text
    comparison = text[text.index("6. Comparing") :]
    for name in names:
        assert name in comparison.splitlines()[1]  # the heading: one column per vendor
        assert re.search(rf"^   {re.escape(name)} +\+0 s +\S+ +reviewing", text, re.M)
    assert text.count("succeeded after") == 2
    assert "8 jobs from 2 vendors" in text


def test_the_demo_takes_any_provider_with_an_emulator() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run_demo(Console(out, err, {}), jobs=2, speedup=1e9, providers=["ice", "alibaba"]) == 0
    assert "3 jobs from 1 vendor" in out.getvalue()
    assert "huawei-metastudio" not in out.getvalue()


def _script() -> str:
    script = Path(sys.executable).with_name("voiceclone")
    if not script.exists():
        pytest.skip("the voiceclone console script is not installed next to this python")
    return str(script)


def test_the_installed_command_prints_help() -> None:
    done = subprocess.run(
        [_script(), "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0
    assert "jobs" in done.stdout and "compare" in done.stdout and "demo" in done.stdout


def test_the_installed_command_exits_2_on_bad_usage() -> None:
    done = subprocess.run(
        [_script(), "jobs", "list", "-p", "huawei", "--limit", "zero"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("error: argument --limit") and done.stderr.count("\n") == 1


@pytest.mark.slow
def test_voiceclone_demo_as_make_demo_runs_it() -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    done = subprocess.run(
        [_script(), "demo"], capture_output=True, text=True, timeout=60, check=False, env=env
    )
    assert done.returncode == 0, done.stderr
    assert "huawei-metastudio" in done.stdout and "alibaba-ice" in done.stdout
    listing = done.stdout[done.stdout.index("5. Listing") : done.stdout.index("6. Comparing")]
    assert "huawei-metastudio  " in listing and "alibaba-ice  " in listing
    assert "success rate" in done.stdout and "median to success" in done.stdout
