"""The state table and the job-record fast path (exact vendor example bodies included)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import pytest

from voiceclone import Failure, Gender, JobStatus, ProviderResponseError
from voiceclone_metastudio import STATE_TO_STATUS, job_from_wire
from voiceclone_metastudio._status import states_for, status_of

UTC = timezone.utc

EXPECTED = {
    "CREATING": JobStatus.CREATED,
    "SYSTEM_AUDITING": JobStatus.REVIEWING,
    "AUDITING": JobStatus.REVIEWING,
    "WAITING_SPLIT": JobStatus.PREPROCESSING,
    "SPLITTING": JobStatus.PREPROCESSING,
    "SPLIT_FAILED": JobStatus.FAILED,
    "ANNOTATING": JobStatus.PREPROCESSING,
    "WAITING": JobStatus.QUEUED,
    "PROCESSING": JobStatus.TRAINING,
    "RESULT_REVIEW": JobStatus.RESULT_REVIEW,
    "AUDIT_FAILED": JobStatus.ACTION_REQUIRED,
    "USER_RESULT_REVIEW": JobStatus.RESULT_REVIEW,
    "USER_REVIEW_REJECT": JobStatus.ACTION_REQUIRED,
    "UPLOADING": JobStatus.TRAINING,
    "FAILED": JobStatus.FAILED,
    "SUCCEED": JobStatus.SUCCEEDED,
}
"""The 16 documented JobState values (reference section 3) and docs/status-mapping.md."""

# Exact example bodies of the vendor pages (reference/seeds/huawei-*.txt).
LIST_EXAMPLE = """{
"count" : 2147483647,
"jobs" : [ {
"job_type" : "BASIC",
"job_id" : "abcdefg",
"app_user_id" : "123qwe",
"voice_name" : "Female voice",
"sex" : "FEMALE",
"language" : "CN",
"state" : "WAITING",
"asset_id" : "my_asset_id",
"job_failed_code" : "MSS.00000000",
"job_failed_reason" : "error reason",
"create_time" : 2147483647,
"lastupdate_time" : 2147483647,
"voice_authorization_url" : "https://bucket/data",
"create_type" : "PACKAGE",
"tag" : "ECOMMERCE"
} ]
}"""
SHOW_EXAMPLE_ZH = (
    '{ "job_type" : "BASIC", "job_id" : "abcdefg", "app_user_id" : "123qwe", "voice_name" : '
    '"女声", "sex" : "FEMALE", "language" : "CN", "state" : "WAITING", "asset_id" : '
    '"my_asset_id", "job_failed_code" : "MSS.00000000", "job_failed_reason" : "error reason", '
    '"create_time" : 2147483647, "lastupdate_time" : 2147483647, "voice_authorization_url" : '
    '"https://bucket/data", "create_type" : "PACKAGE", "tag" : "ECOMMERCE" }'
)


def test_the_table_covers_exactly_the_16_documented_states() -> None:
    assert dict(STATE_TO_STATUS) == EXPECTED
    assert len(STATE_TO_STATUS) == 16


@pytest.mark.parametrize(("state", "status"), sorted(EXPECTED.items()))
def test_each_documented_state_maps_through_the_job(state: str, status: JobStatus) -> None:
    job = job_from_wire({"job_id": "j", "state": state})
    assert job.status is status
    assert job.raw_status == state


def test_an_undocumented_state_is_unknown_and_kept() -> None:
    job = job_from_wire({"job_id": "j", "state": "QUANTUM_TUNNELLING"})
    assert job.status is JobStatus.UNKNOWN
    assert job.raw_status == "QUANTUM_TUNNELLING"
    assert status_of("succeed") is JobStatus.UNKNOWN  # states are case-sensitive on the wire


def test_terminal_and_action_states() -> None:
    terminal = {s for s, status in EXPECTED.items() if status.is_terminal}
    assert terminal == {"SUCCEED", "FAILED", "SPLIT_FAILED"}
    assert {s for s, status in EXPECTED.items() if status.needs_action} == {
        "AUDIT_FAILED",
        "USER_REVIEW_REJECT",
    }


def test_states_for_pushes_down_every_matching_state() -> None:
    assert states_for({JobStatus.REVIEWING, JobStatus.FAILED}) == (
        "AUDITING",
        "FAILED",
        "SPLIT_FAILED",
        "SYSTEM_AUDITING",
    )
    assert states_for({JobStatus.TRAINING, JobStatus.UNKNOWN}) is None
    for status in JobStatus:
        if status is not JobStatus.UNKNOWN:
            assert states_for({status}), status


def test_list_example_body_parses() -> None:
    data = json.loads(LIST_EXAMPLE)
    job = job_from_wire(data["jobs"][0])
    assert job.provider == "huawei-metastudio"
    assert job.job_id == "abcdefg"
    assert job.status is JobStatus.QUEUED
    assert job.voice_name == "Female voice"
    assert job.voice_id == "my_asset_id"
    assert job.edition == "BASIC"
    assert job.gender is Gender.FEMALE
    assert job.language == "zh"
    assert job.created_at == datetime(2038, 1, 19, 3, 14, 7, tzinfo=UTC)
    assert job.updated_at == job.created_at
    assert job.failure == Failure("MSS.00000000", "error reason")
    assert job.extra["tag"] == "ECOMMERCE"
    assert dict(job.extra) == data["jobs"][0]


def test_show_example_body_parses() -> None:
    job = job_from_wire(json.loads(SHOW_EXAMPLE_ZH))
    assert job.voice_name == "女声"
    assert job.extra["app_user_id"] == "123qwe"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1_700_000_000, datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)),
        (1_700_000_000_123, datetime(2023, 11, 14, 22, 13, 20, 123000, tzinfo=UTC)),
        (99_999_999_999, datetime.fromtimestamp(99_999_999_999, UTC)),
        (100_000_000_000, datetime.fromtimestamp(100_000_000, UTC)),
        (1_700_000_000.5, datetime(2023, 11, 14, 22, 13, 20, 500000, tzinfo=UTC)),
    ],
)
def test_times_are_seconds_or_milliseconds(value: float, expected: datetime) -> None:
    job = job_from_wire({"job_id": "j", "state": "WAITING", "create_time": value})
    assert job.created_at == expected
    assert job.created_at is not None and job.created_at.utcoffset() is not None


@pytest.mark.parametrize(
    ("language", "expected"), [("CN", "zh"), ("EN", "en"), ("JP", "JP"), (None, None)]
)
def test_language(language: str | None, expected: str | None) -> None:
    assert job_from_wire({"job_id": "j", "state": "X", "language": language}).language == expected


@pytest.mark.parametrize(
    ("sex", "expected"),
    [("FEMALE", Gender.FEMALE), ("MALE", Gender.MALE), ("OTHER", Gender.UNKNOWN), (None, None)],
)
def test_sex(sex: str | None, expected: Gender | None) -> None:
    assert job_from_wire({"job_id": "j", "state": "X", "sex": sex}).gender is expected


def test_a_running_job_has_no_failure_and_no_voice() -> None:
    job = job_from_wire({"job_id": "j", "state": "PROCESSING", "asset_id": ""})
    assert job.failure is None
    assert job.voice_id is None


def test_failure_reason_alone_is_kept() -> None:
    job = job_from_wire({"job_id": "j", "state": "FAILED", "job_failed_reason": "too noisy"})
    assert job.failure == Failure(None, "too noisy")


def test_extra_is_a_read_only_copy() -> None:
    payload: dict[str, Any] = {"job_id": "j", "state": "WAITING", "reject_times": 2}
    job = job_from_wire(payload)
    payload["reject_times"] = 3
    assert job.extra["reject_times"] == 2
    with pytest.raises(TypeError):
        job.extra["reject_times"] = 4  # type: ignore[index]


@pytest.mark.parametrize(
    "payload",
    [
        None,
        [],
        "job",
        {},
        {"state": "WAITING"},
        {"job_id": "", "state": "WAITING"},
        {"job_id": 7, "state": "WAITING"},
        {"job_id": "j"},
        {"job_id": "j", "state": 3},
        {"job_id": "j", "state": "WAITING", "voice_name": 5},
        {"job_id": "j", "state": "WAITING", "sex": ["FEMALE"]},
        {"job_id": "j", "state": "WAITING", "job_failed_code": 1},
        {"job_id": "j", "state": "WAITING", "create_time": "1700000000"},
        {"job_id": "j", "state": "WAITING", "create_time": True},
        {"job_id": "j", "state": "WAITING", "lastupdate_time": 10**30},
        {"job_id": "j", "state": "WAITING", "lastupdate_time": float("nan")},
    ],
)
def test_malformed_records_are_provider_response_errors(payload: Any) -> None:
    with pytest.raises(ProviderResponseError) as info:
        job_from_wire(payload)
    assert info.value.provider == "huawei-metastudio"
