"""The 21 vendor operations: the request each builds, and parsing its documented reply shape."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from voiceclone import ProviderResponseError, ValidationError
from voiceclone.adapter import Call
from voiceclone_metastudio import (
    CommitJobReq,
    CreatedTrainingJob,
    CreateTrainingJobReq,
    JobAuditResult,
    MetaStudioProvider,
    OperationLog,
    ShortJob,
    TrainingJobInfo,
    TrainingJobList,
    VoiceTrainingQuotas,
)

PROJECT = "0123456789abcdef0123456789abcdef"
BASE = f"/v1/{PROJECT}/voice-training-manage"
JOB = "5b1c8f7e-1111-2222-3333-444455556666"

ASSESS = {
    "speed": {
        "expected": "3-5",
        "actual": "4",
        "suggestion": "好",
        "suggestion_en": "ok",
        "status": 0,
    },
    "snr": {"expected": ">20", "actual": "12", "status": 1},
    "suggestion": "retake in a quieter room",
}
JOB_INFO = {
    "job_type": "MIDDLE",
    "job_id": JOB,
    "app_user_id": "u1",
    "voice_name": "v",
    "sex": "MALE",
    "language": "EN",
    "state": "SUCCEED",
    "reject_times": 1,
    "asset_id": "asset-1",
    "create_time": 1_700_000_000_000,
    "lastupdate_time": 1_700_000_100_000,
    "voice_authorization_url": "https://bucket/letter",
    "training_input_source_url": "https://bucket/input.zip",
    "create_type": "SEGMENT",
    "tag": "NEWS",
    "phone": "123",
    "dhtms_job_id": "dh-1",
    "batch_name": "b1",
    "allocated_resource": {
        "resource_id": "r1",
        "charge_mode": "PERIODIC",
        "expire_time": "2021-01-10T08:43:17Z",
    },
    "output_language": "EN",
    "is_remake": False,
    "assess_result": ASSESS,
    "is_ondemand_resource": True,
}
ADVANCE_CREATE_EXAMPLE = (
    '{ "job_id" : "abcdefg", "training_data_uploading_url" : "https://my-bucket/data.zip", '
    '"segment_uploading_url" : { "audio_uploading_url" : [ "https://my-bucket/data0.wav" ], '
    '"txt_uploading_url" : [ "https://my-bucket/data0.txt" ] }, '
    '"authorization_letter_uploading_url" : "https://my-bucket/data" }'
)


def _body(data: Any) -> bytes:
    return (
        json.dumps(data).encode()
        if not isinstance(data, (bytes, str))
        else (data.encode() if isinstance(data, str) else data)
    )


def _reply(call: Call[Any], data: Any, status: int = 200) -> Any:
    response = httpx.Response(
        status, content=_body(data), headers={"X-Request-Id": "rid-1"}, request=call.request
    )
    return call.parse(response)


# name, builder, method, path (after BASE unless absolute), query, body, app-user header, safe,
# a documented reply, a check of the parsed result
Case = tuple[
    str,
    Callable[[MetaStudioProvider], Call[Any]],
    str,
    str,
    dict[str, str],
    Any,
    bool,
    bool,
    Any,
    Callable[[Any], bool],
]

CASES: list[Case] = [
    (
        "list_voice_training_job",
        lambda p: p.list_voice_training_job(
            offset=0, limit=10, state="FAILED,WAITING", job_type="BASIC", is_ondemand_resource=False
        ),
        "GET",
        "/user/jobs",
        {
            "offset": "0",
            "limit": "10",
            "state": "FAILED,WAITING",
            "job_type": "BASIC",
            "is_ondemand_resource": "false",
        },
        None,
        True,
        True,
        {"count": 1, "jobs": [JOB_INFO]},
        lambda r: (
            isinstance(r, TrainingJobList)
            and r.count == 1
            and r.jobs[0].asset_id == "asset-1"
            and r.jobs[0].assess_result.snr.status == 1
        ),
    ),
    (
        "show_voice_training_job",
        lambda p: p.show_voice_training_job(JOB),
        "GET",
        f"/user/jobs/{JOB}",
        {},
        None,
        True,
        True,
        JOB_INFO,
        lambda r: (
            isinstance(r, TrainingJobInfo)
            and r.allocated_resource.charge_mode == "PERIODIC"
            and r.is_ondemand_resource is True
        ),
    ),
    (
        "create_training_basic_job",
        lambda p: p.create_training_basic_job(
            CreateTrainingJobReq(voice_name="测试", sex="FEMALE", supported_service=("VIDEO_2D",))
        ),
        "POST",
        "/user/basic-jobs",
        {},
        {"voice_name": "测试", "sex": "FEMALE", "supported_service": ["VIDEO_2D"]},
        True,
        False,
        {"job_id": "j1", "training_data_uploading_url": "https://b/d.zip"},
        lambda r: isinstance(r, CreatedTrainingJob) and r.job_id == "j1",
    ),
    (
        "create_training_middle_job",
        lambda p: p.create_training_middle_job(CreateTrainingJobReq(voice_name="m")),
        "POST",
        "/user/middle-jobs",
        {},
        {"voice_name": "m"},
        True,
        False,
        {
            "job_id": "j2",
            "segment_uploading_url": {"audio_uploading_url": ["a"], "txt_uploading_url": ["t"]},
        },
        lambda r: r.segment_uploading_url.txt_uploading_url == ("t",),
    ),
    (
        "create_training_advance_job",
        lambda p: p.create_training_advance_job(
            CreateTrainingJobReq(
                voice_name="Gentle female voice",
                tag="ECOMMERCE",
                description="It is a female voice.",
                sex="FEMALE",
                language="CN",
                create_type="PACKAGE",
            )
        ),
        "POST",
        "/user/advance-jobs",
        {},
        {
            "tag": "ECOMMERCE",
            "description": "It is a female voice.",
            "sex": "FEMALE",
            "voice_name": "Gentle female voice",
            "language": "CN",
            "create_type": "PACKAGE",
        },
        True,
        False,
        ADVANCE_CREATE_EXAMPLE,
        lambda r: (
            r.job_id == "abcdefg"
            and r.training_data_uploading_url == "https://my-bucket/data.zip"
            and r.segment_uploading_url.audio_uploading_url == ("https://my-bucket/data0.wav",)
            and r.authorization_letter_uploading_url == "https://my-bucket/data"
        ),
    ),
    (
        "create_training_third_party_job",
        lambda p: p.create_training_third_party_job(CreateTrainingJobReq(voice_name="t")),
        "POST",
        "/user/third-party-jobs",
        {},
        {"voice_name": "t"},
        True,
        False,
        {"job_id": "j3"},
        lambda r: r.job_id == "j3" and r.segment_uploading_url is None,
    ),
    (
        "commit_voice_training_job",
        lambda p: p.commit_voice_training_job(JOB, CommitJobReq(voice_name="v2", tag="NEWS")),
        "POST",
        f"/user/jobs/{JOB}",
        {},
        {"voice_name": "v2", "tag": "NEWS"},
        True,
        False,
        b"",
        lambda r: r is None,
    ),
    (
        "delete_voice_training_job",
        lambda p: p.delete_voice_training_job(JOB),
        "DELETE",
        f"/user/jobs/{JOB}",
        {},
        None,
        True,
        True,
        {},
        lambda r: r is None,
    ),
    (
        "show_job_audit_result",
        lambda p: p.show_job_audit_result(JOB),
        "GET",
        f"/user/jobs/{JOB}/audit-result",
        {},
        None,
        False,
        True,
        {
            "system_audit_result": {
                "audit_time": 1700000000,
                "errors": [
                    {
                        "audio_name": "1.wav",
                        "text_name": "1.txt",
                        "error_code": "E1",
                        "error_message": "noise",
                    }
                ],
            },
            "admin_audit_result": {
                "message": "rejected",
                "attachment_name": "a.pdf",
                "attachment_url": "https://b/a.pdf",
                "audit_time": 1700000001,
            },
        },
        lambda r: (
            isinstance(r, JobAuditResult)
            and r.system_audit_result.errors[0].error_message == "noise"
            and r.admin_audit_result.message == "rejected"
        ),
    ),
    (
        "show_job_uploading_address",
        lambda p: p.show_job_uploading_address(JOB),
        "GET",
        f"/user/jobs/{JOB}/uploading-address-url",
        {},
        None,
        False,
        True,
        {
            "segment_url": {"audio_uploading_url": ["a0", "a1"], "txt_uploading_url": ["t0"]},
            "package_url": {"training_data_uploading_url": "https://b/p.zip"},
            "authorization_letter_uploading_url": "https://b/l",
        },
        lambda r: (
            r.segment_url.audio_uploading_url == ("a0", "a1")
            and r.package_url.training_data_uploading_url == "https://b/p.zip"
        ),
    ),
    (
        "show_training_segment_info",
        lambda p: p.show_training_segment_info(JOB),
        "GET",
        "/user/training-segment",
        {"job_id": JOB},
        None,
        False,
        True,
        {"confirmed_index": [0, 1, 5]},
        lambda r: r.confirmed_index == (0, 1, 5),
    ),
    (
        "confirm_training_segment",
        lambda p: p.confirm_training_segment(JOB, 3),
        "POST",
        "/user/training-segment",
        {"job_id": JOB, "index": "3"},
        None,
        False,
        True,
        {"confirm_result": False, "unmatched_index_hit": [2, 4]},
        lambda r: r.confirm_result is False and r.unmatched_index_hit == (2, 4),
    ),
    (
        "show_user_review_attachment_uploading_address",
        lambda p: p.show_user_review_attachment_uploading_address(
            JOB, start_number=1, end_number=5
        ),
        "GET",
        f"/user/jobs/{JOB}/review-attachment-uploading-address-url",
        {"start_number": "1", "end_number": "5"},
        None,
        False,
        True,
        {"addresses": [{"number": 1, "uploading_url": "https://b/1"}]},
        lambda r: r.addresses[0].number == 1 and r.addresses[0].uploading_url == "https://b/1",
    ),
    (
        "list_job_operation_log",
        lambda p: p.list_job_operation_log(JOB, offset=0, limit=100),
        "GET",
        f"/user/jobs/{JOB}/op-logs",
        {"offset": "0", "limit": "100"},
        None,
        False,
        True,
        {
            "count": 2,
            "operations": [
                {"time": 1700000000000, "action": "CREATE_JOB", "operator": "USER"},
                {
                    "time": 1700000001000,
                    "action": "AUDIT_NOT_PASS",
                    "operator": "ADMIN",
                    "external_info": {
                        "review_id_list": ["r1"],
                        "admin_audit_failure_reason": "noise",
                    },
                },
            ],
        },
        lambda r: (
            isinstance(r, OperationLog)
            and r.count == 2
            and r.operations[1].external_info.review_id_list == ("r1",)
        ),
    ),
    (
        "set_job_batch_name",
        lambda p: p.set_job_batch_name("batch-1", [JOB, "other"]),
        "PUT",
        "/user/batch",
        {},
        {"batch_name": "batch-1", "job_ids": [JOB, "other"]},
        True,
        True,
        b"",
        lambda r: r is None,
    ),
    (
        "show_encrypt_file",
        lambda p: p.show_encrypt_file("tenant", JOB, "once+tok"),
        "GET",
        "/v1/voice-training-manage/common/encrypt-file-download",
        {"tenant_id": "tenant", "job_id": JOB, "once_token": "once+tok"},
        None,
        False,
        True,
        b"\x00\x01binary",
        lambda r: r == b"\x00\x01binary",
    ),
    (
        "show_voice_training_quotas",
        lambda p: p.show_voice_training_quotas(offset=0, limit=100),
        "GET",
        "/quotas",
        {"offset": "0", "limit": "100"},
        None,
        False,
        True,
        {
            "count": 1,
            "resource_available_nums": {"basic": 2, "middle_on_demand": 0},
            "resources": [
                {
                    "operation_type": "ADD",
                    "resource_source": "PURCHASED",
                    "resource_id": "r",
                    "resource_nums": 3,
                    "resource_available_nums": 2,
                    "resource_type": "TTS_CMWW",
                    "charge_mode": "ON_DEMAND",
                    "expire_time": "2021-01-10T08:43:17Z",
                    "status": 0,
                }
            ],
        },
        lambda r: (
            isinstance(r, VoiceTrainingQuotas)
            and r.resource_available_nums.basic == 2
            and r.resources[0].resource_type == "TTS_CMWW"
        ),
    ),
    (
        "show_tenant_duration_cfg",
        lambda p: p.show_tenant_duration_cfg(),
        "GET",
        "/user/tenant-duration-cfg",
        {},
        None,
        False,
        True,
        {"tenant_id": "t", "basic_min": 60, "basic_max": 600, "short_assess_max": 60},
        lambda r: r.basic_max == 600 and r.middle_min is None,
    ),
    (
        "create_short_job",
        lambda p: p.create_short_job(language="CN"),
        "POST",
        "/user/short-jobs",
        {},
        {"job_type": "VOICE_ASSESS", "language": "CN"},
        True,
        False,
        {"job_id": "s1", "data_uploading_url": "https://b/s.zip"},
        lambda r: r.job_id == "s1" and r.data_uploading_url == "https://b/s.zip",
    ),
    (
        "commit_short_job",
        lambda p: p.commit_short_job("s1"),
        "POST",
        "/user/short-jobs/s1",
        {},
        None,
        True,
        False,
        b"{}",
        lambda r: r is None,
    ),
    (
        "show_short_job",
        lambda p: p.show_short_job("s1"),
        "GET",
        "/user/short-jobs/s1",
        {},
        None,
        True,
        True,
        {
            "job_type": "VOICE_ASSESS",
            "job_id": "s1",
            "state": "SUCCEED",
            "create_time": 1,
            "lastupdate_time": 2,
            "assess_result": ASSESS,
        },
        lambda r: isinstance(r, ShortJob) and r.assess_result.speed.suggestion_en == "ok",
    ),
]


def test_all_21_operations_are_covered() -> None:
    assert len({case[0] for case in CASES}) == 21


@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_operation_request_and_reply(
    make_provider: Callable[..., MetaStudioProvider], case: Case
) -> None:
    name, build, method, path, query, body, app_user, safe, reply, check = case
    call = build(make_provider(app_user_id="app-user-01"))
    request = call.request
    assert call.name == name
    assert call.safe_to_repeat is safe
    assert request.method == method
    expected_path = path if path.startswith("/v1/voice") else BASE + path
    assert request.url.path == expected_path
    assert dict(request.url.params) == query
    assert request.headers["Content-Type"] == "application/json"
    assert ("X-App-UserId" in request.headers) is app_user
    if body is None:
        assert request.content == b""
    else:
        assert json.loads(request.content) == body
    assert check(_reply(call, reply))


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if c[8] not in (b"", b"{}", {}) and c[0] != "show_encrypt_file"],
    ids=lambda c: c[0],
)
@pytest.mark.parametrize("bad", [b"", b"<html>", b'{"count": ', b"[]", b'"text"'])
def test_malformed_replies_are_provider_response_errors(
    provider: MetaStudioProvider, case: Case, bad: bytes
) -> None:
    call = case[1](provider)
    with pytest.raises(ProviderResponseError) as info:
        _reply(call, bad)
    assert info.value.request_id == "rid-1"
    assert info.value.status_code == 200
    assert info.value.provider == "huawei-metastudio"


@pytest.mark.parametrize(
    ("data", "where"),
    [
        ({"count": "1", "jobs": []}, "count"),
        ({"count": 1, "jobs": {}}, "jobs"),
        ({"count": 1, "jobs": [{"job_id": 5, "state": "X"}]}, "job_id"),
        (
            {"count": 1, "jobs": [{"job_id": "j", "state": "X", "reject_times": "2"}]},
            "reject_times",
        ),
        ({"count": 1, "jobs": [{"job_id": "j", "state": "X", "is_remake": 1}]}, "is_remake"),
        ({"count": 1, "jobs": [{"job_id": "j", "state": "X", "assess_result": []}]}, "assess"),
        ({"jobs": []}, "count"),
    ],
)
def test_wrong_types_name_the_field(provider: MetaStudioProvider, data: Any, where: str) -> None:
    with pytest.raises(ProviderResponseError, match=where):
        _reply(provider.list_voice_training_job(), data)


def test_unknown_enum_values_and_extra_keys_are_kept_or_ignored(
    provider: MetaStudioProvider,
) -> None:
    data = {"job_id": "j", "state": "NEW_STATE", "job_type": "FLEXUS_2", "new_field": {"x": 1}}
    info = _reply(provider.show_voice_training_job("j"), data)
    assert (info.state, info.job_type) == ("NEW_STATE", "FLEXUS_2")


def test_commit_without_body_sends_no_body(provider: MetaStudioProvider) -> None:
    call = provider.commit_voice_training_job(JOB)
    assert call.request.content == b""
    assert (
        "Content-Length" not in call.request.headers
        or call.request.headers["Content-Length"] == "0"
    )


def test_path_parameters_are_encoded(provider: MetaStudioProvider) -> None:
    call = provider.show_voice_training_job("任务/1?x")
    assert call.request.url.raw_path.decode().endswith("/user/jobs/%E4%BB%BB%E5%8A%A1%2F1%3Fx")


@pytest.mark.parametrize(
    "build",
    [
        lambda p: p.show_voice_training_job(""),
        lambda p: p.show_voice_training_job(None),
        lambda p: p.list_voice_training_job(limit=101),
        lambda p: p.list_voice_training_job(limit=0),
        lambda p: p.list_voice_training_job(offset=-1),
        lambda p: p.list_voice_training_job(limit=True),
        lambda p: p.list_voice_training_job(sort_dir="up"),
        lambda p: p.list_voice_training_job(sort_key="name"),
        lambda p: p.confirm_training_segment(JOB, -1),
        lambda p: p.list_job_operation_log(JOB, limit=500),
        lambda p: p.show_user_review_attachment_uploading_address(
            JOB, start_number=5, end_number=1
        ),
        lambda p: p.set_job_batch_name("b", []),
        lambda p: p.set_job_batch_name("b", "job-id"),
        lambda p: p.create_short_job(job_type="OTHER"),
        lambda p: p.create_short_job(language="zh"),
        lambda p: p.show_encrypt_file("t", JOB, ""),
    ],
)
def test_bad_arguments_fail_before_any_request(
    provider: MetaStudioProvider, build: Callable[[MetaStudioProvider], Any]
) -> None:
    with pytest.raises(ValidationError):
        build(provider)
