"""The example plugin as a user meets it: installed separately, found through its entry point,
driven from the CLI, and its vendor-specific behaviour (nonces, dates, lifecycle, quota)."""

from __future__ import annotations

import importlib.metadata
import io
import json
from datetime import datetime, timedelta, timezone

import httpx
import pytest

import voiceclone
from voiceclone import AuthenticationError, JobStatus, NewJob
from voiceclone._cli import main
from voiceclone.adapter import EmulatorClock
from voiceclone.testing import EmulatorTransport, emulate


def test_installed_as_its_own_distribution_and_found_by_providers() -> None:
    dist = importlib.metadata.distribution("voiceclone-acme")
    groups = {(ep.group, ep.name, ep.value) for ep in dist.entry_points}
    assert ("voiceclone.providers", "acme-voice", "voiceclone_acme:PROVIDER") in groups
    assert "acme-voice" in [spec.id for spec in voiceclone.providers()]
    assert voiceclone.resolve_provider("ACME").id == "acme-voice"


def _cli(*argv: str, environ: dict[str, str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err, environ=environ)
    return code, out.getvalue(), err.getvalue()


def test_cli_lists_and_gets_jobs_on_the_loopback_emulator() -> None:
    with emulate("acme", jobs=23, seed=5, loopback=True) as emulated:
        environ = emulated.environment()
        code, out, err = _cli("providers", "--format", "json", environ=environ)
        assert code == 0, err
        assert "acme-voice" in out
        code, out, err = _cli("jobs", "list", "-p", "acme", "--format", "jsonl", environ=environ)
        assert code == 0, err
        rows = [json.loads(line) for line in out.splitlines()]
        assert {row["job_id"] for row in rows} == emulated.emulator.job_ids()
        records = emulated.emulator.jobs()
        for row in rows:
            assert row["raw_status"] == records[row["job_id"]]["status"]
            assert row["status"] == voiceclone.JobStatus(row["status"]).value
        first = rows[0]["job_id"]
        code, out, err = _cli(
            "jobs", "get", "-p", "acme", first, "--format", "json", environ=environ
        )
        assert code == 0, err
        assert json.loads(out)["job_id"] == first


def test_cli_reports_a_rejected_signature_as_a_provider_error() -> None:
    with emulate("acme", jobs=3, loopback=True) as emulated:
        environ = {**emulated.environment(), "ACME_VOICE_KEY_SECRET": "wrong-secret"}
        code, _, err = _cli("jobs", "list", "-p", "acme", environ=environ)
    assert code == 1
    assert "signature" in err and "wrong-secret" not in err


def test_a_nonce_is_accepted_once() -> None:
    with emulate("acme", jobs=3) as emulated:
        adapter = voiceclone.resolve_provider("acme").create(**emulated.settings())
        job_id = sorted(emulated.emulator.job_ids())[0]
        call = adapter.get_job(job_id)
        signed = next(adapter.auth.sync_auth_flow(call.request))
        with httpx.Client(transport=EmulatorTransport(emulated.emulator)) as http:
            assert call.parse(http.send(signed)).job_id == job_id
            with pytest.raises(AuthenticationError, match="nonce"):
                call.parse(http.send(signed))


def test_a_stale_date_is_rejected() -> None:
    class Stale:
        def now(self) -> float:
            return datetime.now(timezone.utc).timestamp() - 3600

    from voiceclone_acme._adapter import HmacAuth

    with emulate("acme", jobs=1) as emulated:
        settings = emulated.settings()
        auth = HmacAuth(settings["key_id"], settings["key_secret"], clock=Stale())
        adapter = voiceclone.resolve_provider("acme").create(**settings)
        call = adapter.get_job(sorted(emulated.emulator.job_ids())[0])
        http = httpx.Client(transport=EmulatorTransport(emulated.emulator))
        with http, pytest.raises(AuthenticationError, match="minutes"):
            call.parse(http.send(call.request, auth=auth))


def test_a_submitted_job_trains_on_the_emulator_clock() -> None:
    clock = EmulatorClock(start=1_700_000_000)
    with emulate("acme", clock=clock) as emulated:
        client = emulated.client(sleep=clock.advance)
        created = client.create_job(NewJob(voice_name="Nova", gender="male", language="de"))
        assert created.uploads[0].purpose == "training_data"
        assert created.job.language == "de-DE"
        client.submit_job(created.job.job_id)
        assert client.get_job(created.job.job_id).status is JobStatus.REVIEWING
        seen: list[JobStatus] = []
        final = client.wait_for_job(
            created.job.job_id, timeout=3600, interval=30, on_change=lambda j: seen.append(j.status)
        )
        assert final.status is JobStatus.SUCCEEDED and final.voice_id
        assert JobStatus.TRAINING in seen
        assert final.updated_at == datetime.fromtimestamp(1_700_000_000 + 780, timezone.utc)
        assert final.updated_at - final.created_at == timedelta(seconds=780)


def test_the_vendor_only_quota_call_goes_through_the_client() -> None:
    with emulate("acme", jobs=21) as emulated:
        client = emulated.client()
        quota = client.call(client.provider.get_quota())  # type: ignore[attr-defined]
        ready = sum(1 for job in client.list_jobs() if job.status is JobStatus.SUCCEEDED)
        assert (quota.voices_used, quota.voices_limit) == (ready, 1000)
