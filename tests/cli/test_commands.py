"""Every subcommand and output format, in-process against the vendors' loopback emulators."""

from __future__ import annotations

import csv
import io
import json
import time
from datetime import timedelta
from typing import Any

import pytest

import voiceclone
from voiceclone import JobStatus, VoiceCloningJob, from_dict, to_dict
from voiceclone.testing import emulator_providers

from .conftest import TRAINABLE, Run, Serve

FORMATS = ("table", "json", "jsonl", "csv")


def parse(fmt: str, text: str) -> list[dict[str, Any]]:
    """The rows a machine format printed (job ids for table)."""
    if fmt == "json":
        data = json.loads(text)
        return data if isinstance(data, list) else [data]
    if fmt == "jsonl":
        return [json.loads(line) for line in text.splitlines()]
    return list(csv.DictReader(io.StringIO(text)))


def table_ids(text: str, ids: set[str]) -> set[str]:
    return {word for line in text.splitlines() for word in line.split() if word in ids}


def test_providers_lists_the_installed_providers(run: Run) -> None:
    table = run("providers")
    assert table.code == 0
    assert "huawei-metastudio" in table.out and "alibaba-ice" in table.out
    data = run("providers", "--format", "json")
    ids = [item["id"] for item in json.loads(data.out)]
    assert ids == sorted(spec.id for spec in voiceclone.providers())
    huawei = next(p for p in json.loads(data.out) if p["id"] == "huawei-metastudio")
    assert "huawei" in huawei["aliases"] and "project_id" in huawei["settings"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_jobs_list_prints_every_job_in_every_format(
    run: Run, serve: Serve, provider: str, fmt: str
) -> None:
    emulated = serve(provider)
    result = run("jobs", "list", "-p", provider, "--format", fmt)
    assert result.code == 0, result.err
    expected = set(emulated.emulator.job_ids())
    if fmt == "table":
        assert table_ids(result.out, expected) == expected
        assert f"{len(expected)} jobs" in result.out
        return
    rows = parse(fmt, result.out)
    assert {row["job_id"] for row in rows} == expected and len(rows) == len(expected)
    assert {row["provider"] for row in rows} == {provider}
    assert all(row["status"] in {s.value for s in JobStatus} for row in rows)
    if fmt == "csv":
        assert "extra" not in rows[0] and "failure_code" in rows[0]
    else:
        assert all(isinstance(row["extra"], dict) and row["extra"] for row in rows)
        assert all(row["created_at"].endswith("Z") for row in rows)


def test_jobs_list_accepts_aliases_and_matches_the_library(run: Run, serve: Serve) -> None:
    emulated = serve("huawei-metastudio", jobs=30)
    result = run("jobs", "list", "-p", "HUAWEI", "--format", "json")
    with emulated.client() as client:
        library = [to_dict(job) for job in client.list_jobs()]
    assert json.loads(result.out) == library


def test_jobs_list_filters_by_status_and_edition(run: Run, serve: Serve, provider: str) -> None:
    emulated = serve(provider, jobs=30)
    with emulated.client() as client:
        jobs = list(client.list_jobs())
    wanted = {JobStatus.SUCCEEDED, JobStatus.FAILED}
    edition = jobs[0].edition or ""
    result = run(
        "jobs", "list", "-p", provider, "--status", "succeeded", "--status", "FAILED",
        "--edition", edition, "--format", "jsonl",
    )  # fmt: skip
    assert result.code == 0, result.err
    expected = {j.job_id for j in jobs if j.status in wanted and j.edition == edition}
    assert {row["job_id"] for row in parse("jsonl", result.out)} == expected


def test_jobs_list_filters_by_creation_time(run: Run, serve: Serve, provider: str) -> None:
    emulated = serve(provider, jobs=30)
    with emulated.client() as client:
        jobs = sorted(client.list_jobs(), key=lambda j: j.created_at or 0)  # type: ignore[arg-type, return-value]
    middle = jobs[len(jobs) // 2].created_at
    assert middle is not None
    since = (middle - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%S")  # naive: UTC
    until = middle.strftime("%Y-%m-%dT%H:%M:%SZ")
    result = run(
        "jobs", "list", "-p", provider, "--created-since", since, "--created-until", until,
        "--format", "csv",
    )  # fmt: skip
    assert result.code == 0, result.err
    low, high = middle.replace(microsecond=0) - timedelta(days=3), middle.replace(microsecond=0)
    expected = {j.job_id for j in jobs if j.created_at and low <= j.created_at <= high}
    assert {row["job_id"] for row in parse("csv", result.out)} == expected
    assert expected


@pytest.mark.parametrize("fmt", FORMATS)
def test_jobs_list_window_is_the_page_the_library_returns(
    run: Run, serve: Serve, provider: str, fmt: str
) -> None:
    emulated = serve(provider, jobs=25)
    result = run("jobs", "list", "-p", provider, "--offset", "7", "--limit", "6", "--format", fmt)
    assert result.code == 0, result.err
    with emulated.client() as client:
        page = client.get_page(offset=7, limit=6)
    expected = [job.job_id for job in page.items]
    assert len(expected) == 6
    if fmt == "table":
        lines = result.out.splitlines()
        assert [line.split()[1] for line in lines[1:7]] == expected
        assert lines[-1].startswith("jobs 8-13")
    else:
        assert [row["job_id"] for row in parse(fmt, result.out)] == expected


def test_an_explicit_endpoint_wins_over_the_environment(
    run: Run, serve: Serve, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(time, "sleep", lambda seconds: None)  # no real retry back-off
    emulated = serve("alibaba-ice", jobs=3)
    monkeypatch.setenv("VOICECLONE_ALIBABA_ENDPOINT", "http://127.0.0.1:9")  # nothing there
    bad = run("jobs", "list", "-p", "alibaba")
    assert bad.code == 1 and bad.err.startswith("error: ")
    good = run("jobs", "list", "-p", "alibaba", "--endpoint", emulated.endpoint, "--format", "json")
    assert good.code == 0 and len(json.loads(good.out)) == 3


@pytest.mark.parametrize("fmt", FORMATS)
def test_jobs_get_shows_one_job(run: Run, serve: Serve, provider: str, fmt: str) -> None:
    emulated = serve(provider, jobs=5)
    job_id = sorted(emulated.emulator.job_ids())[0]
    result = run("jobs", "get", "-p", provider, job_id, "--format", fmt)
    assert result.code == 0, result.err
    if fmt == "table":
        assert job_id in result.out and "status" in result.out
        return
    (row,) = parse(fmt, result.out)
    assert row["job_id"] == job_id
    if fmt != "csv":
        with emulated.client() as client:
            assert from_dict(VoiceCloningJob, row) == client.get_job(job_id)


def test_an_api_error_exits_1_with_one_line(run: Run, serve: Serve, provider: str) -> None:
    serve(provider, jobs=2)
    result = run("jobs", "get", "-p", provider, "no-such-job-0000")
    assert result.code == 1
    assert result.out == ""
    assert result.err.startswith("error: ") and result.err.count("\n") == 1
    assert provider in result.err


def test_an_api_error_is_a_json_object_with_format_json(
    run: Run, serve: Serve, provider: str
) -> None:
    serve(provider, jobs=2)
    result = run("jobs", "get", "-p", provider, "no-such-job-0000", "--format", "json")
    assert result.code == 1
    error = json.loads(result.err)["error"]
    assert error["type"] == "NotFoundError"
    assert error["provider"] == provider and error["code"]
    assert set(error) >= {"message", "code", "request_id", "status_code"}


def test_wrong_credentials_exit_1_and_never_print_the_secret(
    run: Run, serve: Serve, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve("huawei-metastudio", jobs=2)
    secret = "definitely-wrong-secret-key-123"
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", secret)
    result = run("jobs", "list", "-p", "huawei", "--format", "json")
    assert result.code == 1
    assert json.loads(result.err)["error"]["type"] == "AuthenticationError"
    assert secret not in result.out + result.err


def test_a_project_id_the_service_does_not_know_is_an_api_error(run: Run, serve: Serve) -> None:
    serve("huawei-metastudio", jobs=2)
    result = run("jobs", "list", "-p", "huawei", "--project-id", "f" * 32)
    assert result.code == 1
    assert result.err.startswith("error: ")


def _create(run: Run, provider: str, *extra: str) -> dict[str, Any]:
    result = run(
        "jobs", "create", "-p", provider, "--voice-name", "CLI voice", "--gender", "female",
        "--language", "zh", "--format", "json", *extra,
    )  # fmt: skip
    assert result.code == 0, result.err
    created: dict[str, Any] = json.loads(result.out)
    return created


def test_create_submit_wait_delete(run: Run, serve: Serve, provider: str) -> None:
    emulated = serve(provider, jobs=0, **TRAINABLE.get(provider, {}))
    created = _create(run, provider)
    job_id = created["job"]["job_id"]
    assert created["job"]["status"] == "created"
    assert all("url" not in upload for upload in created["uploads"])
    assert job_id in emulated.emulator.job_ids()

    submitted = run("jobs", "submit", "-p", provider, job_id)
    assert submitted.code == 0 and job_id in submitted.out
    again = run("jobs", "submit", "-p", provider, job_id)
    assert again.code == 1  # the vendor refuses a second submission

    emulated.emulator.clock.advance(24 * 3600)  # training is over: no waiting in the test
    waited = run("jobs", "wait", "-p", provider, job_id, "--format", "json", "--interval", "1")
    assert waited.code == 0, waited.err
    assert json.loads(waited.out)["status"] == "succeeded"
    assert f"{job_id}  succeeded" in waited.err

    deleted = run("jobs", "delete", "-p", provider, job_id, "--format", "json")
    if provider == "alibaba-ice":  # ICE keeps trained voices
        assert deleted.code == 1 and json.loads(deleted.err)["error"]["type"] == "ConflictError"
    else:
        assert deleted.code == 0, deleted.err
        assert json.loads(deleted.out) == {
            "provider": provider,
            "job_id": job_id,
            "result": "deleted",
        }
        assert run("jobs", "get", "-p", provider, job_id).code == 1


def test_delete_an_unsubmitted_job(run: Run, serve: Serve, provider: str) -> None:
    emulated = serve(provider, jobs=0)
    job_id = _create(run, provider)["job"]["job_id"]
    result = run("jobs", "delete", "-p", provider, job_id)
    assert result.code == 0, result.err
    assert result.out.strip() == f"deleted job {job_id} on {provider}"
    assert job_id not in emulated.emulator.job_ids()


def test_create_in_table_form_and_with_vendor_options(run: Run, serve: Serve) -> None:
    serve("huawei-metastudio", jobs=0)
    result = run(
        "jobs", "create", "-p", "huawei", "--voice-name", "温柔", "--edition", "middle",
        "--option", "create_type=SEGMENT", "--option", "is_ondemand_resource=false",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert "温柔" in result.out and "MIDDLE" in result.out
    bad = run("jobs", "create", "-p", "huawei", "--voice-name", "v", "--option", "colour=red")
    assert bad.code == 2 and "options.colour" in bad.err


def test_upload_urls_only_on_request(run: Run, serve: Serve) -> None:
    serve("huawei-metastudio", jobs=0)
    shown = _create(run, "huawei", "--show-upload-urls")
    assert shown["uploads"] and all(u["url"].startswith("http") for u in shown["uploads"])


def test_wait_exits_1_when_the_job_fails(run: Run, serve: Serve, provider: str) -> None:
    emulated = serve(provider, jobs=0, failure_rate=1.0, **TRAINABLE.get(provider, {}))
    job_id = _create(run, provider)["job"]["job_id"]
    assert run("jobs", "submit", "-p", provider, job_id).code == 0
    emulated.emulator.clock.advance(24 * 3600)
    result = run("jobs", "wait", "-p", provider, job_id, "--format", "json")
    assert result.code == 1
    assert json.loads(result.out)["status"] == "failed"  # the last state seen, on stdout
    assert json.loads(result.err.splitlines()[-1])["error"]["type"] == "JobFailedError"


def test_wait_exits_1_at_the_deadline(run: Run, serve: Serve, provider: str) -> None:
    serve(provider, jobs=0, **TRAINABLE.get(provider, {}))
    job_id = _create(run, provider)["job"]["job_id"]
    result = run("jobs", "wait", "-p", provider, job_id, "--timeout", "0.000001")
    assert result.code == 1
    assert "did not finish within" in result.err.splitlines()[-1]
    assert f"{job_id}  created" in result.err


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_compare_named_providers_side_by_side(run: Run, serve: Serve, fmt: str) -> None:
    huawei, alibaba = serve("huawei-metastudio", jobs=20), serve("alibaba-ice", jobs=15)
    result = run("compare", "-p", "alibaba", "-p", "huawei", "-p", "ice", "--format", fmt)
    assert result.code == 0, result.err
    if fmt == "table":
        heading = result.out.splitlines()[0]
        assert heading.index("alibaba-ice") < heading.index("huawei-metastudio")
        assert "success rate" in result.out and "median to success" in result.out
        return
    data = {item["provider"]: item for item in json.loads(result.out)}
    assert list(data) == ["alibaba-ice", "huawei-metastudio"]
    assert data["huawei-metastudio"]["total"] == len(huawei.emulator.job_ids())
    assert data["alibaba-ice"]["total"] == len(alibaba.emulator.job_ids())
    assert sum(data["alibaba-ice"]["by_status"].values()) == 15
    assert data["alibaba-ice"]["median_seconds_to_success"] is None  # ICE reports no end time
    assert data["huawei-metastudio"]["median_seconds_to_success"] > 0


def test_compare_without_providers_covers_every_installed_one(run: Run, serve: Serve) -> None:
    names = emulator_providers()
    for name in names:
        serve(name, jobs=4)
    result = run("compare", "--format", "json")
    assert result.code == 0, result.err
    assert [item["provider"] for item in json.loads(result.out)] == names


def test_compare_reports_a_provider_that_fails_and_exits_1(
    run: Run, serve: Serve, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(time, "sleep", lambda seconds: None)  # no real retry back-off
    serve("huawei-metastudio", jobs=4)
    serve("alibaba-ice", jobs=4)
    monkeypatch.setenv("VOICECLONE_ALIBABA_ENDPOINT", "http://127.0.0.1:9")
    result = run("compare", "-p", "huawei", "-p", "alibaba", "--format", "json")
    assert result.code == 1
    assert [item["provider"] for item in json.loads(result.out)] == ["huawei-metastudio"]
    assert result.err.startswith("error: alibaba-ice: ")


def test_emulator_command_prints_settings_that_the_cli_uses(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    import voiceclone.testing as testing

    original = testing.run_emulator_command
    seen: dict[str, Any] = {}

    def once(**kwargs: Any) -> int:
        seen.update(kwargs)
        return original(**kwargs, providers=["huawei-metastudio"], wait=lambda: None)

    monkeypatch.setattr(testing, "run_emulator_command", once)
    result = run("emulator", "--jobs", "3", "--faults", "5xx=0.0")
    assert result.code == 0, result.err
    assert seen["jobs"] == 3 and seen["host"] == "127.0.0.1" and seen["faults"] == "5xx=0.0"
    assert "export VOICECLONE_HUAWEI_ENDPOINT=" in result.out
    assert "voiceclone jobs list -p huawei" in result.out


def test_emulator_refuses_a_bad_fault_spec(run: Run) -> None:
    result = run("emulator", "--faults", "gremlins=lots")
    assert result.code == 2
    assert result.err.startswith("error: ") and "faults" in result.err.lower()


def test_emulator_refuses_a_public_address(run: Run) -> None:
    result = run("emulator", "--host", "0.0.0.0")
    assert result.code == 2
    assert "loopback" in result.err
