"""The MetaStudio emulator in-process: authentication details, lifecycle branches, seeding,
vendor-specific operations and the fault shapes the core's injector uses.

Requests go through ``httpx.MockTransport``; most use IAM token auth (``X-Auth-Token``) so the
tests need no signer. Signatures are checked against the reference's worked example here and
against the official SDK in ``test_emulator_sdk.py``.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from typing import Any

import httpx
import pytest

from voiceclone.adapter import Emulator, EmulatorClock
from voiceclone_metastudio._emulator import (
    DEFAULT_AUTH_TOKEN,
    DEFAULT_PROJECT_ID,
    MetaStudioEmulator,
)
from voiceclone_metastudio._emulator_signature import Credentials, verify
from voiceclone_metastudio._emulator_vocab import JOB_STATES, JOB_TYPES

BASE = f"/v1/{DEFAULT_PROJECT_ID}/voice-training-manage"
TOKEN = {"X-Auth-Token": DEFAULT_AUTH_TOKEN}


@pytest.fixture
def clock() -> EmulatorClock:
    return EmulatorClock(start=1_700_000_000.0)


@pytest.fixture
def emulator(clock: EmulatorClock) -> MetaStudioEmulator:
    return MetaStudioEmulator(seed=3, clock=clock)


@pytest.fixture
def http(emulator: MetaStudioEmulator) -> httpx.Client:
    transport = httpx.MockTransport(emulator.handle)
    return httpx.Client(transport=transport, base_url="https://metastudio.test", headers=TOKEN)


def _create(http: httpx.Client, edition: str = "basic", **body: Any) -> str:
    response = http.post(f"{BASE}/user/{edition}-jobs", json={"voice_name": "甜美女声", **body})
    assert response.status_code == 200, response.text
    return str(response.json()["job_id"])


def _state(http: httpx.Client, job_id: str) -> str:
    return str(http.get(f"{BASE}/user/jobs/{job_id}").json()["state"])


def _error(response: httpx.Response) -> tuple[int, str]:
    assert response.headers["X-Request-Id"]
    body = response.json()
    assert set(body) >= {"error_code", "error_msg"}
    return response.status_code, str(body["error_code"])


def test_is_an_emulator(emulator: MetaStudioEmulator) -> None:
    assert isinstance(emulator, Emulator)
    assert emulator.provider_id == "huawei-metastudio"
    assert "emulator-secret-key" not in repr(emulator)


# -- authentication -------------------------------------------------------------------------------


def test_reference_worked_example_verifies_and_a_changed_signature_does_not() -> None:
    """Reference section 5.2: the oracle's ``list_get_query`` case, byte for byte."""
    credentials = Credentials(
        "HPUAEXAMPLEAK0000001", "exampleSecretKey0123456789abcdefghijklmn", DEFAULT_PROJECT_ID, "t"
    )
    signature = "649acd5b1b84361ff53d890a832280eb5252d60392ddbb4b424fe08f4d0f614b"
    query = (
        "create_since=2024-01-01T00%3A00%3A00Z&is_ondemand_resource=false&limit=10&offset=0"
        "&state=FAILED%2CWAITING&voice_name=my%20voice%20~%2A%27%28%29%21%C3%A9%E6%B5%8B"
    )

    def request(sig: str) -> httpx.Request:
        authorization = (
            "SDK-HMAC-SHA256 Access=HPUAEXAMPLEAK0000001, SignedHeaders=content-type;host;"
            f"user-agent;x-app-userid;x-project-id;x-sdk-date, Signature={sig}"
        )
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "huaweicloud-usdk-python/3.0; oracle/1.0",
            "X-App-UserId": "app-user-01",
            "X-Project-Id": DEFAULT_PROJECT_ID,
            "X-Sdk-Date": "20240102T030405Z",
            "Authorization": authorization,
        }
        url = f"https://metastudio.cn-north-4.myhuaweicloud.com{BASE}/user/jobs?{query}"
        return httpx.Request("GET", url, headers=headers)

    assert verify(request(signature), credentials, real_now=None) is None
    assert verify(request(signature[:-1] + "c"), credentials, real_now=None) is not None
    # The same request is stale against a clock 15 minutes past its X-Sdk-Date.
    assert verify(request(signature), credentials, real_now=1704164645.0 + 901) is not None


@pytest.mark.parametrize(
    ("headers", "fragment"),
    [({}, "not found"), ({"X-Auth-Token": "forged"}, "token")],
)
def test_missing_or_bad_token_is_rejected(
    emulator: MetaStudioEmulator, headers: dict[str, str], fragment: str
) -> None:
    http = httpx.Client(transport=httpx.MockTransport(emulator.handle), headers=headers)
    response = http.get(f"https://metastudio.test{BASE}/user/jobs")
    assert _error(response) == (401, "APIGW.0301")
    assert fragment in response.json()["error_msg"]
    assert response.json()["request_id"] == response.headers["X-Request-Id"]


def test_unknown_path_and_wrong_project(http: httpx.Client) -> None:
    assert _error(http.get(f"{BASE}/user/nothing")) == (404, "APIGW.0101")
    assert _error(http.patch(f"{BASE}/user/jobs")) == (404, "APIGW.0101")
    other = BASE.replace(DEFAULT_PROJECT_ID, "f" * 32)
    assert _error(http.get(f"{other}/user/jobs")) == (400, "MSS.00010009")


def test_app_user_id_must_be_ascii(http: httpx.Client) -> None:
    response = http.get(f"{BASE}/user/jobs", headers={"X-App-UserId": "用户".encode()})
    assert _error(response) == (400, "MSS.00000003")


# -- lifecycle ------------------------------------------------------------------------------------


def test_job_walks_every_state_in_order(
    http: httpx.Client, emulator: MetaStudioEmulator, clock: EmulatorClock
) -> None:
    job_id = _create(http)
    assert _state(http, job_id) == "CREATING"
    assert http.post(f"{BASE}/user/jobs/{job_id}").json() == {}
    seen = [_state(http, job_id)]
    for _ in range(200):  # 1000 emulator seconds in steps shorter than any stage
        clock.advance(5)
        state = _state(http, job_id)
        if state != seen[-1]:
            seen.append(state)
    assert seen == [
        "SYSTEM_AUDITING",
        "AUDITING",
        "WAITING_SPLIT",
        "SPLITTING",
        "ANNOTATING",
        "WAITING",
        "PROCESSING",
        "UPLOADING",
        "SUCCEED",
    ]
    record = emulator.jobs()[job_id]
    assert record["asset_id"] and "job_failed_code" not in record


def test_a_jump_of_the_clock_applies_all_due_changes_with_their_own_times(
    http: httpx.Client, clock: EmulatorClock
) -> None:
    job_id = _create(http)
    http.post(f"{BASE}/user/jobs/{job_id}")
    committed = clock.now()
    clock.advance(100_000)
    record = http.get(f"{BASE}/user/jobs/{job_id}").json()
    assert record["state"] == "SUCCEED"
    assert record["lastupdate_time"] == int((committed + 870) * 1000)  # sum of default stages
    logs = http.get(f"{BASE}/user/jobs/{job_id}/op-logs", params={"limit": 100}).json()
    times = [entry["time"] for entry in logs["operations"]]
    assert times == sorted(times) and times[-1] == record["lastupdate_time"]


def test_split_failure_branch(
    http: httpx.Client, emulator: MetaStudioEmulator, clock: EmulatorClock
) -> None:
    job_id = _create(http)
    emulator.set_outcome(job_id, "split_fail")
    http.post(f"{BASE}/user/jobs/{job_id}")
    clock.advance(5_000)
    record = http.get(f"{BASE}/user/jobs/{job_id}").json()
    assert record["state"] == "SPLIT_FAILED" and record["job_failed_reason"]


def test_rates_choose_outcomes(clock: EmulatorClock) -> None:
    emulator = MetaStudioEmulator(seed=1, clock=clock, failure_rate=1.0)
    http = httpx.Client(transport=httpx.MockTransport(emulator.handle), headers=TOKEN)
    url = f"https://metastudio.test{BASE}"
    ids = [
        http.post(f"{url}/user/advance-jobs", json={"voice_name": f"v{i}"}).json()["job_id"]
        for i in range(5)
    ]
    for job_id in ids:
        http.post(f"{url}/user/jobs/{job_id}")
    clock.advance(5_000)
    assert {emulator.jobs()[job_id]["state"] for job_id in ids} == {"FAILED"}


def test_action_required_records_audit_result_and_log(
    http: httpx.Client, emulator: MetaStudioEmulator, clock: EmulatorClock
) -> None:
    job_id = _create(http)
    assert http.get(f"{BASE}/user/jobs/{job_id}/audit-result").json() == {}
    emulator.set_outcome(job_id, "action_required")
    http.post(f"{BASE}/user/jobs/{job_id}")
    clock.advance(60)
    assert _state(http, job_id) == "AUDIT_FAILED"
    audit = http.get(f"{BASE}/user/jobs/{job_id}/audit-result").json()
    assert audit["system_audit_result"]["errors"][0]["error_code"].startswith("MSS.")
    assert audit["admin_audit_result"]["message"]
    logs = http.get(f"{BASE}/user/jobs/{job_id}/op-logs").json()["operations"]
    assert logs[-1]["action"] == "AUDIT_NOT_PASS"
    assert logs[-1]["external_info"]["admin_audit_failure_reason"]
    # The re-upload round trip: new addresses, commit again, and this time it passes.
    assert http.get(f"{BASE}/user/jobs/{job_id}/uploading-address-url").status_code == 200
    http.post(f"{BASE}/user/jobs/{job_id}", json={})
    clock.advance(5_000)
    record = emulator.jobs()[job_id]
    assert record["state"] == "SUCCEED" and record["reject_times"] == 1


def test_outcome_control_is_checked(emulator: MetaStudioEmulator, http: httpx.Client) -> None:
    with pytest.raises(ValueError, match="outcome"):
        emulator.set_outcome(_create(http), "explode")
    with pytest.raises(KeyError):
        emulator.set_outcome("no-such-job", "fail")


# -- segments, uploads and the other operations --------------------------------------------------


def test_segment_flow_requires_every_sentence_confirmed(
    http: httpx.Client, emulator: MetaStudioEmulator
) -> None:
    job_id = _create(http, create_type="SEGMENT")
    segment = f"{BASE}/user/training-segment"
    for index in range(19):
        reply = http.post(segment, params={"job_id": job_id, "index": index}).json()
        assert reply == {"confirm_result": True, "unmatched_index_hit": []}
    assert http.get(segment, params={"job_id": job_id}).json()["confirmed_index"] == list(range(19))
    assert _error(http.post(f"{BASE}/user/jobs/{job_id}")) == (400, "MSS.10000003")
    assert _error(http.post(segment, params={"job_id": job_id, "index": 20}))[0] == 400
    http.post(segment, params={"job_id": job_id, "index": 19})
    assert http.post(f"{BASE}/user/jobs/{job_id}").status_code == 200
    assert _state(http, job_id) == "SYSTEM_AUDITING"


def test_segment_mode_is_only_for_basic_and_middle(http: httpx.Client) -> None:
    response = http.post(
        f"{BASE}/user/advance-jobs", json={"voice_name": "x", "create_type": "SEGMENT"}
    )
    assert _error(response) == (400, "MSS.10000003")


@pytest.mark.parametrize(
    ("content", "code"),
    [(b"", "MSS.00000002"), (b"{not json", "MSS.10000002"), (b"[1]", "MSS.00000002")],
)
def test_create_body_errors(http: httpx.Client, content: bytes, code: str) -> None:
    response = http.post(f"{BASE}/user/basic-jobs", content=content)
    assert _error(response) == (400, code)


@pytest.mark.parametrize(
    "body", [{"voice_name": "x", "sex": "OTHER"}, {"voice_name": "x", "tag": "SPORTS"}]
)
def test_create_enum_fields_are_validated(http: httpx.Client, body: dict[str, Any]) -> None:
    assert _error(http.post(f"{BASE}/user/basic-jobs", json=body)) == (400, "MSS.10000003")


def test_batch_name_review_attachments_and_encrypted_download(
    http: httpx.Client, emulator: MetaStudioEmulator, clock: EmulatorClock
) -> None:
    first, second = _create(http), _create(http)
    response = http.put(
        f"{BASE}/user/batch", json={"batch_name": "b-1", "job_ids": [first, second]}
    )
    assert response.status_code == 200
    listed = http.get(f"{BASE}/user/jobs", params={"batch_name": "b-1"}).json()
    assert {job["job_id"] for job in listed["jobs"]} == {first, second}
    unknown = http.put(f"{BASE}/user/batch", json={"batch_name": "b", "job_ids": ["x"]})
    assert _error(unknown)[0] == 404

    attachments = http.get(
        f"{BASE}/user/jobs/{first}/review-attachment-uploading-address-url",
        params={"start_number": 2, "end_number": 4},
    ).json()["addresses"]
    assert [item["number"] for item in attachments] == [2, 3, 4]

    http.post(f"{BASE}/user/jobs/{first}")
    clock.advance(5_000)
    download = "/v1/voice-training-manage/common/encrypt-file-download"
    query = {"tenant_id": DEFAULT_PROJECT_ID, "job_id": first, "once_token": "once-1"}
    plain = httpx.Client(transport=httpx.MockTransport(emulator.handle))
    file = plain.get(f"https://metastudio.test{download}", params=query)
    assert file.status_code == 200 and file.headers["Content-Type"] == "application/octet-stream"
    assert len(file.content) > 1000
    assert _error(plain.get(f"https://metastudio.test{download}", params=query))[0] == 400


def test_short_job_assessment(http: httpx.Client, clock: EmulatorClock) -> None:
    created = http.post(f"{BASE}/user/short-jobs", json={"job_type": "VOICE_ASSESS"}).json()
    url = f"{BASE}/user/short-jobs/{created['job_id']}"
    assert http.get(url).json()["state"] == "CREATING"
    http.post(url)
    assert http.get(url).json()["state"] == "PROCESSING"
    clock.advance(31)
    done = http.get(url).json()
    assert done["state"] == "SUCCEED" and done["assess_result"]["snr"]["actual"]
    wrong = http.post(f"{BASE}/user/short-jobs", json={"job_type": "OTHER"})
    assert _error(wrong) == (400, "MSS.10000003")


def test_op_log_paging_is_validated(http: httpx.Client) -> None:
    job_id = _create(http)
    assert _error(http.get(f"{BASE}/user/jobs/{job_id}/op-logs", params={"limit": 0}))[0] == 400
    assert http.get(f"{BASE}/user/jobs/{job_id}/op-logs").json()["count"] == 1


# -- seeding, listing ----------------------------------------------------------------------------


def test_seeded_jobs_cover_every_state_and_edition_with_optional_fields_left_out(
    clock: EmulatorClock,
) -> None:
    emulator = MetaStudioEmulator(seed=11, jobs=300, clock=clock)
    records = emulator.jobs()
    assert len(records) == 300
    assert {r["state"] for r in records.values()} == set(JOB_STATES)
    assert {r["job_type"] for r in records.values()} == set(JOB_TYPES)
    assert any(not r["voice_name"].isascii() for r in records.values())
    assert 0 < sum("phone" in r for r in records.values()) < 300
    assert all(("asset_id" in r) == (r["state"] == "SUCCEED") for r in records.values())
    assert all(r["create_time"] <= r["lastupdate_time"] for r in records.values())
    assert all(r["lastupdate_time"] <= clock.now() * 1000 for r in records.values())


def test_seeding_is_reproducible(clock: EmulatorClock) -> None:
    one = MetaStudioEmulator(seed=5, jobs=50, clock=clock).jobs()
    two = MetaStudioEmulator(seed=5, jobs=50, clock=clock).jobs()
    assert one == two


def test_seeded_running_jobs_keep_running(clock: EmulatorClock) -> None:
    emulator = MetaStudioEmulator(seed=2, jobs=200, clock=clock)
    before = Counter(r["state"] for r in emulator.jobs().values())
    clock.advance(100_000)
    after = Counter(r["state"] for r in emulator.jobs().values())
    assert before["PROCESSING"] > 0 and after["PROCESSING"] == 0
    assert after["SUCCEED"] + after["FAILED"] > before["SUCCEED"] + before["FAILED"]


def test_seeded_job_history_is_backfilled(clock: EmulatorClock) -> None:
    emulator = MetaStudioEmulator(seed=2, jobs=60, clock=clock)
    http = httpx.Client(transport=httpx.MockTransport(emulator.handle), headers=TOKEN)
    done = next(i for i, r in emulator.jobs().items() if r["state"] == "SUCCEED")
    logs = http.get(f"https://metastudio.test{BASE}/user/jobs/{done}/op-logs?limit=100").json()
    actions = [entry["action"] for entry in logs["operations"]]
    assert actions[0] == "CREATE_JOB" and actions[-1] == "COMPLETE_JOB"


def test_list_time_and_name_filters(http: httpx.Client, clock: EmulatorClock) -> None:
    early = _create(http, voice_name="早")
    clock.advance(3_600)
    late = _create(http, voice_name="晚")
    url = f"{BASE}/user/jobs"
    since = http.get(url, params={"create_since": "2023-11-14T23:00:00Z"}).json()
    assert [job["job_id"] for job in since["jobs"]] == [late]
    until = http.get(url, params={"create_until": "2023-11-14T23:00:00Z"}).json()
    assert [job["job_id"] for job in until["jobs"]] == [early]
    assert http.get(url, params={"voice_name": "早"}).json()["count"] == 1
    assert _error(http.get(url, params={"update_since": "yesterday"})) == (400, "MSS.00000003")


def test_concurrent_creates_from_many_threads(emulator: MetaStudioEmulator) -> None:
    http = httpx.Client(transport=httpx.MockTransport(emulator.handle), headers=TOKEN)
    url = f"https://metastudio.test{BASE}/user/basic-jobs"
    ids: list[str] = []

    def work() -> None:
        for _ in range(10):
            ids.append(http.post(url, json={"voice_name": "t"}).json()["job_id"])

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(ids)) == 80 and emulator.job_ids() == set(ids)


# -- the vendor shapes for the core's fault injection ---------------------------------------------


def test_fault_shapes(emulator: MetaStudioEmulator) -> None:
    request = httpx.Request("GET", f"https://metastudio.test{BASE}/user/jobs")
    throttled = emulator.throttle_response(request, 2.0)
    assert throttled.status_code == 429 and throttled.headers["Retry-After"] == "2"
    assert throttled.json()["error_code"] == "APIGW.0308"
    assert emulator.throttle_response(request, 0.25).headers["Retry-After"] == "0.250"
    failed = emulator.server_error_response(request, 503)
    assert failed.status_code == 503 and failed.json()["error_code"].startswith("APIGW.")
    assert failed.headers["X-Request-Id"]
    assert not emulator.is_mutating(request)
    assert emulator.is_mutating(
        httpx.Request("DELETE", f"https://metastudio.test{BASE}/user/jobs/x")
    )


def test_churn_creates_and_deletes(clock: EmulatorClock) -> None:
    emulator = MetaStudioEmulator(seed=1, jobs=30, clock=clock)
    rng = random.Random(4)
    for _ in range(20):
        before = emulator.job_ids()
        said = emulator.churn(rng)
        after = emulator.job_ids()
        verb, _, job_id = said.rpartition(" ")
        if verb == "created job":
            assert after == before | {job_id}
        else:
            assert verb == "deleted job" and after == before - {job_id}


def test_settings_for_clients(emulator: MetaStudioEmulator) -> None:
    settings = emulator.client_settings("http://127.0.0.1:9")
    assert settings["endpoint"] == "http://127.0.0.1:9"
    assert set(settings) == {"endpoint", "ak", "sk", "project_id"}
    env = emulator.environment("http://127.0.0.1:9")
    assert env["HUAWEICLOUD_SDK_PROJECT_ID"] == DEFAULT_PROJECT_ID
    assert env["VOICECLONE_HUAWEI_ENDPOINT"] == "http://127.0.0.1:9"


def test_constructor_checks_its_options() -> None:
    with pytest.raises(ValueError, match="at most 1"):
        MetaStudioEmulator(failure_rate=0.7, action_required_rate=0.5)
    with pytest.raises(ValueError, match="unknown stage"):
        MetaStudioEmulator(stage_seconds={"BAKING": 1})


def test_listings_see_every_change(http: httpx.Client, clock: EmulatorClock) -> None:
    url = f"{BASE}/user/jobs"
    job_id = _create(http)
    waiting = {"state": "SYSTEM_AUDITING"}
    assert http.get(url, params=waiting).json()["count"] == 0
    http.post(f"{BASE}/user/jobs/{job_id}")
    assert http.get(url, params=waiting).json()["count"] == 1
    clock.advance(20)
    assert http.get(url, params=waiting).json()["count"] == 0
    _create(http)
    assert http.get(url).json()["count"] == 2
