"""ICE job records to neutral jobs, and ICE replies to neutral errors."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from voiceclone import (
    AuthenticationError,
    ConflictError,
    Gender,
    JobStatus,
    NotFoundError,
    PermissionDeniedError,
    ProviderError,
    ProviderResponseError,
    RateLimitError,
    ServiceUnavailableError,
)
from voiceclone_ice._calls import read_data, read_reply
from voiceclone_ice._jobs import STATUS_MAP, job_from_record

DOCUMENTED = {
    "Initialization": JobStatus.CREATED,
    "AudioDetecting": JobStatus.REVIEWING,
    "PreTraining": JobStatus.PREPROCESSING,
    "Training": JobStatus.TRAINING,
    "Success": JobStatus.SUCCEEDED,
    "Fail": JobStatus.FAILED,
}
STATUS_DOC = Path(__file__).resolve().parents[2] / "docs" / "status-mapping.md"


@pytest.mark.parametrize(("raw", "expected"), sorted(DOCUMENTED.items()))
def test_every_documented_status_maps(raw: str, expected: JobStatus, make_record: Any) -> None:
    job = job_from_record(make_record("j1", "Basic", 1, status=raw))
    assert job.status is expected and job.raw_status == raw
    assert set(STATUS_MAP) == set(DOCUMENTED)


def test_the_status_mapping_doc_matches_the_table() -> None:
    text = STATUS_DOC.read_text(encoding="utf-8")
    section = text.split("## Alibaba Cloud ICE", 1)[1].split("\n## ", 1)[0]
    rows = dict(re.findall(r"^\| `(\w+)` \| `(\w+)` \|", section, flags=re.MULTILINE))
    assert {raw: JobStatus(value) for raw, value in rows.items()} == DOCUMENTED


def test_an_unknown_status_is_kept_not_fatal(make_record: Any) -> None:
    job = job_from_record(make_record("j1", "CosyVoice", 1, status="Reviewing2030"))
    assert job.status is JobStatus.UNKNOWN and job.raw_status == "Reviewing2030"
    assert job.edition == "CosyVoice"


def test_fields_map_to_the_neutral_job(make_record: Any) -> None:
    row = make_record("j1", "Standard", 7, VoiceId="xiaozhuan", Gender="male")
    job = job_from_record(row, "req-9")
    assert job.provider == "alibaba-ice" and job.job_id == "j1"
    assert job.voice_id == "xiaozhuan" and job.voice_name == "name j1"
    assert job.edition == "Standard" and job.gender is Gender.MALE
    assert job.created_at == datetime(2024, 1, 1, 10, 7, tzinfo=timezone.utc)
    assert job.failure is None and job.language is None and job.updated_at is None
    assert dict(job.extra) == row


def test_failed_jobs_carry_the_message(make_record: Any) -> None:
    job = job_from_record(make_record("j1", "Basic", 1, status="Fail", Message="训练失败"))
    assert job.failure is not None and job.failure.message == "训练失败"
    ok = job_from_record(make_record("j2", "Basic", 1, status="Success", Message="训练成功"))
    assert ok.failure is None


def test_gmt_create_is_the_fallback_and_unknown_gender_is_kept() -> None:
    row = {"JobId": "j", "Status": "Training", "GmtCreate": "2022-06-27T02:42:28Z", "Gender": "x"}
    job = job_from_record(row)
    assert job.created_at == datetime(2022, 6, 27, 2, 42, 28, tzinfo=timezone.utc)
    assert job.gender is Gender.UNKNOWN and job.extra["Gender"] == "x"
    row = {"JobId": "j", "Status": "Fail", "CreateTime": "2024-01-01T08:00+08:00"}
    offset = job_from_record(row)
    assert offset.created_at == datetime(2024, 1, 1, 0, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "row",
    [
        [],
        "job",
        {"Status": "Success"},
        {"JobId": 5, "Status": "Success"},
        {"JobId": "j", "Status": None},
        {"JobId": "j", "Status": "Success", "VoiceName": 3},
        {"JobId": "j", "Status": "Success", "CreateTime": "yesterday"},
        {"JobId": "j", "Status": "Success", "CreateTime": True},
        {"JobId": "j", "Status": "Fail", "Message": {"x": 1}},
    ],
)
def test_malformed_records_are_provider_response_errors(row: Any) -> None:
    with pytest.raises(ProviderResponseError) as caught:
        job_from_record(row, "req-7")
    assert caught.value.provider == "alibaba-ice" and caught.value.request_id == "req-7"


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=8,
)
_keys = st.sampled_from(["JobId", "Status", "Type", "VoiceName", "Gender", "CreateTime", "Message"])


@given(st.dictionaries(_keys, _json) | _json)
def test_any_payload_converts_or_raises_provider_response_error(row: Any) -> None:
    try:
        job = job_from_record(row)
    except ProviderResponseError:
        return
    assert job.raw_status == row["Status"]


def _response(status: int, body: Any, **headers: str) -> httpx.Response:
    if isinstance(body, (bytes, str)):
        return httpx.Response(status, content=body, headers=headers)
    return httpx.Response(status, json=body, headers=headers)


@pytest.mark.parametrize(
    ("status", "code", "expected"),
    [
        (400, "Throttling", RateLimitError),
        (400, "Throttling.User", RateLimitError),
        (400, "Throttling.Api", RateLimitError),
        (400, "SignatureDoesNotMatch", AuthenticationError),
        (400, "InvalidAccessKeyId.Inactive", AuthenticationError),
        (404, "InvalidAccessKeyId.NotFound", AuthenticationError),
        (400, "InvalidSecurityToken.Expired", AuthenticationError),
        (403, "Forbidden.RAM", PermissionDeniedError),
        (403, "NoPermission", PermissionDeniedError),
        (404, "ResourceNotFound", NotFoundError),
        (400, "InvalidJobId.NotExist", NotFoundError),
        (403, "IncorrectJobStatus", ConflictError),
        (400, "InvalidParameter.VoiceIdExists", ConflictError),
        (400, "InvalidParameter", ProviderError),
        (500, "InternalError", ServiceUnavailableError),
        (503, "ServiceUnavailable", ServiceUnavailableError),
        (502, "SomethingNew", ServiceUnavailableError),
        (429, "SomethingNew", RateLimitError),
    ],
)
def test_error_replies_map_to_neutral_classes(status: int, code: str, expected: type) -> None:
    body = {"RequestId": "req-e", "HostId": "h", "Code": code, "Message": "no"}
    with pytest.raises(ProviderError) as caught:
        read_reply(_response(status, body))
    error = caught.value
    assert type(error) is expected
    assert (error.provider, error.status_code, error.code) == ("alibaba-ice", status, code)
    assert error.request_id == "req-e" and error.message == "no"


def test_throttling_honours_x_acs_retry_after_in_milliseconds() -> None:
    body = {"RequestId": "r", "Code": "Throttling.User", "Message": "slow down"}
    with pytest.raises(RateLimitError) as caught:
        read_reply(_response(400, body, **{"x-acs-retry-after": "2500"}))
    assert caught.value.retry_after == 2.5 and caught.value.retryable
    with pytest.raises(RateLimitError) as caught:
        read_reply(_response(429, b"busy", **{"Retry-After": "3"}))
    assert caught.value.retry_after == 3.0


def test_success_false_with_http_200_is_an_error() -> None:
    body = {"RequestId": "r2", "Success": False, "Code": "Forbidden.RAM", "Message": "denied"}
    with pytest.raises(PermissionDeniedError):
        read_reply(_response(200, body))
    with pytest.raises(ProviderError) as caught:
        read_reply(_response(200, {"RequestId": "r3", "Success": False}))
    assert caught.value.status_code == 200 and caught.value.request_id == "r3"


@pytest.mark.parametrize(
    "body",
    [
        b"<html>gateway</html>",
        b'{"RequestId": "r", "Success": true, "Data": [1]}',
        b"[]",
        b'{"RequestId": "r", "Success": "yes", "Data": {}}',
        b'{"RequestId": "r", "Succ',
    ],
)
def test_malformed_replies_are_provider_response_errors(body: bytes) -> None:
    with pytest.raises(ProviderResponseError) as caught:
        read_data(_response(200, body, **{"x-acs-request-id": "hdr-id"}))
    assert caught.value.status_code == 200 and caught.value.request_id in {"r", "hdr-id"}


def test_a_non_json_5xx_is_service_unavailable() -> None:
    with pytest.raises(ServiceUnavailableError):
        read_reply(_response(502, b"Bad Gateway"))


def test_the_echoed_string_to_sign_never_reaches_the_error() -> None:
    message = (
        "Specified signature is not matched with our calculation. server string to sign is:"
        "POST&%2F&AccessKeyId%3DLTAIsecretid%26SecurityToken%3DT0K3N"
    )
    body = {"RequestId": "r", "Code": "SignatureDoesNotMatch", "Message": message}
    with pytest.raises(AuthenticationError) as caught:
        read_reply(_response(400, body))
    assert "LTAIsecretid" not in str(caught.value) and "T0K3N" not in repr(caught.value)
    assert "not matched" in str(caught.value)
