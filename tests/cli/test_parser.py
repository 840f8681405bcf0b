"""The command line grammar: every usage error exits 2 with one line naming the problem."""

from __future__ import annotations

import io
import json
from datetime import datetime, timezone

import pytest

from voiceclone import JobStatus
from voiceclone._cli import main
from voiceclone._cli._parser import UsageError, build_parser


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err, environ={})
    return code, out.getvalue(), err.getvalue()


def test_help_lists_every_command_and_exits_0() -> None:
    code, out, err = run("--help")
    assert code == 0
    for command in ("providers", "jobs", "compare", "emulator", "demo"):
        assert command in out
    assert err == ""


@pytest.mark.parametrize("action", ["list", "get", "create", "submit", "delete", "wait"])
def test_every_jobs_action_has_help(action: str) -> None:
    code, out, _ = run("jobs", action, "--help")
    assert code == 0
    assert f"voiceclone jobs {action}" in out
    assert "--endpoint" in out and "--project-id" in out


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        ((), "missing command"),
        (("jobs",), "missing action"),
        (("frobnicate",), "invalid choice"),
        (("jobs", "list"), "-p/--provider"),
        (("jobs", "get", "-p", "huawei"), "JOB_ID"),
        (("jobs", "create", "-p", "huawei"), "--voice-name"),
        (("jobs", "list", "-p", "huawei", "--format", "xml"), "--format"),
        (("jobs", "list", "-p", "huawei", "--status", "done"), "--status"),
        (("jobs", "list", "-p", "huawei", "--created-since", "yesterday"), "--created-since"),
        (("jobs", "list", "-p", "huawei", "--created-until", "2024-13-01"), "--created-until"),
        (("jobs", "list", "-p", "huawei", "--limit", "0"), "--limit"),
        (("jobs", "list", "-p", "huawei", "--offset", "-1"), "--offset"),
        (("jobs", "list", "-p", "huawei", "--offset", "x"), "--offset"),
        (("jobs", "wait", "-p", "huawei", "j", "--timeout", "0"), "--timeout"),
        (("jobs", "wait", "-p", "huawei", "j", "--interval", "soon"), "--interval"),
        (("jobs", "create", "-p", "huawei", "--voice-name", "v", "--option", "x"), "--option"),
        (("jobs", "create", "-p", "huawei", "--voice-name", "v", "--gender", "f"), "--gender"),
        (("providers", "--format", "csv"), "--format"),
    ],
)
def test_usage_errors_exit_2_with_one_line_naming_the_problem(
    argv: tuple[str, ...], named: str
) -> None:
    code, out, err = run(*argv)
    assert code == 2
    assert out == ""
    assert err.startswith("error: ")
    assert err.count("\n") == 1
    assert named in err


def test_a_usage_error_is_json_when_json_was_asked_for() -> None:
    code, _, err = run("jobs", "list", "-p", "huawei", "--limit", "0", "--format", "json")
    assert code == 2
    error = json.loads(err)["error"]
    assert error["type"] == "UsageError"
    assert "--limit" in error["message"]


def test_statuses_repeat_or_come_comma_separated_in_any_case() -> None:
    args = build_parser().parse_args(
        ["jobs", "list", "-p", "x", "--status", "Training,queued", "--status", "FAILED"]
    )
    assert [s for group in args.status for s in group] == [
        JobStatus.TRAINING,
        JobStatus.QUEUED,
        JobStatus.FAILED,
    ]


def test_times_are_iso_8601_and_naive_means_utc() -> None:
    args = build_parser().parse_args(
        ["jobs", "list", "-p", "x", "--created-since", "2024-05-01", "--created-until",
         "2024-05-02T10:00:00+08:00"]
    )  # fmt: skip
    assert args.created_since == datetime(2024, 5, 1, tzinfo=timezone.utc)
    assert args.created_until == datetime(2024, 5, 2, 2, tzinfo=timezone.utc)


def test_options_are_strings_except_booleans_and_json() -> None:
    args = build_parser().parse_args(
        ["jobs", "create", "-p", "x", "--voice-name", "v", "--option", "phone=0123",
         "--option", "is_ondemand_resource=true", "--option", 'supported_service=["ASR"]',
         "--option", "custom_text=a=b"]
    )  # fmt: skip
    assert dict(args.option) == {
        "phone": "0123",
        "is_ondemand_resource": True,
        "supported_service": ["ASR"],
        "custom_text": "a=b",
    }


def test_the_parser_raises_instead_of_exiting() -> None:
    with pytest.raises(UsageError, match="--limit"):
        build_parser().parse_args(["jobs", "list", "-p", "x", "--limit", "none"])


def test_unknown_provider_exits_2_with_a_suggestion() -> None:
    code, _, err = run("jobs", "list", "-p", "huawie")
    assert code == 2
    assert "did you mean 'huawei'" in err
    assert err.count("\n") == 1


def test_project_id_for_a_provider_without_one_is_a_usage_error() -> None:
    code, _, err = run("jobs", "list", "-p", "alibaba", "--project-id", "p1")
    assert code == 2
    assert "--project-id" in err and "alibaba-ice" in err


def test_since_after_until_is_a_usage_error_naming_the_option() -> None:
    code, _, err = run(
        "jobs", "list", "-p", "huawei", "--created-since", "2024-06-01",
        "--created-until", "2024-05-01",
    )  # fmt: skip
    assert code == 2
    assert "--created-since" in err


def test_an_invalid_new_job_fails_before_connecting() -> None:
    # No endpoint and no credentials: the validation error must come first.
    code, _, err = run("jobs", "create", "-p", "huawei", "--voice-name", " ", "--format", "json")
    assert code == 2
    error = json.loads(err)["error"]
    assert error["type"] == "ValidationError"
    assert error["field"] == "voice_name"
