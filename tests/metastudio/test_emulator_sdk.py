"""The official Huawei Cloud SDK against the MetaStudio emulator served on loopback.

``huaweicloudsdkmetastudio`` signs every request with its own SDK-HMAC-SHA256 signer, so these
tests check the emulator's signature verification, routes, reply shapes and lifecycle against
the vendor's client rather than against our adapter.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from voiceclone.adapter import EmulatorClock
from voiceclone_metastudio._emulator import DEFAULT_AK, DEFAULT_PROJECT_ID, MetaStudioEmulator

sdk_core = pytest.importorskip("huaweicloudsdkcore")
from huaweicloudsdkcore.auth.credentials import BasicCredentials  # noqa: E402
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException  # noqa: E402
from huaweicloudsdkcore.http.http_config import HttpConfig  # noqa: E402
from huaweicloudsdkcore.http.http_handler import HttpHandler  # noqa: E402
from huaweicloudsdkmetastudio.v1 import (  # noqa: E402
    CommitJobReq,
    CommitVoiceTrainingJobRequest,
    CreateShortJobReq,
    CreateShortJobRequest,
    CreateTrainingAdvanceJobRequest,
    CreateTrainingBasicJobRequest,
    CreateTrainingJobReq,
    CreateTrainingMiddleJobRequest,
    CreateTrainingThirdPartyJobRequest,
    DeleteVoiceTrainingJobRequest,
    ListJobOperationLogRequest,
    ListVoiceTrainingJobRequest,
    MetaStudioClient,
    ShowJobUploadingAddressRequest,
    ShowTenantDurationCfgRequest,
    ShowVoiceTrainingJobRequest,
    ShowVoiceTrainingQuotasRequest,
)

SK = "emulator-secret-key"


class _Handler(BaseHTTPRequestHandler):
    """Hands each request to the emulator as an ``httpx.Request`` and writes its reply."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _Server

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        url = f"http://{self.headers.get('Host')}{self.path}"
        request = httpx.Request(self.command, url, headers=list(self.headers.items()), content=body)
        response = self.server.emulator.handle(request)
        self.send_response(response.status_code)
        for name, value in response.headers.multi_items():
            if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.content)))
        self.end_headers()
        self.wfile.write(response.content)

    do_GET = do_POST = do_PUT = do_DELETE = _serve

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, emulator: MetaStudioEmulator) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.emulator = emulator


@pytest.fixture
def clock() -> EmulatorClock:
    return EmulatorClock(start=1_700_000_000.0)


@pytest.fixture
def emulator(clock: EmulatorClock) -> MetaStudioEmulator:
    return MetaStudioEmulator(seed=7, jobs=40, clock=clock)


@pytest.fixture
def endpoint(emulator: MetaStudioEmulator) -> Iterator[str]:
    server = _Server(emulator)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


ClientFactory = Callable[..., Any]


@pytest.fixture
def make_client(endpoint: str, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> ClientFactory:
    monkeypatch.setenv("HOME", str(tmp_path))

    def build(sk: str = SK, hook: Callable[..., None] | None = None) -> Any:
        config = HttpConfig.get_default_config()
        config.timeout = (5, 10)
        builder = (
            MetaStudioClient.new_builder()
            .with_http_config(config)
            .with_credentials(BasicCredentials(DEFAULT_AK, sk, DEFAULT_PROJECT_ID))
            .with_endpoints([endpoint])
        )
        if hook is not None:
            builder = builder.with_http_handler(HttpHandler().add_request_handler(hook))
        return builder.build()

    return build


@pytest.fixture
def client(make_client: ClientFactory) -> Any:
    return make_client()


def _create_basic(client: Any, **fields: Any) -> str:
    body = CreateTrainingJobReq(voice_name=fields.pop("voice_name", "温柔女声"), **fields)
    response = client.create_training_basic_job(CreateTrainingBasicJobRequest(body=body))
    return str(response.job_id)


def test_list_pages_cover_every_job_once_in_default_order(
    client: Any, emulator: MetaStudioEmulator
) -> None:
    seen: list[str] = []
    created: list[int] = []
    offset = 0
    while True:
        page = client.list_voice_training_job(ListVoiceTrainingJobRequest(offset=offset, limit=15))
        assert page.count == 40
        seen += [job.job_id for job in page.jobs]
        created += [job.create_time for job in page.jobs]
        offset += 15
        if offset >= page.count:
            break
    assert len(seen) == len(set(seen)) == 40
    assert set(seen) == emulator.job_ids()
    assert created == sorted(created, reverse=True)


def test_list_filters_by_state_and_type_and_sorts(
    client: Any, emulator: MetaStudioEmulator
) -> None:
    records = emulator.jobs()
    wanted = {"SUCCEED", "FAILED"}
    expected = {i for i, r in records.items() if r["state"] in wanted and r["job_type"] == "BASIC"}
    page = client.list_voice_training_job(
        ListVoiceTrainingJobRequest(state="SUCCEED,FAILED", job_type="BASIC", limit=100)
    )
    assert page.count == len(expected)
    assert {job.job_id for job in page.jobs} == expected

    ascending = client.list_voice_training_job(
        ListVoiceTrainingJobRequest(sort_key="update_time", sort_dir="asc", limit=100)
    )
    updates = [job.lastupdate_time for job in ascending.jobs]
    assert updates == sorted(updates) and len(updates) == 40


def test_list_filters_by_creation_time(client: Any, emulator: MetaStudioEmulator) -> None:
    records = emulator.jobs()
    times = sorted(r["create_time"] for r in records.values())
    middle = times[len(times) // 2]
    # RFC 3339 at whole seconds: keep jobs created at or after the second containing `middle`.
    since_second = middle // 1000
    from datetime import datetime, timezone

    since = datetime.fromtimestamp(since_second, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    page = client.list_voice_training_job(
        ListVoiceTrainingJobRequest(create_since=since, limit=100)
    )
    expected = {i for i, r in records.items() if r["create_time"] >= since_second * 1000}
    assert {job.job_id for job in page.jobs} == expected


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 101}, {"offset": -1}, {"sort_dir": "up"}, {"state": "DONE"}],
)
def test_list_rejects_invalid_parameters(client: Any, params: dict[str, Any]) -> None:
    with pytest.raises(ClientRequestException) as caught:
        client.list_voice_training_job(ListVoiceTrainingJobRequest(**params))
    assert caught.value.status_code == 400
    assert caught.value.error_code == "MSS.00000003"
    assert caught.value.error_msg.startswith("Invalid parameter")
    assert caught.value.request_id


def test_show_matches_the_stored_record(client: Any, emulator: MetaStudioEmulator) -> None:
    job_id, record = next(iter(emulator.jobs().items()))
    shown = client.show_voice_training_job(ShowVoiceTrainingJobRequest(job_id=job_id))
    assert shown.job_id == job_id
    assert shown.state == record["state"]
    assert shown.voice_name == record["voice_name"]
    assert shown.create_time == record["create_time"]


@pytest.mark.parametrize(
    ("method", "request_class", "job_type"),
    [
        ("create_training_basic_job", CreateTrainingBasicJobRequest, "BASIC"),
        ("create_training_middle_job", CreateTrainingMiddleJobRequest, "MIDDLE"),
        ("create_training_advance_job", CreateTrainingAdvanceJobRequest, "ADVANCE"),
        ("create_training_third_party_job", CreateTrainingThirdPartyJobRequest, "THIRD_PARTY"),
    ],
)
def test_create_each_edition(
    client: Any, emulator: MetaStudioEmulator, method: str, request_class: Any, job_type: str
) -> None:
    body = CreateTrainingJobReq(voice_name="新闻男声", sex="MALE", tag="NEWS")
    response = getattr(client, method)(request_class(x_app_user_id="app-user-1", body=body))
    record = emulator.jobs()[response.job_id]
    assert record["job_type"] == job_type
    assert record["state"] == "CREATING"
    assert record["voice_name"] == "新闻男声" and record["app_user_id"] == "app-user-1"
    assert "phone" not in record and "asset_id" not in record
    assert response.training_data_uploading_url.startswith("https://")
    assert "Signature=" in response.training_data_uploading_url


def test_create_segment_job_returns_one_url_per_sentence(client: Any) -> None:
    body = CreateTrainingJobReq(voice_name="seg", create_type="SEGMENT")
    request = CreateTrainingMiddleJobRequest(body=body)
    response = client.create_training_middle_job(request)
    assert len(response.segment_uploading_url.audio_uploading_url) == 100
    assert len(response.segment_uploading_url.txt_uploading_url) == 100
    assert response.training_data_uploading_url is None


def test_create_requires_voice_name(client: Any) -> None:
    with pytest.raises(ClientRequestException) as caught:
        client.create_training_basic_job(
            CreateTrainingBasicJobRequest(body=CreateTrainingJobReq(sex="FEMALE"))
        )
    assert caught.value.status_code == 400
    assert caught.value.error_code == "MSS.10000003"
    assert "voice_name" in caught.value.error_msg


def test_commit_then_the_clock_drives_the_job_to_success(
    client: Any, emulator: MetaStudioEmulator, clock: EmulatorClock
) -> None:
    job_id = _create_basic(client)
    commit = CommitVoiceTrainingJobRequest(job_id=job_id, body=CommitJobReq(voice_name="改名"))
    client.commit_voice_training_job(commit)
    show = ShowVoiceTrainingJobRequest(job_id=job_id)
    first = client.show_voice_training_job(show)
    assert first.state == "SYSTEM_AUDITING" and first.voice_name == "改名"
    clock.advance(20 + 40 + 20 + 50 + 50 + 60 + 1)
    assert client.show_voice_training_job(show).state == "PROCESSING"
    clock.advance(600 + 30)
    final = client.show_voice_training_job(show)
    assert final.state == "SUCCEED" and final.asset_id
    logs = client.list_job_operation_log(ListJobOperationLogRequest(job_id=job_id, limit=100))
    actions = [entry.action for entry in logs.operations]
    assert actions[:2] == ["CREATE_JOB", "COMMIT_JOB"] and actions[-1] == "COMPLETE_JOB"
    assert logs.count == len(actions)


def test_commit_twice_is_refused(client: Any) -> None:
    job_id = _create_basic(client)
    client.commit_voice_training_job(CommitVoiceTrainingJobRequest(job_id=job_id))
    with pytest.raises(ClientRequestException) as caught:
        client.commit_voice_training_job(CommitVoiceTrainingJobRequest(job_id=job_id))
    assert caught.value.status_code == 400
    assert "SYSTEM_AUDITING" in caught.value.error_msg


def test_action_required_then_reupload_and_commit_again(
    client: Any, emulator: MetaStudioEmulator, clock: EmulatorClock
) -> None:
    job_id = _create_basic(client)
    emulator.set_outcome(job_id, "action_required")
    client.commit_voice_training_job(CommitVoiceTrainingJobRequest(job_id=job_id))
    clock.advance(61)
    show = ShowVoiceTrainingJobRequest(job_id=job_id)
    rejected = client.show_voice_training_job(show)
    assert rejected.state == "AUDIT_FAILED" and rejected.reject_times == 1
    address = client.show_job_uploading_address(ShowJobUploadingAddressRequest(job_id=job_id))
    assert address.package_url.training_data_uploading_url.startswith("https://")
    client.commit_voice_training_job(CommitVoiceTrainingJobRequest(job_id=job_id))
    assert client.show_voice_training_job(show).state == "SYSTEM_AUDITING"


def test_failure_branch_sets_the_failure_fields(
    client: Any, emulator: MetaStudioEmulator, clock: EmulatorClock
) -> None:
    job_id = _create_basic(client)
    emulator.set_outcome(job_id, "fail")
    client.commit_voice_training_job(CommitVoiceTrainingJobRequest(job_id=job_id))
    clock.advance(10_000)
    failed = client.show_voice_training_job(ShowVoiceTrainingJobRequest(job_id=job_id))
    assert failed.state == "FAILED"
    assert failed.job_failed_code.startswith("MSS.") and failed.job_failed_reason
    assert failed.asset_id is None


def test_delete_then_show_is_not_found(client: Any, emulator: MetaStudioEmulator) -> None:
    job_id = _create_basic(client)
    client.delete_voice_training_job(DeleteVoiceTrainingJobRequest(job_id=job_id))
    assert job_id not in emulator.job_ids()
    with pytest.raises(ClientRequestException) as caught:
        client.show_voice_training_job(ShowVoiceTrainingJobRequest(job_id=job_id))
    assert caught.value.status_code == 404
    assert caught.value.error_code.startswith("MSS.")


def test_delete_is_refused_while_the_job_runs(client: Any, emulator: MetaStudioEmulator) -> None:
    job_id = _create_basic(client)
    client.commit_voice_training_job(CommitVoiceTrainingJobRequest(job_id=job_id))
    with pytest.raises(ClientRequestException) as caught:
        client.delete_voice_training_job(DeleteVoiceTrainingJobRequest(job_id=job_id))
    assert caught.value.status_code == 400
    assert job_id in emulator.job_ids()


def test_quotas_duration_cfg_and_short_jobs(client: Any) -> None:
    quotas = client.show_voice_training_quotas(ShowVoiceTrainingQuotasRequest(offset=0, limit=2))
    assert quotas.count > 2 and len(quotas.resources) == 2
    cfg = client.show_tenant_duration_cfg(ShowTenantDurationCfgRequest())
    assert cfg.tenant_id == DEFAULT_PROJECT_ID and cfg.basic_min < cfg.basic_max
    short = client.create_short_job(
        CreateShortJobRequest(body=CreateShortJobReq(job_type="VOICE_ASSESS", language="CN"))
    )
    assert short.job_id and short.data_uploading_url.startswith("https://")


# -- authentication -------------------------------------------------------------------------------


def _tamper_signature(**kwargs: Any) -> None:
    headers = kwargs["request"].header_params
    value = headers["Authorization"]
    headers["Authorization"] = value[:-1] + ("0" if value[-1] != "0" else "1")


def _tamper_query(**kwargs: Any) -> None:
    request = kwargs["request"]
    request.uri = request.uri.replace("limit=10", "limit=11")


def _tamper_body(**kwargs: Any) -> None:
    request = kwargs["request"]
    request.body = request.body.replace(b"voice", b"VOICE")


@pytest.mark.parametrize("hook", [_tamper_signature, _tamper_body])
def test_tampered_requests_are_rejected(make_client: ClientFactory, hook: Any) -> None:
    client = make_client(hook=hook)
    with pytest.raises(ClientRequestException) as caught:
        _create_basic(client, voice_name="voice")
    assert caught.value.status_code == 401
    assert caught.value.error_code == "APIGW.0301"
    assert caught.value.request_id


def test_tampered_query_is_rejected(make_client: ClientFactory) -> None:
    client = make_client(hook=_tamper_query)
    with pytest.raises(ClientRequestException) as caught:
        client.list_voice_training_job(ListVoiceTrainingJobRequest(limit=10))
    assert caught.value.status_code == 401
    assert caught.value.error_code == "APIGW.0301"


def test_wrong_secret_key_is_rejected(
    make_client: ClientFactory, emulator: MetaStudioEmulator
) -> None:
    before = emulator.job_ids()
    client = make_client(sk="not-the-secret")
    with pytest.raises(ClientRequestException) as caught:
        _create_basic(client)
    assert caught.value.status_code == 401 and caught.value.error_code == "APIGW.0301"
    assert emulator.job_ids() == before


def test_expired_sdk_date_is_rejected(client: Any) -> None:
    invoker = client.list_voice_training_job_invoker(ListVoiceTrainingJobRequest())
    invoker.add_header("X-Sdk-Date", "20200101T000000Z")
    with pytest.raises(ClientRequestException) as caught:
        invoker.invoke()
    assert caught.value.status_code == 401
    assert "expired" in caught.value.error_msg
