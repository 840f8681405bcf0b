"""The official ``aliyunsdkcore`` client against the ICE emulator served on loopback.

If ``AcsClient`` + ``CommonRequest`` can list, get, create, detect, submit and delete, and a
tampered signature is refused, the emulator speaks the real protocol.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkcore.auth.credentials import StsTokenCredential
from aliyunsdkcore.client import AcsClient
from aliyunsdkcore.request import CommonRequest, RpcRequest

from voiceclone.adapter import EmulatorClock
from voiceclone_ice._emulator import (
    DEFAULT_ACCESS_KEY_ID,
    DEFAULT_ACCESS_KEY_SECRET,
    DEFAULT_SECURITY_TOKEN,
    IceEmulator,
)
from voiceclone_ice._emulator_store import DEFAULT_STAGE_SECONDS

SCRIPTS = 20


class _Handler(BaseHTTPRequestHandler):
    emulator: IceEmulator

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        host = self.headers.get("Host", "127.0.0.1")
        request = httpx.Request(
            self.command, f"http://{host}{self.path}", headers=dict(self.headers), content=body
        )
        response = self.emulator.handle(request)
        self.send_response(response.status_code)
        for name, value in response.headers.items():
            if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.content)))
        self.end_headers()
        self.wfile.write(response.content)

    do_GET = do_POST = do_PUT = _serve

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _serve(emulator: IceEmulator) -> Iterator[str]:
    handler = type("Handler", (_Handler,), {"emulator": emulator})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def clock() -> EmulatorClock:
    return EmulatorClock(speed=0)


@pytest.fixture
def emulator(clock: EmulatorClock) -> IceEmulator:
    return IceEmulator(seed=7, jobs=30, clock=clock)


@pytest.fixture
def domain(emulator: IceEmulator) -> Iterator[str]:
    yield from _serve(emulator)


@pytest.fixture
def client() -> AcsClient:
    return AcsClient(
        DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, "cn-shanghai", auto_retry=False
    )


def _call(client: AcsClient, domain: str, action: str, **params: object) -> dict[str, Any]:
    request = CommonRequest(domain=domain, version="2020-11-09", action_name=action, product="ICE")
    request.set_method("POST")
    request.set_protocol_type("http")
    for name, value in params.items():
        request.add_query_param(name, value)
    reply: dict[str, Any] = json.loads(client.do_action_with_exception(request))
    return reply


def _server_error(client: AcsClient, domain: str, action: str, **params: object) -> Any:
    with pytest.raises(ServerException) as caught:
        _call(client, domain, action, **params)
    return caught.value


def test_lists_each_type_partitioned_newest_first(client: AcsClient, domain: str) -> None:
    seen: dict[str, list[dict[str, Any]]] = {}
    for job_type in ("Basic", "Standard", "CosyVoice"):
        reply = _call(client, domain, "ListCustomizedVoiceJobs", Type=job_type, PageSize=100)
        assert reply["Success"] is True
        jobs = reply["Data"]["CustomizedVoiceJobList"]
        assert reply["Data"]["TotalCount"] == len(jobs) > 0
        assert {job["Type"] for job in jobs} == {job_type}
        times = [job["CreateTime"] for job in jobs]
        assert times == sorted(times, reverse=True)
        assert all("GmtCreate" in job for job in jobs)
        seen[job_type] = jobs
    default = _call(client, domain, "ListCustomizedVoiceJobs", PageSize=100)
    assert default["Data"]["CustomizedVoiceJobList"] == seen["Basic"]
    assert sum(len(jobs) for jobs in seen.values()) == 30


def test_pages_cover_the_listing_exactly_once(client: AcsClient, domain: str) -> None:
    everything = _call(client, domain, "ListCustomizedVoiceJobs", Type="Standard", PageSize=100)
    expected = [job["JobId"] for job in everything["Data"]["CustomizedVoiceJobList"]]
    collected: list[str] = []
    for page_no in range(1, 5):
        reply = _call(
            client, domain, "ListCustomizedVoiceJobs", Type="Standard", PageNo=page_no, PageSize=3
        )
        collected += [job["JobId"] for job in reply["Data"]["CustomizedVoiceJobList"]]
        assert reply["Data"]["TotalCount"] == len(expected)
    assert collected == expected


def test_basic_workflow_create_detect_submit_train(
    client: AcsClient, domain: str, clock: EmulatorClock
) -> None:
    created = _call(
        client,
        domain,
        "CreateCustomizedVoiceJob",
        VoiceId="xiaozhuanTest1",
        Gender="female",
        Scenario="story",
        VoiceName="小专",
        VoiceDesc="温柔的女声 a=b&c",
    )
    job_id = created["Data"]["JobId"]
    assert created["Data"]["VoiceId"] == "xiaozhuanTest1"
    job = _call(client, domain, "GetCustomizedVoiceJob", JobId=job_id)["Data"]
    assert job["CustomizedVoiceJob"]["Status"] == "Initialization"
    assert job["CustomizedVoiceJob"]["VoiceName"] == "小专"
    assert job["CustomizedVoiceJob"]["VoiceDesc"] == "温柔的女声 a=b&c"

    demos = _call(client, domain, "GetDemonstrationForCustomizedVoiceJob", Scenario="story")
    scripts = demos["Data"]["DemonstrationList"]
    assert [item["AudioId"] for item in scripts] == list(range(1, SCRIPTS + 1))

    early = _server_error(client, domain, "SubmitCustomizedVoiceJob", VoiceId="xiaozhuanTest1")
    assert (early.get_http_status(), early.get_error_code()) == (403, "IncorrectJobStatus")

    bad = _call(
        client,
        domain,
        "DetectAudioForCustomizedVoiceJob",
        VoiceId="xiaozhuanTest1",
        AudioRecordId=1,
        RecordUrl="https://bucket.oss-cn-shanghai.aliyuncs.com/rec/1.mp3",
    )
    assert bad["Data"]["Pass"] is False and bad["Data"]["Reason"]
    for item in scripts:
        detected = _call(
            client,
            domain,
            "DetectAudioForCustomizedVoiceJob",
            VoiceId="xiaozhuanTest1",
            AudioRecordId=item["AudioId"],
            RecordUrl=f"https://bucket.oss-cn-shanghai.aliyuncs.com/rec/{item['AudioId']}.wav",
        )
        assert detected["Data"] == {"Pass": True}

    submitted = _call(client, domain, "SubmitCustomizedVoiceJob", VoiceId="xiaozhuanTest1")
    assert submitted["Data"] == {"JobId": job_id, "VoiceId": "xiaozhuanTest1"}
    statuses = []
    for stage in ("AudioDetecting", "PreTraining", "Training", None):
        reply = _call(client, domain, "GetCustomizedVoiceJob", JobId=job_id)
        statuses.append(reply["Data"]["CustomizedVoiceJob"]["Status"])
        if stage is not None:
            clock.advance(DEFAULT_STAGE_SECONDS[stage])
    assert statuses == ["AudioDetecting", "PreTraining", "Training", "Success"]
    voice = _call(client, domain, "GetCustomizedVoice", VoiceId="xiaozhuanTest1")
    assert voice["Data"]["CustomizedVoice"]["VoiceName"] == "小专"


def test_standard_and_cosyvoice_submissions(client: AcsClient, domain: str) -> None:
    standard = _call(
        client,
        domain,
        "SubmitStandardCustomizedVoiceJob",
        Audios="a" * 32 + "," + "b" * 32,
        Authentication="c" * 32,
        Gender="male",
        VoiceName="云扬",
    )
    assert set(standard["Data"]) == {"JobId"}
    cosy = _call(
        client,
        domain,
        "SubmitCosyVoiceCustomizedVoiceJob",
        Audios="d" * 32,
        Model="cosyvoice-v3.5-flash",
    )
    assert set(cosy["Data"]) == {"JobId", "VoiceId"}
    for reply, job_type in ((standard, "Standard"), (cosy, "CosyVoice")):
        job_id = reply["Data"]["JobId"]
        job = _call(client, domain, "GetCustomizedVoiceJob", JobId=job_id)["Data"]
        assert job["CustomizedVoiceJob"]["Type"] == job_type
        assert job["CustomizedVoiceJob"]["Status"] == "AudioDetecting"
        first = _call(client, domain, "ListCustomizedVoiceJobs", Type=job_type, PageSize=1)
        assert first["Data"]["CustomizedVoiceJobList"][0]["JobId"] == job_id


def test_delete_allowed_before_training_refused_after(
    client: AcsClient, domain: str, emulator: IceEmulator
) -> None:
    records = emulator.jobs()
    trained = next(i for i, job in records.items() if job["Status"] == "Success")
    waiting = next(i for i, job in records.items() if job["Status"] == "Initialization")
    refused = _server_error(client, domain, "DeleteCustomizedVoiceJob", JobId=trained)
    assert (refused.get_http_status(), refused.get_error_code()) == (403, "IncorrectJobStatus")
    reply = _call(client, domain, "DeleteCustomizedVoiceJob", JobId=waiting)
    assert reply["Success"] is True and "Data" not in reply
    assert waiting not in emulator.job_ids() and trained in emulator.job_ids()
    gone = _server_error(client, domain, "GetCustomizedVoiceJob", JobId=waiting)
    assert (gone.get_http_status(), gone.get_error_code()) == (404, "ResourceNotFound")


def test_wrong_secret_is_refused_with_the_sdks_string_to_sign(domain: str) -> None:
    wrong = AcsClient(DEFAULT_ACCESS_KEY_ID, "not-the-secret", "cn-shanghai", auto_retry=False)
    error = _server_error(wrong, domain, "ListCustomizedVoiceJobs")
    assert (error.get_http_status(), error.get_error_code()) == (400, "SignatureDoesNotMatch")
    # An RpcRequest keeps its string to sign; the core rewrites SignatureDoesNotMatch to
    # InvalidAccessKeySecret only when the server's string to sign equals its own: proof the
    # emulator canonicalizes exactly like the SDK.
    request = RpcRequest("ICE", "2020-11-09", "ListCustomizedVoiceJobs", "ice")
    request.set_method("POST")
    request.set_protocol_type("http")
    request.set_endpoint(domain)
    request.add_query_param("VoiceName", "小专 A*B~C+D/E")
    with pytest.raises(ServerException) as caught:
        wrong.do_action_with_exception(request)
    assert caught.value.get_error_code() == "InvalidAccessKeySecret"


def test_unknown_access_key_is_refused(domain: str) -> None:
    stranger = AcsClient("LTAIsomeoneElse", DEFAULT_ACCESS_KEY_SECRET, "cn-shanghai")
    error = _server_error(stranger, domain, "ListCustomizedVoiceJobs")
    assert (error.get_http_status(), error.get_error_code()) == (
        404,
        "InvalidAccessKeyId.NotFound",
    )


def test_unknown_action_gets_the_gateway_error(client: AcsClient, domain: str) -> None:
    error = _server_error(client, domain, "DeleteCustomizedVoice", VoiceId="x")
    assert (error.get_http_status(), error.get_error_code()) == (404, "InvalidAction.NotFound")


def test_validation_errors_carry_vendor_codes(client: AcsClient, domain: str) -> None:
    cases: list[tuple[str, dict[str, object], str]] = [
        ("ListCustomizedVoiceJobs", {"PageSize": 101}, "InvalidParameter"),
        ("ListCustomizedVoiceJobs", {"PageSize": 0}, "InvalidParameter"),
        ("ListCustomizedVoiceJobs", {"PageNo": 0}, "InvalidParameter"),
        ("ListCustomizedVoiceJobs", {"Type": "basic"}, "InvalidParameter"),
        ("GetCustomizedVoiceJob", {}, "MissingJobId"),
        ("CreateCustomizedVoiceJob", {"Gender": "female", "Scenario": "story"}, "MissingVoiceId"),
        (
            "CreateCustomizedVoiceJob",
            {"VoiceId": "xiao-zhuan", "Gender": "female", "Scenario": "story"},
            "InvalidParameter",
        ),
        (
            "CreateCustomizedVoiceJob",
            {"VoiceId": "x" * 33, "Gender": "female", "Scenario": "story"},
            "InvalidParameter",
        ),
        (
            "CreateCustomizedVoiceJob",
            {"VoiceId": "ok1", "Gender": "other", "Scenario": "story"},
            "InvalidParameter",
        ),
        ("SubmitStandardCustomizedVoiceJob", {"Authentication": "m"}, "MissingParameter"),
        ("SubmitCosyVoiceCustomizedVoiceJob", {"Audios": "a,b"}, "InvalidParameter"),
        ("SubmitCosyVoiceCustomizedVoiceJob", {"Audios": "a", "Model": "v9"}, "InvalidParameter"),
        (
            "DetectAudioForCustomizedVoiceJob",
            {"VoiceId": "nobody", "AudioRecordId": 21, "RecordUrl": "https://b/x.wav"},
            "InvalidParameter",
        ),
        (
            "DetectAudioForCustomizedVoiceJob",
            {"VoiceId": "nobody", "AudioRecordId": 1, "RecordUrl": "https://b/x.wav"},
            "ResourceNotFound",
        ),
    ]
    for action, params, code in cases:
        error = _server_error(client, domain, action, **params)
        assert error.get_error_code() == code, (action, params, error)
        assert error.get_request_id()


def test_sts_credentials_are_accepted_only_with_the_token() -> None:
    emulator = IceEmulator(security_token=DEFAULT_SECURITY_TOKEN)
    for domain in _serve(emulator):
        sts = AcsClient(
            credential=StsTokenCredential(
                DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, DEFAULT_SECURITY_TOKEN
            ),
            region_id="cn-shanghai",
        )
        assert _call(sts, domain, "ListCustomizedVoiceJobs")["Data"]["TotalCount"] == 0
        forged = AcsClient(
            credential=StsTokenCredential(
                DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, "another-token"
            ),
            region_id="cn-shanghai",
        )
        error = _server_error(forged, domain, "ListCustomizedVoiceJobs")
        assert error.get_error_code() == "InvalidSecurityToken.MismatchWithAccessKey"
        plain = AcsClient(DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, "cn-shanghai")
        assert _server_error(plain, domain, "ListCustomizedVoiceJobs").get_error_code() == (
            "MissingSecurityToken"
        )


def test_tea_sdk_with_v3_and_v1_signatures(domain: str, emulator: IceEmulator) -> None:
    from alibabacloud_ice20201109 import models
    from alibabacloud_ice20201109.client import Client
    from alibabacloud_tea_openapi.utils_models import Config

    for algorithm in (None, "v2"):  # None: ACS3-HMAC-SHA256 header; "v2": RPC v1 in the query
        config = Config(
            access_key_id=DEFAULT_ACCESS_KEY_ID,
            access_key_secret=DEFAULT_ACCESS_KEY_SECRET,
            endpoint=domain,
            protocol="http",
            signature_algorithm=algorithm,
        )
        tea = Client(config)
        request = models.ListCustomizedVoiceJobsRequest(type="CosyVoice", page_size=100)
        listed = tea.list_customized_voice_jobs(request).body.data
        assert listed.total_count == len(listed.customized_voice_job_list) > 0
        submitted = tea.submit_cosy_voice_customized_voice_job(
            models.SubmitCosyVoiceCustomizedVoiceJobRequest(audios="m1", voice_name="小专")
        ).body.data
        assert submitted.job_id in emulator.job_ids()
        config.access_key_secret = "nope"
        wrong = Client(config)
        with pytest.raises(Exception, match="SignatureDoesNotMatch"):
            wrong.list_customized_voice_jobs(request)
