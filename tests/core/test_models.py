"""The neutral model: invariants, status helpers, validation of user input."""

from datetime import datetime, timedelta, timezone

import attrs
import pytest

from voiceclone import (
    CreatedJob,
    Failure,
    Gender,
    JobQuery,
    JobStatus,
    NewJob,
    UploadTarget,
    ValidationError,
    VoiceCloningJob,
)

UTC = timezone.utc
T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def job(**changes: object) -> VoiceCloningJob:
    fields: dict[str, object] = {
        "provider": "test",
        "job_id": "j1",
        "status": JobStatus.TRAINING,
        "raw_status": "PROCESSING",
        "voice_name": "Gentle",
        "edition": "BASIC",
        "created_at": T0,
        "updated_at": T0 + timedelta(hours=1),
    }
    fields.update(changes)
    return VoiceCloningJob(**fields)  # type: ignore[arg-type]


TERMINAL = {JobStatus.SUCCEEDED, JobStatus.FAILED}
ACTIVE = {
    JobStatus.REVIEWING,
    JobStatus.PREPROCESSING,
    JobStatus.QUEUED,
    JobStatus.TRAINING,
    JobStatus.RESULT_REVIEW,
}


@pytest.mark.parametrize("status", list(JobStatus))
def test_status_helpers_partition_the_statuses(status: JobStatus) -> None:
    assert status.is_terminal == (status in TERMINAL)
    assert status.is_active == (status in ACTIVE)
    assert status.needs_action == (status is JobStatus.ACTION_REQUIRED)
    # at most one of the three holds for any status
    assert sum([status.is_terminal, status.is_active, status.needs_action]) <= 1


def test_status_values_are_lower_case_and_unique() -> None:
    values = [s.value for s in JobStatus]
    assert all(v == v.lower() for v in values)
    assert len(set(values)) == len(values)


@pytest.mark.parametrize("text", ["training", "TRAINING", "Training", JobStatus.TRAINING])
def test_status_parse_accepts_values_and_names_in_any_case(text: str) -> None:
    assert JobStatus.parse(text) is JobStatus.TRAINING


def test_unknown_status_never_raises_when_read_from_a_vendor() -> None:
    assert JobStatus.parse("SOMETHING_NEW") is JobStatus.UNKNOWN
    made = job(status="SOMETHING_NEW", raw_status="SOMETHING_NEW")
    assert made.status is JobStatus.UNKNOWN
    assert made.raw_status == "SOMETHING_NEW"


def test_unknown_status_is_a_validation_error_in_user_input() -> None:
    with pytest.raises(ValidationError) as caught:
        JobQuery(statuses=["trainingg"])
    assert caught.value.field == "statuses"
    assert "trainingg" in str(caught.value)


def test_gender_is_lenient_from_vendors_and_strict_from_users() -> None:
    assert Gender.parse("FEMALE") is Gender.FEMALE
    assert Gender.parse("robot") is Gender.UNKNOWN
    assert job(gender="MALE").gender is Gender.MALE
    with pytest.raises(ValidationError, match="gender"):
        NewJob(voice_name="x", gender="robot")


def test_job_is_frozen_and_extra_is_read_only() -> None:
    made = job(extra={"state": "PROCESSING"})
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        made.job_id = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        made.extra["state"] = "x"  # type: ignore[index]


def test_extra_does_not_share_the_callers_dict() -> None:
    payload = {"state": "PROCESSING"}
    made = job(extra=payload)
    payload["state"] = "CHANGED"
    assert made.extra["state"] == "PROCESSING"


def test_jobs_hash_and_compare_by_value() -> None:
    assert job() == job()
    assert hash(job()) == hash(job(extra={"a": 1}))
    assert job() != job(job_id="j2")
    assert len({job(), job(), job(job_id="j2")}) == 2


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValidationError, match="created_at"):
        job(created_at=datetime(2024, 1, 1))


def test_upload_target_repr_hides_the_signed_url() -> None:
    target = UploadTarget(url="https://obs.example/x?Signature=SECRET", purpose="training_data")
    assert "SECRET" not in repr(target)
    assert "SECRET" not in repr(CreatedJob(job=job(), uploads=(target,)))


def test_failure_holds_code_and_message() -> None:
    made = job(status=JobStatus.FAILED, failure=Failure("E1", "bad audio"))
    assert made.failure == Failure(code="E1", message="bad audio")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"voice_name": ""}, "voice_name"),
        ({"voice_name": "   "}, "voice_name"),
        ({"voice_name": "x" * 257}, "voice_name"),
        ({"voice_name": 42}, "voice_name"),
        ({"voice_name": "ok", "language": "zh CN"}, "language"),
        ({"voice_name": "ok", "edition": ""}, "edition"),
        ({"voice_name": "ok", "voice_id": ""}, "voice_id"),
    ],
)
def test_new_job_validates_before_any_request(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        NewJob(**kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_new_job_accepts_the_documented_shape() -> None:
    new = NewJob(voice_name="温柔", gender="female", language="zh", edition="BASIC")
    assert new.gender is Gender.FEMALE
    assert new.options == {}


class TestJobQuery:
    def test_empty_query_matches_everything(self) -> None:
        assert JobQuery().matches(job())
        assert JobQuery().active_filters() == frozenset()

    def test_each_filter_can_exclude(self) -> None:
        made = job()
        assert not JobQuery(statuses={JobStatus.QUEUED}).matches(made)
        assert JobQuery(statuses={JobStatus.QUEUED, JobStatus.TRAINING}).matches(made)
        assert not JobQuery(edition="MIDDLE").matches(made)
        assert JobQuery(edition="basic").matches(made)
        assert not JobQuery(voice_name="Other").matches(made)
        assert not JobQuery(created_since=T0 + timedelta(seconds=1)).matches(made)
        assert JobQuery(created_since=T0, created_until=T0).matches(made)
        assert not JobQuery(updated_until=T0).matches(made)

    def test_time_filters_exclude_jobs_without_that_time(self) -> None:
        assert not JobQuery(created_since=T0).matches(job(created_at=None))

    def test_active_filters_names_what_is_set(self) -> None:
        query = JobQuery(statuses="training", voice_name="Gentle", created_until=T0)
        assert query.active_filters() == {"statuses", "voice_name", "created_until"}
        assert set(JobQuery.FILTERS) == {f.name for f in attrs.fields(JobQuery)}

    @pytest.mark.parametrize("kind", ["created", "updated"])
    def test_since_after_until_is_refused(self, kind: str) -> None:
        with pytest.raises(ValidationError, match=f"{kind}_since"):
            JobQuery(**{f"{kind}_since": T0, f"{kind}_until": T0 - timedelta(days=1)})

    def test_single_status_string_is_accepted(self) -> None:
        assert JobQuery(statuses="QUEUED").statuses == {JobStatus.QUEUED}
