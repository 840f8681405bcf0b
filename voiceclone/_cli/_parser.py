"""The command line grammar: one argparse parser for every ``voiceclone`` subcommand.

The parser never exits the process: a usage error becomes a :class:`UsageError` (exit code 2,
reported as one line by ``main``), and ``--help``/``--version`` raise ``SystemExit(0)``, which
``main`` turns into its return value.
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from typing import Any, NoReturn

from voiceclone._errors import ValidationError
from voiceclone._models import JobStatus
from voiceclone._time import parse_utc

__all__ = ["JOB_FORMATS", "UsageError", "build_parser"]

JOB_FORMATS = ("table", "json", "jsonl", "csv")
"""The output formats of the commands that print jobs."""

SUMMARY_FORMATS = ("table", "json")
"""The output formats of the commands that print one summary (providers, compare, ...)."""


class UsageError(Exception):
    """The command line is wrong: exit code 2, message on one line."""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises :class:`UsageError` instead of printing and exiting."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _status(text: str) -> list[JobStatus]:
    """``--status``: one neutral status, or several separated by commas, any case."""
    try:
        return [JobStatus.strict(part.strip()) for part in text.split(",") if part.strip()]
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(exc.rule) from exc


def _moment(text: str) -> datetime:
    """An ISO-8601 time; without an offset it is UTC."""
    try:
        return parse_utc(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO-8601 time (for example 2024-05-01 or 2024-05-01T08:30:00Z)"
        ) from None


def _count(minimum: int) -> type[int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    parse.__name__ = "count"
    return parse  # type: ignore[return-value]


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not value > 0 or value != value or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text}")
    return value


def _option(text: str) -> tuple[str, Any]:
    """``--option KEY=VALUE``: one vendor option for ``jobs create``.

    The value is a string, except ``true``/``false`` (booleans) and values that start with
    ``[`` or ``{`` (JSON lists and objects, e.g. ``supported_service=["ASR"]``).
    """
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"{text!r} is not KEY=VALUE")
    if value in ("true", "false"):
        return key.strip(), value == "true"
    if value.startswith(("[", "{")):
        try:
            return key.strip(), json.loads(value)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{key.strip()}: {value!r} is not valid JSON"
            ) from None
    return key.strip(), value


def _connection_options() -> _Parser:
    """``--endpoint``, ``--region`` and ``--project-id``: where and as whom to connect."""
    common = _Parser(add_help=False)
    group = common.add_argument_group("connection (credentials come from the environment)")
    group.add_argument("--endpoint", metavar="URL", help="API endpoint (emulator, proxy, VPC)")
    group.add_argument("--region", metavar="R", help="region, e.g. cn-north-4 or cn-shanghai")
    group.add_argument(
        "--project-id", metavar="ID", dest="project_id", help="project id (Huawei only)"
    )
    return common


def _provider_option(required: bool) -> _Parser:
    parent = _Parser(add_help=False)
    if required:
        parent.add_argument(
            "-p", "--provider", required=True, help="provider id or alias (huawei, alibaba)"
        )
    else:
        parent.add_argument(
            "-p",
            "--provider",
            action="append",
            dest="providers",
            default=[],
            help="provider id or alias; repeat for several (default: every installed one)",
        )
    return parent


def _format_option(choices: tuple[str, ...]) -> _Parser:
    parent = _Parser(add_help=False)
    parent.add_argument(
        "--format",
        choices=choices,
        default="table",
        help="output format (default: table)",
    )
    return parent


def build_parser() -> _Parser:
    """The ``voiceclone`` parser. Each leaf command sets ``command`` to its handler's name."""
    from voiceclone import __version__

    parser = _Parser(
        prog="voiceclone",
        description="Manage voice-cloning jobs on several clouds through one neutral model.",
        epilog="Exit codes: 0 ok, 1 provider or API error, 2 usage or validation error.",
    )
    parser.add_argument("--version", action="version", version=f"voiceclone {__version__}")
    commands = parser.add_subparsers(dest="group", metavar="COMMAND", parser_class=_Parser)
    connection = _connection_options()
    one_provider = _provider_option(required=True)
    job_format = _format_option(JOB_FORMATS)
    summary_format = _format_option(SUMMARY_FORMATS)

    providers = commands.add_parser(
        "providers", parents=[summary_format], help="list the installed providers"
    )
    providers.set_defaults(command="providers")

    _add_jobs(commands, [one_provider, connection], job_format, summary_format)

    compare = commands.add_parser(
        "compare",
        parents=[_provider_option(required=False), connection, summary_format],
        help="summarise jobs side by side across providers",
    )
    compare.set_defaults(command="compare")

    emulator = commands.add_parser(
        "emulator", help="serve both vendor emulators on loopback until interrupted"
    )
    emulator.add_argument("--host", default="127.0.0.1", help="address (default: %(default)s)")
    emulator.add_argument("--port", type=_count(0), default=0, help="port (default: any free)")
    emulator.add_argument("--jobs", type=_count(0), default=40, help="sample jobs per vendor")
    emulator.add_argument("--faults", metavar="SPEC", help="fault injection, e.g. 'throttle=0.1'")
    emulator.set_defaults(command="emulator")

    demo = commands.add_parser(
        "demo", help="run the main job end to end on the built-in emulators (no account needed)"
    )
    demo.add_argument(
        "-p",
        "--provider",
        action="append",
        dest="providers",
        default=[],
        help="provider with an emulator; repeat for several (default: huawei and alibaba)",
    )
    demo.add_argument("--jobs", type=_count(0), default=40, help="sample jobs per vendor")
    demo.set_defaults(command="demo")
    return parser


def _add_jobs(
    commands: argparse._SubParsersAction[_Parser],
    common: list[_Parser],
    job_format: _Parser,
    summary_format: _Parser,
) -> None:
    jobs = commands.add_parser("jobs", help="list, show, create, submit, delete or wait for jobs")
    actions = jobs.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)

    listing = actions.add_parser("list", parents=[*common, job_format], help="list jobs")
    listing.add_argument(
        "--status",
        type=_status,
        action="append",
        default=[],
        metavar="S",
        help="neutral status (repeat or separate with commas): "
        + ", ".join(s.value for s in JobStatus),
    )
    listing.add_argument("--edition", metavar="E", help="vendor edition, e.g. BASIC or Standard")
    listing.add_argument("--voice-name", metavar="NAME", help="exact voice name")
    for bound in ("--created-since", "--created-until"):
        listing.add_argument(bound, type=_moment, metavar="T", help="ISO-8601; naive means UTC")
    listing.add_argument("--offset", type=_count(0), metavar="N", help="first row of a window")
    listing.add_argument("--limit", type=_count(1), metavar="N", help="rows in a window")
    listing.set_defaults(command="jobs_list")

    get = actions.add_parser("get", parents=[*common, job_format], help="show one job")
    get.add_argument("job_id", metavar="JOB_ID")
    get.set_defaults(command="jobs_get")

    create = actions.add_parser("create", parents=[*common, job_format], help="create a job")
    create.add_argument("--voice-name", required=True, metavar="NAME")
    create.add_argument("--gender", choices=("female", "male"))
    create.add_argument("--language", metavar="L", help="BCP-47 tag, e.g. zh or en")
    create.add_argument("--edition", metavar="E", help="vendor edition (default: the vendor's)")
    create.add_argument("--description", metavar="TEXT")
    create.add_argument("--voice-id", metavar="ID", help="client-chosen voice id (Alibaba)")
    create.add_argument(
        "--option",
        type=_option,
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="vendor option by its wire name (repeatable)",
    )
    create.add_argument(
        "--show-upload-urls",
        action="store_true",
        help="print the pre-signed upload URLs (they grant access: keep them private)",
    )
    create.set_defaults(command="jobs_create")

    for name, text in (("submit", "submit a job for training"), ("delete", "delete a job")):
        action = actions.add_parser(name, parents=[*common, summary_format], help=text)
        action.add_argument("job_id", metavar="JOB_ID")
        action.set_defaults(command=f"jobs_{name}")

    wait = actions.add_parser(
        "wait", parents=[*common, job_format], help="wait until a job succeeds or fails"
    )
    wait.add_argument("job_id", metavar="JOB_ID")
    wait.add_argument("--timeout", type=_seconds, default=3600.0, metavar="S", help="default 3600")
    wait.add_argument("--interval", type=_seconds, default=5.0, metavar="S", help="default 5")
    wait.set_defaults(command="jobs_wait")
