"""The ICE emulator in-process (``httpx.MockTransport``): signature edge cases, the lifecycle on
the clock, the failure branch, seeded data, churn and the fault shapes."""

from __future__ import annotations

import json
import random
import threading
import time
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from aliyunsdkcore.auth.composer.rpc_signature_composer import get_signed_url

from voiceclone.adapter import Emulator, EmulatorClock
from voiceclone_ice._emulator import (
    DEFAULT_ACCESS_KEY_ID,
    DEFAULT_ACCESS_KEY_SECRET,
    DEFAULT_SECURITY_TOKEN,
    IceEmulator,
)
from voiceclone_ice._emulator_auth import string_to_sign
from voiceclone_ice._emulator_store import DEFAULT_STAGE_SECONDS, FAILURE_MESSAGES

ENDPOINT = "https://ice.cn-shanghai.aliyuncs.com"
STAGES = {"AudioDetecting": 10.0, "PreTraining": 20.0, "Training": 30.0}


def _signed_url(
    action: str,
    params: dict[str, object] | None = None,
    *,
    method: str = "POST",
    secret: str = DEFAULT_ACCESS_KEY_SECRET,
    token: str | None = None,
) -> str:
    """A URL signed by aliyunsdkcore's own composer (the SDK's code path)."""
    query = {k: str(v) for k, v in (params or {}).items()}
    query.update({"Action": action, "Version": "2020-11-09", "RegionId": "cn-shanghai"})
    if token is not None:
        query["SecurityToken"] = token
    path, _ = get_signed_url(query, DEFAULT_ACCESS_KEY_ID, secret, "JSON", method, {})
    return ENDPOINT + path


def _send(emulator: IceEmulator, url: str, method: str = "POST", **kw: Any) -> httpx.Response:
    return emulator.handle(httpx.Request(method, url, **kw))


def _call(emulator: IceEmulator, action: str, **params: object) -> httpx.Response:
    return _send(emulator, _signed_url(action, params))


def _ok(emulator: IceEmulator, action: str, **params: object) -> Any:
    response = _call(emulator, action, **params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["Success"] is True and body["RequestId"]
    return body.get("Data")


def _code(response: httpx.Response) -> tuple[int, str]:
    body = response.json()
    assert set(body) == {"RequestId", "HostId", "Code", "Message", "Recommend"}
    return response.status_code, body["Code"]


@pytest.fixture
def clock() -> EmulatorClock:
    return EmulatorClock(start=1_700_000_000.0, speed=0)


@pytest.fixture
def emulator(clock: EmulatorClock) -> IceEmulator:
    return IceEmulator(seed=3, clock=clock, stage_seconds=STAGES, required_recordings=0)


def test_implements_the_emulator_protocol(emulator: IceEmulator) -> None:
    assert isinstance(emulator, Emulator)
    assert emulator.provider_id == "alibaba-ice"
    assert DEFAULT_ACCESS_KEY_SECRET not in repr(emulator)


# -- signatures --------------------------------------------------------------------------


def test_accepts_the_oracles_fixed_request() -> None:
    # reference §4: the oracle's request signs to +cNJ1Ukuwj/LibsaxYmn8o2O5bI= with these inputs
    emulator = IceEmulator(
        access_key_id="testAccessKeyId",
        access_key_secret="testAccessKeySecret",
        check_timestamp=False,
    )
    params = {
        "AccessKeyId": "testAccessKeyId",
        "Action": "ListCustomizedVoiceJobs",
        "Format": "JSON",
        "PageNo": "2",
        "PageSize": "50",
        "RegionId": "cn-shanghai",
        "Signature": "+cNJ1Ukuwj/LibsaxYmn8o2O5bI=",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "0123456789abcdef0123456789abcdef",
        "SignatureType": "",
        "SignatureVersion": "1.0",
        "Timestamp": "2024-01-02T03:04:05Z",
        "Type": "Standard",
        "Version": "2020-11-09",
    }
    response = _send(emulator, f"{ENDPOINT}/?{urlencode(params)}")
    assert response.status_code == 200
    assert response.json()["Data"] == {"CustomizedVoiceJobList": [], "TotalCount": 0}
    tampered = dict(params, PageNo="3", SignatureNonce="1" * 32)
    rejected = _send(emulator, f"{ENDPOINT}/?{urlencode(tampered)}")
    assert _code(rejected) == (400, "SignatureDoesNotMatch")
    assert rejected.json()["Message"].endswith(
        string_to_sign("POST", {k: v for k, v in tampered.items() if k != "Signature"})
    )


def test_tampered_signature_and_tampered_parameter_are_rejected(emulator: IceEmulator) -> None:
    url = _signed_url("ListCustomizedVoiceJobs", {"PageSize": 5})
    flipped = url.replace("Signature=", "Signature=A", 1)
    assert _code(_send(emulator, flipped)) == (400, "SignatureDoesNotMatch")
    widened = url.replace("PageSize=5", "PageSize=6")
    assert _code(_send(emulator, widened)) == (400, "SignatureDoesNotMatch")
    as_get = _send(emulator, url, method="GET")  # the method is part of the string to sign
    assert _code(as_get) == (400, "SignatureDoesNotMatch")
    assert _send(emulator, url).status_code == 200


def test_nonce_reuse_is_rejected_after_success(emulator: IceEmulator) -> None:
    url = _signed_url("ListCustomizedVoiceJobs")
    assert _send(emulator, url).status_code == 200
    assert _code(_send(emulator, url)) == (400, "SignatureNonceUsed")


def test_get_and_form_body_parameters_are_accepted(emulator: IceEmulator) -> None:
    assert _send(emulator, _signed_url("ListCustomizedVoiceJobs", method="GET"), "GET").is_success
    query = {"Action": "ListCustomizedVoiceJobs", "Version": "2020-11-09"}
    body = {"PageSize": "7", "Type": "Standard"}
    path, _ = get_signed_url(
        query, DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, "JSON", "POST", body
    )
    response = _send(
        emulator,
        ENDPOINT + path,
        content=urlencode(body).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 200, response.text


def test_timestamp_window_and_format() -> None:
    emulator = IceEmulator()
    stale = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 16 * 60))
    url = httpx.URL(_signed_url("ListCustomizedVoiceJobs"))
    expired = url.copy_set_param("Timestamp", stale)
    assert _code(_send(emulator, str(expired))) == (400, "InvalidTimeStamp.Expired")
    malformed = url.copy_set_param("Timestamp", "yesterday")
    assert _code(_send(emulator, str(malformed))) == (400, "InvalidTimeStamp.Format")
    lenient = IceEmulator(check_timestamp=False)
    assert _code(_send(lenient, str(expired))) == (400, "SignatureDoesNotMatch")


def test_missing_common_parameters_and_methods(emulator: IceEmulator) -> None:
    url = httpx.URL(_signed_url("ListCustomizedVoiceJobs"))
    for name in ("Signature", "SignatureNonce", "AccessKeyId", "Action", "Version"):
        stripped = url.copy_remove_param(name)
        assert _code(_send(emulator, str(stripped))) == (400, f"Missing{name}")
    assert _code(_send(emulator, str(url), "DELETE")) == (400, "UnsupportedHTTPMethod")
    other_version = url.copy_set_param("Version", "2017-03-21")
    assert _code(_send(emulator, str(other_version))) == (404, "InvalidAction.NotFound")
    v3 = url.copy_set_param("SignatureMethod", "HMAC-SHA256")
    assert _code(_send(emulator, str(v3))) == (400, "IncompleteSignature")


def test_sts_mode_requires_the_token() -> None:
    emulator = IceEmulator(security_token=DEFAULT_SECURITY_TOKEN)
    good = _signed_url("ListCustomizedVoiceJobs", token=DEFAULT_SECURITY_TOKEN)
    assert _send(emulator, good).status_code == 200
    missing = _signed_url("ListCustomizedVoiceJobs")
    assert _code(_send(emulator, missing)) == (400, "MissingSecurityToken")
    plain = IceEmulator()
    stray = _signed_url("ListCustomizedVoiceJobs", token="x")
    assert _code(_send(plain, stray)) == (400, "InvalidSecurityToken.Malformed")
    settings = emulator.client_settings("http://127.0.0.1:1")
    assert settings["security_token"] == DEFAULT_SECURITY_TOKEN
    env = emulator.environment("http://127.0.0.1:1")
    assert env["ALIBABA_CLOUD_SECURITY_TOKEN"] == DEFAULT_SECURITY_TOKEN
    assert env["VOICECLONE_ALIBABA_ENDPOINT"] == "http://127.0.0.1:1"
    assert "security_token" not in plain.client_settings("x")


# -- lifecycle ---------------------------------------------------------------------------


def _status(emulator: IceEmulator, job_id: str) -> dict[str, Any]:
    job: dict[str, Any] = _ok(emulator, "GetCustomizedVoiceJob", JobId=job_id)["CustomizedVoiceJob"]
    return job


def test_lifecycle_follows_the_clock(emulator: IceEmulator, clock: EmulatorClock) -> None:
    job_id = _ok(emulator, "SubmitStandardCustomizedVoiceJob", Audios="m1,m2", Authentication="a")[
        "JobId"
    ]
    seen = [_status(emulator, job_id)["Status"]]
    for seconds in (9, 2, 18, 1, 29, 1):
        clock.advance(seconds)
        seen.append(_status(emulator, job_id)["Status"])
    assert seen == [
        "AudioDetecting",
        "AudioDetecting",
        "PreTraining",
        "PreTraining",
        "Training",
        "Training",
        "Success",
    ]
    job = _status(emulator, job_id)
    assert job["Message"] == "训练成功" and "Scenario" not in job
    voice_id = job["VoiceId"]
    voices = _ok(emulator, "ListCustomizedVoices", Type="Standard")
    assert [v["VoiceId"] for v in voices["CustomizedVoiceList"]] == [voice_id]
    assert _ok(emulator, "UpdateCustomizedVoice", VoiceId=voice_id, DemoAudioMediaId="m9") is None
    voice = _ok(emulator, "GetCustomizedVoice", VoiceId=voice_id)["CustomizedVoice"]
    assert voice["DemoAudioMediaId"] == "m9"


def test_set_outcome_fail_ends_in_fail_with_message(
    emulator: IceEmulator, clock: EmulatorClock
) -> None:
    job_id = _ok(emulator, "SubmitCosyVoiceCustomizedVoiceJob", Audios="m1")["JobId"]
    emulator.set_outcome(job_id, "fail")
    clock.advance(sum(STAGES.values()))
    job = _status(emulator, job_id)
    assert (job["Status"], job["Message"]) == ("Fail", FAILURE_MESSAGES["Training"])
    with pytest.raises(ValueError):
        emulator.set_outcome(job_id, "succeed")
    with pytest.raises(KeyError):
        emulator.set_outcome("nope", "fail")
    # a failed job can be deleted; its voice never existed
    assert _ok(emulator, "DeleteCustomizedVoiceJob", JobId=job_id) is None
    assert job_id not in emulator.job_ids()


def test_failure_rate_one_fails_every_job(clock: EmulatorClock) -> None:
    emulator = IceEmulator(clock=clock, failure_rate=1.0, stage_seconds=STAGES)
    ids = [_ok(emulator, "SubmitCosyVoiceCustomizedVoiceJob", Audios="m")["JobId"] for _ in "abc"]
    clock.advance(sum(STAGES.values()))
    assert {emulator.jobs()[job_id]["Status"] for job_id in ids} == {"Fail"}


def test_basic_job_states_gate_detection_submission_and_deletion(
    clock: EmulatorClock,
) -> None:
    emulator = IceEmulator(clock=clock, stage_seconds=STAGES, required_recordings=2)
    created = _ok(
        emulator, "CreateCustomizedVoiceJob", VoiceId="abc1", Gender="male", Scenario="navigation"
    )
    duplicate = _call(
        emulator, "CreateCustomizedVoiceJob", VoiceId="abc1", Gender="male", Scenario="story"
    )
    assert _code(duplicate) == (400, "InvalidParameter.VoiceIdExists")
    for record in (1, 2):
        url = f"https://b.oss-cn-shanghai.aliyuncs.com/{record}.wav"
        assert _ok(
            emulator,
            "DetectAudioForCustomizedVoiceJob",
            VoiceId="abc1",
            AudioRecordId=record,
            RecordUrl=url,
        ) == {"Pass": True}
    _ok(emulator, "SubmitCustomizedVoiceJob", VoiceId="abc1", DemoAudioMediaURL="https://b/d.wav")
    again = _call(emulator, "SubmitCustomizedVoiceJob", VoiceId="abc1")
    assert _code(again) == (403, "IncorrectJobStatus")
    clock.advance(STAGES["AudioDetecting"] + STAGES["PreTraining"])
    training = _call(emulator, "DeleteCustomizedVoiceJob", JobId=created["JobId"])
    assert _code(training) == (403, "IncorrectJobStatus")
    assert _code(_call(emulator, "GetCustomizedVoice", VoiceId="abc1")) == (404, "ResourceNotFound")
    clock.advance(STAGES["Training"])
    voice = _ok(emulator, "GetCustomizedVoice", VoiceId="abc1")["CustomizedVoice"]
    assert voice["Type"] == "Basic" and len(voice["DemoAudioMediaId"]) == 32


def test_get_job_shape_and_times(emulator: IceEmulator) -> None:
    data = _ok(
        emulator, "CreateCustomizedVoiceJob", VoiceId="v1", Gender="female", Scenario="story"
    )
    job = _status(emulator, data["JobId"])
    assert job == {
        "JobId": data["JobId"],
        "VoiceId": "v1",
        "Gender": "female",
        "Scenario": "story",
        "Type": "Basic",
        "Status": "Initialization",
        "CreateTime": "2023-11-14T22:13:20Z",
    }
    listed = _ok(emulator, "ListCustomizedVoiceJobs")["CustomizedVoiceJobList"][0]
    assert listed == {**job, "GmtCreate": "2023-11-14T22:13:20Z"}


# -- seeded data, churn, faults ------------------------------------------------------------


def test_seeded_jobs_cover_every_edition_and_state(clock: EmulatorClock) -> None:
    emulator = IceEmulator(seed=11, jobs=60, clock=clock)
    records = emulator.jobs()
    assert len(records) == len(emulator.job_ids()) == 60
    pairs = {(job["Type"], job["Status"]) for job in records.values()}
    states = ("AudioDetecting", "PreTraining", "Training", "Success", "Fail")
    for job_type in ("Basic", "Standard", "CosyVoice"):
        assert {(job_type, state) for state in states} <= pairs
    assert ("Basic", "Initialization") in pairs
    assert all(job["CreateTime"] <= "2023-11-14T22:13:20Z" for job in records.values())
    names = {job.get("VoiceName") for job in records.values()}
    assert "小专" in names or "小美" in names
    assert None in names  # optional fields are left out of some records
    fails = [job for job in records.values() if job["Status"] == "Fail"]
    assert all(job["Message"] in FAILURE_MESSAGES.values() for job in fails)
    assert IceEmulator(seed=11, jobs=60, clock=clock).jobs() == records


def test_seeded_in_progress_jobs_finish_as_time_passes(clock: EmulatorClock) -> None:
    emulator = IceEmulator(seed=5, jobs=40, clock=clock)
    clock.advance(sum(DEFAULT_STAGE_SECONDS.values()))
    statuses = {job["Status"] for job in emulator.jobs().values()}
    assert statuses <= {"Initialization", "Success", "Fail"}


def test_churn_creates_and_deletes(clock: EmulatorClock) -> None:
    emulator = IceEmulator(seed=2, jobs=20, clock=clock)
    rng = random.Random(9)
    before = emulator.job_ids()
    notes = [emulator.churn(rng) for _ in range(20)]
    after = emulator.job_ids()
    created = [note for note in notes if note.startswith("created")]
    deleted = [note for note in notes if note.startswith("deleted")]
    assert created and deleted
    assert len(after) == len(before) + len(created) - len(deleted)
    for note in deleted:
        assert note.split()[3] not in after


def test_fault_shapes_and_mutation_detection(emulator: IceEmulator) -> None:
    listing = httpx.Request("POST", _signed_url("ListCustomizedVoiceJobs"))
    create = httpx.Request("POST", _signed_url("CreateCustomizedVoiceJob", {"VoiceId": "a"}))
    assert not emulator.is_mutating(listing) and emulator.is_mutating(create)
    throttled = emulator.throttle_response(listing, 1.5)
    assert _code(throttled) == (400, "Throttling.User")
    assert throttled.headers["x-acs-retry-after"] == "1500"
    assert throttled.json()["HostId"] == "ice.cn-shanghai.aliyuncs.com"
    assert _code(emulator.server_error_response(listing, 503)) == (503, "ServiceUnavailable")
    assert _code(emulator.server_error_response(listing, 500)) == (500, "InternalError")


def test_concurrent_requests_are_safe(emulator: IceEmulator) -> None:
    urls = [
        _signed_url("SubmitCosyVoiceCustomizedVoiceJob", {"Audios": f"m{i}"}) for i in range(40)
    ]
    results: list[int] = []

    def worker(chunk: list[str]) -> None:
        for url in chunk:
            results.append(_send(emulator, url).status_code)

    threads = [threading.Thread(target=worker, args=(urls[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(200) == 40
    listed = _ok(emulator, "ListCustomizedVoiceJobs", Type="CosyVoice", PageSize=100)
    assert listed["TotalCount"] == 40
    assert len({job["JobId"] for job in listed["CustomizedVoiceJobList"]}) == 40


def test_replies_are_utf8_json(emulator: IceEmulator) -> None:
    _ok(
        emulator,
        "CreateCustomizedVoiceJob",
        VoiceId="v2",
        Gender="female",
        Scenario="story",
        VoiceName="小专",
    )
    response = _call(emulator, "ListCustomizedVoiceJobs")
    assert response.headers["content-type"].startswith("application/json")
    assert "小专".encode() in response.content
    assert json.loads(response.content)["Data"]["CustomizedVoiceJobList"][0]["VoiceName"] == "小专"
