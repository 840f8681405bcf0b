"""The neutral JSON form: round trips, time and enum formats, bad input."""

import json
from datetime import datetime, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from voiceclone import (
    CreatedJob,
    Failure,
    Gender,
    JobQuery,
    JobStatus,
    NewJob,
    Page,
    UploadTarget,
    ValidationError,
    VoiceCloningJob,
    from_dict,
    to_dict,
)

UTC = timezone.utc

aware_times = st.datetimes(
    min_value=datetime(1971, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)
)
text = st.text(min_size=1, max_size=20).filter(str.strip)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)

jobs = st.builds(
    VoiceCloningJob,
    provider=text,
    job_id=text,
    status=st.sampled_from(JobStatus),
    raw_status=st.text(max_size=20),
    voice_name=st.none() | st.text(max_size=20),
    voice_id=st.none() | text,
    edition=st.none() | text,
    gender=st.none() | st.sampled_from(Gender),
    language=st.none() | st.sampled_from(["zh", "en"]),
    created_at=st.none() | aware_times,
    updated_at=st.none() | aware_times,
    failure=st.none() | st.builds(Failure, st.none() | text, st.none() | text),
    extra=st.dictionaries(st.text(max_size=8), json_values, max_size=4),
)


@given(jobs)
def test_job_round_trips_through_json(made: VoiceCloningJob) -> None:
    data = json.loads(json.dumps(to_dict(made)))
    back = from_dict(VoiceCloningJob, data)
    assert back == made
    assert dict(back.extra) == dict(made.extra)


@given(jobs)
def test_times_are_utc_with_z_and_enums_lower_case(made: VoiceCloningJob) -> None:
    data = to_dict(made)
    for key in ("created_at", "updated_at"):
        if data[key] is not None:
            assert data[key].endswith("Z")
            assert "+" not in data[key]
    assert data["status"] == data["status"].lower()
    assert data["gender"] is None or data["gender"] in {"female", "male", "unknown"}


@given(
    st.builds(
        JobQuery,
        statuses=st.frozensets(st.sampled_from(JobStatus)),
        edition=st.none() | text,
        voice_name=st.none() | text,
    )
)
def test_query_round_trips(query: JobQuery) -> None:
    assert from_dict(JobQuery, json.loads(json.dumps(to_dict(query)))) == query


@given(st.lists(jobs, max_size=3), st.integers(0, 10**6), st.integers(1, 100))
def test_page_round_trips(items: list[VoiceCloningJob], offset: int, limit: int) -> None:
    page = Page(items=tuple(items), offset=offset, limit=limit, total=None)
    assert from_dict(Page[VoiceCloningJob], json.loads(json.dumps(to_dict(page)))) == page


def test_created_job_and_new_job_round_trip() -> None:
    created = CreatedJob(
        job=VoiceCloningJob(provider="p", job_id="1", status="created", raw_status="CREATING"),
        uploads=(UploadTarget(url="https://u", purpose="training_data", index=3),),
    )
    assert from_dict(CreatedJob, to_dict(created)) == created
    new = NewJob(voice_name="v", gender="male", options={"create_type": "PACKAGE"})
    assert from_dict(NewJob, to_dict(new)) == new


def test_exact_neutral_form() -> None:
    made = VoiceCloningJob(
        provider="p",
        job_id="1",
        status=JobStatus.SUCCEEDED,
        raw_status="SUCCEED",
        gender=Gender.FEMALE,
        created_at=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
    )
    data = to_dict(made)
    assert data["status"] == "succeeded"
    assert data["gender"] == "female"
    assert data["created_at"] == "2024-01-02T03:04:05Z"


def test_offset_times_are_normalised_to_utc() -> None:
    data = to_dict(VoiceCloningJob(provider="p", job_id="1", status="created", raw_status="x")) | {
        "created_at": "2024-01-02T11:04:05+08:00"
    }
    assert to_dict(from_dict(VoiceCloningJob, data))["created_at"] == "2024-01-02T03:04:05Z"


def test_unknown_enum_values_in_json_become_unknown() -> None:
    data = to_dict(VoiceCloningJob(provider="p", job_id="1", status="created", raw_status="x"))
    data |= {"status": "brand-new", "gender": "other"}
    back = from_dict(VoiceCloningJob, data)
    assert back.status is JobStatus.UNKNOWN
    assert back.gender is Gender.UNKNOWN


@pytest.mark.parametrize(
    "bad",
    [
        {},
        {
            "provider": "p",
            "job_id": "1",
            "status": "created",
            "raw_status": "x",
            "created_at": "yesterday",
        },
    ],
)
def test_bad_neutral_form_is_a_validation_error(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        from_dict(VoiceCloningJob, bad)
