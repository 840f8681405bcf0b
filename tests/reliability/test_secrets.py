"""Secrets never leak: AK/SK, tokens, signatures and ``SecurityToken`` appear in no ``repr``, no
``str`` of an error, no log record at DEBUG and no CLI output, after a full run that includes
failures (throttling, 5xx, dropped connections, a wrong secret, unknown jobs).

Each provider runs behind a loopback emulator with distinctive credentials; every signature the
clients compute is recorded from the requests on the wire and scanned for too.
"""

from __future__ import annotations

import io
import logging
import urllib.parse
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import rel_calls
import rel_figures

import voiceclone
from voiceclone import NewJob, VoiceCloneError
from voiceclone._cli import main
from voiceclone.testing import FaultPlan, emulate

CREDENTIALS = {
    rel_calls.HUAWEI: {
        "ak": "HWAKIDLEAKCANARY0001",
        "sk": "hwSecretLeakCanary0001xyz",
        "auth_token": "MIIhwTokenLeakCanary0001",
    },
    rel_calls.ALIBABA: {
        "access_key_id": "LTAIakidLeakCanary01",
        "access_key_secret": "aliSecretLeakCanary01xyz",
        "security_token": "CAISstsTokenLeakCanary01",
    },
}
WRONG_SECRET = "wrongSecretLeakCanary99"
FAULTS = FaultPlan(
    seed=5, throttle_rate=0.15, server_error_rate=0.15, drop_rate=0.05, retry_after=0
)


class Scan:
    """Everything a user could see: reprs, error strings, log lines, CLI output, and the
    secrets (credentials and recorded signatures) that must appear in none of it."""

    def __init__(self, secrets: list[str]) -> None:
        self.secrets = set(secrets)
        self.texts: list[tuple[str, str]] = []

    def record_signature(self, request: httpx.Request) -> None:
        auth = request.headers.get("Authorization", "")
        if "Signature=" in auth:
            self.secrets.add(auth.rsplit("Signature=", 1)[1].strip())
        token = request.headers.get("X-Auth-Token")
        if token:
            self.secrets.add(token)
        query = dict(urllib.parse.parse_qsl(request.url.query.decode()))
        for key in ("Signature", "SecurityToken"):
            if query.get(key):
                self.secrets.add(query[key])

    def add(self, where: str, text: str) -> None:
        self.texts.append((where, text))

    def add_error(self, where: str, error: BaseException) -> None:
        self.add(f"{where} str", str(error))
        self.add(f"{where} repr", repr(error))
        for name, value in vars(error).items():
            self.add(f"{where} .{name}", repr(value))

    def leaks(self) -> list[tuple[str, str]]:
        found = []
        for where, text in self.texts:
            for secret in self.secrets:
                variants = {secret, urllib.parse.quote(secret, safe=""), urllib.parse.quote(secret)}
                if any(v and v in text for v in variants):
                    found.append((where, secret))
        return found


def _client(emulated: Any, scan: Scan, **overrides: Any) -> voiceclone.Client:
    hooks = {"request": [scan.record_signature]}
    http = httpx.Client(event_hooks=hooks)
    retry = voiceclone.RetryPolicy(retries=6, backoff_initial=0, jitter=0)
    return emulated.client(http_client=http, retry=retry, sleep=lambda _: None, **overrides)


def _exercise(client: voiceclone.Client, scan: Scan, new: NewJob, where: str) -> None:
    """A full session: list, page, get, create, submit, delete, and calls that fail."""

    def attempt(label: str, action: Any) -> None:
        try:
            result = action()
            scan.add(f"{where} {label} result", repr(result))
        except VoiceCloneError as error:
            scan.add_error(f"{where} {label}", error)

    scan.add(f"{where} repr client", repr(client))
    scan.add(f"{where} repr provider", repr(client.provider))
    scan.add(f"{where} repr auth", repr(client.provider.auth))
    attempt("list", lambda: list(client.list_jobs()))
    attempt("page", lambda: client.get_page(offset=3, limit=5))
    attempt("get unknown", lambda: client.get_job("no-such-job"))
    attempt("create", lambda: client.create_job(new))
    attempt("submit unknown", lambda: client.submit_job("no-such-job"))
    attempt("delete unknown", lambda: client.delete_job("no-such-job"))
    jobs = []
    attempt("list again", lambda: jobs.extend(client.list_jobs(max_items=3)))
    for job in jobs:
        attempt("get", lambda job=job: client.get_job(job.job_id))


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    caplog.set_level(logging.DEBUG)
    yield caplog


def _log_lines(caplog: pytest.LogCaptureFixture, own: bool) -> list[tuple[str, str]]:
    lines = []
    for record in caplog.records:
        mine = record.name.startswith("voiceclone")
        if mine == own:
            text = record.getMessage()
            if record.exc_info and record.exc_info[1] is not None:
                text += " " + repr(record.exc_info[1])
            lines.append((f"log {record.name}", text))
    return lines


def _session(provider: str, debug_logs: pytest.LogCaptureFixture) -> Scan:
    creds = CREDENTIALS[provider]
    scan = Scan([*creds.values(), WRONG_SECRET])
    options = dict(creds)
    if provider == rel_calls.HUAWEI:
        options.pop("auth_token")
    new = NewJob(voice_name="Leak", gender="female", language="zh")
    with emulate(provider, jobs=25, seed=3, faults=FAULTS, loopback=True, **options) as emulated:
        good = _client(emulated, scan)
        _exercise(good, scan, new, "good")
        secret_key = "sk" if provider == rel_calls.HUAWEI else "access_key_secret"
        bad = _client(emulated, scan, **{secret_key: WRONG_SECRET})
        _exercise(bad, scan, new, "wrong secret")
        if provider == rel_calls.HUAWEI:
            token = _client(emulated, scan, auth_token=creds["auth_token"])
            _exercise(token, scan, new, "token")
        assert emulated.stats.throttled and emulated.stats.server_errors
        rel_figures.add("secret_scan_requests", emulated.stats.requests)
    # The CLI retries with real sleeps, so it meets failures without injected faults.
    with emulate(provider, jobs=10, seed=3, loopback=True, **options) as emulated:
        _cli_session(provider, emulated, scan)
    return scan


def _cli_session(provider: str, emulated: Any, scan: Scan) -> None:
    env = dict(emulated.environment())
    short = "huawei" if provider == rel_calls.HUAWEI else "alibaba"
    if provider == rel_calls.ALIBABA:
        env["ALIBABA_CLOUD_SECURITY_TOKEN"] = CREDENTIALS[provider]["security_token"]
    wrong = dict(env)
    for key in wrong:
        if key.endswith(("_SK", "_SECRET")):
            wrong[key] = WRONG_SECRET
    runs = [
        (env, ["jobs", "list", "-p", short, "--format", "json"]),
        (env, ["jobs", "list", "-p", short, "--limit", "3", "--format", "csv"]),
        (env, ["jobs", "get", "-p", short, "no-such-job"]),
        (env, ["jobs", "get", "-p", short, "no-such-job", "--format", "json"]),
        (env, ["jobs", "create", "-p", short, "--voice-name", "Cli", "--gender", "female"]),
        (env, ["compare", "-p", short]),
        (wrong, ["jobs", "list", "-p", short]),
        (wrong, ["jobs", "list", "-p", short, "--format", "json"]),
        (env, ["providers", "--format", "json"]),
    ]
    for environ, argv in runs:
        out, err = io.StringIO(), io.StringIO()
        code = main(argv, stdout=out, stderr=err, environ=environ)
        scan.add(f"cli {argv} stdout", out.getvalue())
        scan.add(f"cli {argv} stderr (exit {code})", err.getvalue())


@pytest.mark.parametrize("provider", rel_calls.PROVIDERS)
def test_no_secret_in_reprs_errors_own_logs_or_cli_output(
    provider: str, debug_logs: pytest.LogCaptureFixture
) -> None:
    scan = _session(provider, debug_logs)
    for where, text in _log_lines(debug_logs, own=True):
        scan.add(where, text)
    signatures = len(scan.secrets) - len(CREDENTIALS[provider]) - 1
    assert signatures >= 10, "the run must have signed requests to scan for"
    assert any("wrong secret" in where and "str" in where for where, _ in scan.texts)
    cli_failures = [t for where, t in scan.texts if "(exit 1)" in where and t.strip()]
    assert len(cli_failures) >= 3, "the CLI run must include failures"
    assert scan.leaks() == []
    rel_figures.add("secret_scan_texts", len(scan.texts))
    rel_figures.add("secret_scan_secrets", len(scan.secrets))


@pytest.mark.parametrize(
    "provider",
    [
        rel_calls.HUAWEI,
        rel_calls.ALIBABA,
    ],
)
def test_no_secret_in_third_party_debug_logs(
    provider: str, debug_logs: pytest.LogCaptureFixture
) -> None:
    scan = _session(provider, debug_logs)
    scan.texts = _log_lines(debug_logs, own=False)
    assert scan.texts, "httpx and httpcore log at DEBUG; there must be records to scan"
    assert scan.leaks() == []


def test_alibaba_signature_mismatch_message_withholds_the_string_to_sign() -> None:
    """The gateway's SignatureDoesNotMatch message quotes the server's string-to-sign, which
    holds the AccessKeyId and the SecurityToken: the error must not carry it."""
    creds = CREDENTIALS[rel_calls.ALIBABA]
    with emulate(rel_calls.ALIBABA, loopback=False, **creds) as emulated:
        client = emulated.client(access_key_secret=WRONG_SECRET)
        with pytest.raises(voiceclone.AuthenticationError) as caught:
            client.get_job("j1")
    error = caught.value
    assert error.code == "SignatureDoesNotMatch"
    text = str(error) + repr(error) + repr(vars(error))
    for secret in (*creds.values(), WRONG_SECRET):
        assert secret not in text
        assert urllib.parse.quote(secret, safe="") not in text
    assert "withheld" in error.message
