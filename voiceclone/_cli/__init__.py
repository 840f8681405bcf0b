"""The ``voiceclone`` command: jobs on every provider from a shell, in the neutral model.

``main(argv)`` parses, runs one command and returns its exit code; it never calls
``sys.exit`` itself (the console script does), so tests call it in-process. Exit codes:
0 ok, 1 provider or API error, 2 usage or validation error. Every error is one line on stderr
(a JSON object with ``--format json``).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Mapping, Sequence
from typing import TextIO

from voiceclone._cli._commands import COMMANDS, Console
from voiceclone._cli._output import write_error
from voiceclone._cli._parser import UsageError, build_parser
from voiceclone._errors import (
    ProviderNotFound,
    UnsupportedOperation,
    ValidationError,
    VoiceCloneError,
)

__all__ = ["main"]

USAGE_ERRORS = (UsageError, ValidationError, ProviderNotFound, UnsupportedOperation)
"""Errors that mean the request cannot be made as given (exit code 2)."""


def _wants_json(argv: Sequence[str]) -> bool:
    """True when the command line asks for ``--format json`` (read before parsing, so even a
    parse error can be reported as JSON)."""
    for index, arg in enumerate(argv):
        following = argv[index + 1 : index + 2]
        if arg == "--format=json" or (arg == "--format" and following == ["json"]):
            return True
    return False


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    """Run ``voiceclone`` with ``argv`` (default ``sys.argv[1:]``) and return the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    console = Console(
        out=stdout or sys.stdout,
        err=stderr or sys.stderr,
        environ=os.environ if environ is None else environ,
    )
    as_json = _wants_json(args_list)
    try:
        return _run(args_list, console)
    except USAGE_ERRORS as exc:
        write_error(exc, console.err, as_json=as_json)
        return 2
    except VoiceCloneError as exc:
        write_error(exc, console.err, as_json=as_json)
        return 1
    except KeyboardInterrupt:
        console.err.write("interrupted\n")
        return 130
    except BrokenPipeError:
        # The reader went away (``voiceclone jobs list | head``): stop quietly.
        _silence_stdout()
        return 0


def _run(argv: list[str], console: Console) -> int:
    parser = build_parser()
    try:
        with contextlib.redirect_stdout(console.out):
            args = parser.parse_args(argv)
    except SystemExit as exc:  # --help and --version print and "exit" 0
        return exc.code if isinstance(exc.code, int) else 0
    command = getattr(args, "command", None)
    if command is None:
        if getattr(args, "group", None) == "jobs":
            raise UsageError(
                "missing action: choose list, get, create, submit, delete or wait "
                "(see 'voiceclone jobs --help')"
            )
        raise UsageError(
            "missing command: choose providers, jobs, compare, emulator or demo "
            "(see 'voiceclone --help')"
        )
    return COMMANDS[command](args, console)


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
