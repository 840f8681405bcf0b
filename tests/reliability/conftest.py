"""Shared set-up of the reliability suites: the helper modules beside the tests import, and
the figures they count are printed at the end of the run (and written as JSON to
``$VOICECLONE_FIGURES`` when that is set), for ``docs/reliability.md``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import rel_figures


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    figures = rel_figures.snapshot()
    if not figures:
        return
    line = " ".join(f"{name}={value}" for name, value in figures.items())
    terminalreporter.write_line(f"reliability figures: {line}")
    target = os.environ.get("VOICECLONE_FIGURES")
    if target:
        Path(target).write_text(json.dumps(figures, indent=2) + "\n")
