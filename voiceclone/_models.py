"""The provider-neutral model: jobs, statuses, pages, filters and new-job requests.

These are frozen, slotted attrs classes with no wire knowledge: the converter in
``voiceclone._converter`` owns the neutral JSON form, and each adapter's converter owns its
vendor's wire form. Values a vendor may grow (statuses, genders) never fail construction:
an unknown value becomes ``UNKNOWN`` and the vendor's string is kept beside it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any, Generic, TypeVar

import attrs

from voiceclone._errors import ValidationError

__all__ = [
    "CreatedJob",
    "Failure",
    "Gender",
    "JobQuery",
    "JobStatus",
    "NewJob",
    "Page",
    "UploadTarget",
    "VoiceCloningJob",
]

_EMPTY: Mapping[str, Any] = MappingProxyType({})
T = TypeVar("T")


class JobStatus(str, enum.Enum):
    """Where a voice-cloning job is in its life, the same words for every vendor.

    ``docs/status-mapping.md`` gives each vendor's states for each value, with reasons.
    """

    CREATED = "created"
    """The job exists and waits for training data or for submission."""
    REVIEWING = "reviewing"
    """The vendor reviews the data or the content."""
    PREPROCESSING = "preprocessing"
    """The vendor prepares the data (splitting, annotation, pre-training checks)."""
    QUEUED = "queued"
    """Accepted, waiting for a training slot."""
    TRAINING = "training"
    """The model is training."""
    RESULT_REVIEW = "result_review"
    """Trained; the result is under review (by the vendor or the user)."""
    ACTION_REQUIRED = "action_required"
    """Stopped until the user acts (for example re-uploads data after a failed review)."""
    SUCCEEDED = "succeeded"
    """The voice is ready. Terminal."""
    FAILED = "failed"
    """The job failed for good. Terminal."""
    UNKNOWN = "unknown"
    """A vendor state this library does not know; ``raw_status`` keeps it."""

    @property
    def is_terminal(self) -> bool:
        """True when the job will not change again by itself: SUCCEEDED or FAILED."""
        return self in _TERMINAL

    @property
    def is_active(self) -> bool:
        """True while the vendor is working on the job (review, preprocessing, queue, training)."""
        return self in _ACTIVE

    @property
    def needs_action(self) -> bool:
        """True when nothing happens until the user acts (ACTION_REQUIRED)."""
        return self is JobStatus.ACTION_REQUIRED

    @classmethod
    def parse(cls, value: str | JobStatus) -> JobStatus:
        """The status for ``value`` (a value or a name, any case); UNKNOWN when there is none."""
        if isinstance(value, JobStatus):
            return value
        return _STATUS_BY_TEXT.get(str(value).lower(), cls.UNKNOWN)

    @classmethod
    def strict(cls, value: str | JobStatus, field: str = "status") -> JobStatus:
        """Like :meth:`parse`, for user input: an unknown value is a ``ValidationError``."""
        if isinstance(value, JobStatus):
            return value
        status = _STATUS_BY_TEXT.get(str(value).lower())
        if status is None:
            choices = ", ".join(s.value for s in cls)
            raise ValidationError(field, f"{value!r} is not a status; use one of {choices}")
        return status

    def __str__(self) -> str:
        return self.value


_TERMINAL = frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED})
_ACTIVE = frozenset(
    {
        JobStatus.REVIEWING,
        JobStatus.PREPROCESSING,
        JobStatus.QUEUED,
        JobStatus.TRAINING,
        JobStatus.RESULT_REVIEW,
    }
)
_STATUS_BY_TEXT = {s.value: s for s in JobStatus}


class Gender(str, enum.Enum):
    """The gender of the voice, as the vendors record it."""

    FEMALE = "female"
    MALE = "male"
    UNKNOWN = "unknown"
    """A vendor value this library does not know; the job's ``extra`` keeps it."""

    @classmethod
    def parse(cls, value: str | Gender) -> Gender:
        """The gender for ``value`` in any case; UNKNOWN when there is none."""
        if isinstance(value, Gender):
            return value
        return _GENDER_BY_TEXT.get(str(value).lower(), cls.UNKNOWN)

    @classmethod
    def strict(cls, value: str | Gender, field: str = "gender") -> Gender:
        """Like :meth:`parse`, for user input: only ``female`` or ``male``."""
        gender = cls.parse(value)
        if gender is cls.UNKNOWN:
            raise ValidationError(field, f"{value!r} is not a gender; use female or male")
        return gender

    def __str__(self) -> str:
        return self.value


_GENDER_BY_TEXT = {g.value: g for g in Gender}


def _frozen_mapping(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    if value is None:
        return _EMPTY
    if isinstance(value, MappingProxyType):
        return value
    return MappingProxyType(dict(value))


def _to_status(value: str | JobStatus) -> JobStatus:
    return JobStatus.parse(value)


def _optional_gender(value: str | Gender | None) -> Gender | None:
    return None if value is None else Gender.parse(value)


def _require_aware(_: Any, attribute: attrs.Attribute[Any], value: datetime | None) -> None:
    if value is not None and value.utcoffset() is None:
        raise ValidationError(attribute.name, "must be a timezone-aware datetime")


@attrs.frozen(slots=True)
class Failure:
    """Why a job failed, in the vendor's words."""

    code: str | None = None
    message: str | None = None


@attrs.frozen(slots=True)
class VoiceCloningJob:
    """One voice-cloning job on one provider, in the neutral model.

    ``status`` is the neutral status; ``raw_status`` is always the vendor's own string.
    ``edition`` is the vendor's edition (Huawei ``job_type``, Alibaba ``Type``) verbatim.
    ``extra`` is the vendor's whole payload, untouched and read-only.
    """

    provider: str
    job_id: str
    status: JobStatus = attrs.field(converter=_to_status)
    raw_status: str
    voice_name: str | None = None
    voice_id: str | None = None
    edition: str | None = None
    gender: Gender | None = attrs.field(default=None, converter=_optional_gender)
    language: str | None = None
    created_at: datetime | None = attrs.field(default=None, validator=_require_aware)
    updated_at: datetime | None = attrs.field(default=None, validator=_require_aware)
    failure: Failure | None = None
    extra: Mapping[str, Any] = attrs.field(
        default=_EMPTY, converter=_frozen_mapping, hash=False, repr=False
    )


@attrs.frozen(slots=True)
class UploadTarget:
    """Where to upload training data for a new job: a pre-signed URL, not signed by us.

    The URL itself carries a signature, so it is left out of ``repr``.
    """

    url: str = attrs.field(repr=False)
    purpose: str
    """What belongs there: ``training_data``, ``authorization_letter``, ``segment_audio``, ..."""
    method: str = "PUT"
    content_type: str | None = None
    index: int | None = None
    """The sentence number, for per-sentence uploads."""


@attrs.frozen(slots=True)
class CreatedJob:
    """A job just created, with where its training data goes (if the vendor takes uploads)."""

    job: VoiceCloningJob
    uploads: tuple[UploadTarget, ...] = ()


def _optional_text(field: str, limit: int = 256) -> Any:
    def check(_: Any, attribute: attrs.Attribute[Any], value: str | None) -> None:
        if value is None:
            return
        if not isinstance(value, str):
            raise ValidationError(field, f"must be a string, not {type(value).__name__}")
        if not value.strip():
            raise ValidationError(field, "must not be empty")
        if len(value) > limit:
            raise ValidationError(field, f"must be at most {limit} characters")

    return check


def _required_text(field: str, limit: int = 256) -> Any:
    optional = _optional_text(field, limit)

    def check(instance: Any, attribute: attrs.Attribute[Any], value: str) -> None:
        if value is None:
            raise ValidationError(field, "is required")
        optional(instance, attribute, value)

    return check


def _new_job_gender(value: str | Gender | None) -> Gender | None:
    return None if value is None else Gender.strict(value)


_LANGUAGE_TAG = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")


def _check_language(_: Any, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is None:
        return
    if not isinstance(value, str) or not value or not set(value) <= _LANGUAGE_TAG:
        raise ValidationError("language", f"{value!r} is not a BCP-47 tag such as zh or en")


@attrs.frozen(slots=True)
class NewJob:
    """What to create: the neutral fields, plus vendor options in ``options``.

    ``edition`` is the vendor's edition name (``BASIC`` ... for Huawei, ``Basic``, ``Standard``,
    ``CosyVoice`` for Alibaba); None means the provider's default. ``voice_id`` is a
    client-chosen voice id where the vendor takes one (Alibaba), which also makes a create safe
    to recover after an ambiguous failure. ``options`` holds vendor fields by their wire names;
    the adapter validates them.
    """

    voice_name: str = attrs.field(validator=_required_text("voice_name"))
    gender: Gender | None = attrs.field(default=None, converter=_new_job_gender)
    language: str | None = attrs.field(default=None, validator=_check_language)
    edition: str | None = attrs.field(default=None, validator=_optional_text("edition", 64))
    description: str | None = attrs.field(
        default=None, validator=_optional_text("description", 1024)
    )
    voice_id: str | None = attrs.field(default=None, validator=_optional_text("voice_id", 128))
    options: Mapping[str, Any] = attrs.field(default=_EMPTY, converter=_frozen_mapping, hash=False)


@attrs.frozen(slots=True)
class Page(Generic[T]):
    """One window of a listing: ``items`` from position ``offset``.

    ``total`` is the number of matching jobs when it can be known, else None (for example when
    the client had to filter rows the vendor could not). ``next_token`` is the continuation of
    cursor-paged vendors; None otherwise.
    """

    items: tuple[T, ...]
    offset: int
    limit: int
    total: int | None = None
    next_token: str | None = None


def _to_statuses(value: Iterable[str | JobStatus] | str | JobStatus | None) -> frozenset[JobStatus]:
    if value is None:
        return frozenset()
    if isinstance(value, (str, JobStatus)):
        value = [value]
    return frozenset(JobStatus.strict(v, "statuses") for v in value)


def _check_window(instance: JobQuery, _attribute: Any, _value: Any) -> None:
    for name, since, until in (
        ("created", instance.created_since, instance.created_until),
        ("updated", instance.updated_since, instance.updated_until),
    ):
        if since is not None and until is not None and since > until:
            raise ValidationError(f"{name}_since", f"must not be later than {name}_until")


@attrs.frozen(slots=True)
class JobQuery:
    """Filters for a listing. Every set filter must hold for a job to be listed.

    Adapters push down what their vendor can filter; the client re-checks every filter on every
    row (:meth:`matches`), so a vendor that ignores one cannot leak rows.
    """

    statuses: frozenset[JobStatus] = attrs.field(factory=frozenset, converter=_to_statuses)
    edition: str | None = attrs.field(default=None, validator=_optional_text("edition", 64))
    created_since: datetime | None = attrs.field(default=None, validator=_require_aware)
    created_until: datetime | None = attrs.field(default=None, validator=_require_aware)
    updated_since: datetime | None = attrs.field(default=None, validator=_require_aware)
    updated_until: datetime | None = attrs.field(
        default=None, validator=[_require_aware, _check_window]
    )
    voice_name: str | None = attrs.field(default=None, validator=_optional_text("voice_name"))

    FILTERS = (
        "statuses",
        "edition",
        "created_since",
        "created_until",
        "updated_since",
        "updated_until",
        "voice_name",
    )
    """The names of the filters, as ``Capabilities.pushed_down_filters`` uses them."""

    def active_filters(self) -> frozenset[str]:
        """The names of the filters that are set."""
        return frozenset(name for name in self.FILTERS if getattr(self, name))

    def matches(self, job: VoiceCloningJob) -> bool:
        """True when ``job`` passes every filter that is set."""
        if self.statuses and job.status not in self.statuses:
            return False
        if self.edition is not None and (job.edition or "").lower() != self.edition.lower():
            return False
        if self.voice_name is not None and job.voice_name != self.voice_name:
            return False
        return _within(job.created_at, self.created_since, self.created_until) and _within(
            job.updated_at, self.updated_since, self.updated_until
        )


def _within(moment: datetime | None, since: datetime | None, until: datetime | None) -> bool:
    if since is None and until is None:
        return True
    if moment is None:
        return False
    return (since is None or moment >= since) and (until is None or moment <= until)
