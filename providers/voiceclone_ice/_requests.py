"""Typed parameters of the 12 customized-voice operations, checked before anything is sent.

Each class names its ``ACTION``; its fields carry their wire names for the converter. A value
the API documents as invalid is a ``ValidationError`` naming the field (by its Python name),
raised when the class is built, long before a request exists.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

import attrs

from voiceclone import ValidationError
from voiceclone.adapter import check_identifier
from voiceclone_ice._api import PROVIDER_ID
from voiceclone_ice._fields import wire_field

__all__ = [
    "GENDERS",
    "MAX_PAGE_NO",
    "SCENARIOS",
    "CreateCustomizedVoiceJobRequest",
    "DeleteCustomizedVoiceJobRequest",
    "DetectAudioForCustomizedVoiceJobRequest",
    "GetCustomizedVoiceJobRequest",
    "GetCustomizedVoiceRequest",
    "GetDemonstrationForCustomizedVoiceJobRequest",
    "IceRequest",
    "ListCustomizedVoiceJobsRequest",
    "ListCustomizedVoicesRequest",
    "SubmitCosyVoiceCustomizedVoiceJobRequest",
    "SubmitCustomizedVoiceJobRequest",
    "SubmitStandardCustomizedVoiceJobRequest",
    "UpdateCustomizedVoiceRequest",
    "check_existing_voice_id",
    "check_voice_id",
    "media_ids",
]

GENDERS = ("female", "male")
MAX_PAGE_NO = 2_147_483_647
"""The largest ``PageNo`` (the API's page numbers are 32-bit integers)."""
SCENARIOS = ("story", "interaction", "navigation")
_VOICE_ID = re.compile(r"[A-Za-z0-9]{1,32}")
_MAX_EXISTING_VOICE_ID = 256
_MAX_JOB_ID = 128
Check = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def _fail(field: str, rule: str) -> ValidationError:
    return ValidationError(field, rule, provider=PROVIDER_ID)


def check_voice_id(field: str, value: object) -> None:
    """A ``VoiceId``: 1 to 32 ASCII letters and digits (an English name or pinyin)."""
    if not isinstance(value, str) or not _VOICE_ID.fullmatch(value):
        raise _fail(field, f"{value!r} is not a voice id: use 1 to 32 ASCII letters and digits")


def check_existing_voice_id(field: str, value: object) -> None:
    """The ``VoiceId`` of an existing voice, of any edition: 1 to 256 characters without
    whitespace or control characters.

    Only ``CreateCustomizedVoiceJob`` documents a form (letters and digits, for the Basic id the
    client chooses); the service assigns Standard and CosyVoice ids itself
    (``cosyvoice-v3-plus-...``), so reading or updating a voice takes any id it could give.
    """
    if not isinstance(value, str):
        raise _fail(field, f"must be a string, not {type(value).__name__}")
    problem = _opaque_id_problem(value, _MAX_EXISTING_VOICE_ID)
    if problem:
        raise _fail(field, problem)


def _opaque_id_problem(value: str, limit: int) -> str | None:
    """What is wrong with an id the service assigned (None if nothing)."""
    if not value.strip():
        return "must be a non-empty string"
    if len(value) > limit:
        return f"must be at most {limit} characters"
    if any(char.isspace() or unicodedata.category(char) in ("Cc", "Cf") for char in value):
        return "must not contain whitespace or control characters"
    return None


def _job_id(_: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """A ``JobId``: 1 to 128 characters, no control characters, no whitespace at either end."""
    check_identifier(value, attribute.name, max_length=_MAX_JOB_ID, provider=PROVIDER_ID)


def _voice_id(_: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    check_voice_id(attribute.name, value)


def _existing_voice_id(_: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    check_existing_voice_id(attribute.name, value)


def _text(limit: int, *, required: bool = True) -> Check:
    def check(_: Any, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None and not required:
            return
        if not isinstance(value, str) or not value.strip():
            raise _fail(attribute.name, "must be a non-empty string")
        if len(value) > limit:
            raise _fail(attribute.name, f"must be at most {limit} characters")

    return check


def _optional_text(limit: int) -> Check:
    return _text(limit, required=False)


def _choice(values: tuple[str, ...], *, required: bool = True) -> Check:
    def check(_: Any, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None and not required:
            return
        if value not in values:
            raise _fail(attribute.name, f"{value!r} is not one of {', '.join(values)}")

    return check


def _integer(low: int, high: int | None = None) -> Check:
    def check(_: Any, attribute: attrs.Attribute[Any], value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _fail(attribute.name, "must be an integer")
        if value < low or (high is not None and value > high):
            bounds = f"from {low} to {high}" if high is not None else f"at least {low}"
            raise _fail(attribute.name, f"must be {bounds}")

    return check


_optional_gender = _choice(GENDERS, required=False)


def media_ids(value: str | Iterable[str]) -> str:
    """Media asset ids as the API takes them: one string, comma-separated."""
    if isinstance(value, str):
        return value
    try:
        items = list(value)
    except TypeError:
        return value  # type: ignore[return-value]  # the validator names the field
    if not all(isinstance(item, str) for item in items):
        return value  # type: ignore[return-value]
    return ",".join(items)


def _media_id_list(*, single: bool) -> Check:
    def check(_: Any, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, str):
            raise _fail(attribute.name, "must be media asset ids (a string or a list of strings)")
        ids = value.split(",")
        if not value or not all(item.strip() for item in ids):
            raise _fail(attribute.name, "must name at least one media asset id, none empty")
        if single and len(ids) != 1:
            raise _fail(attribute.name, "must be exactly one media asset id")

    return check


def _cosy_model(_: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, str) or not value.startswith("cosyvoice-") or len(value) > 64:
        raise _fail(attribute.name, f"{value!r} is not a CosyVoice model (cosyvoice-v3-plus, ...)")


@attrs.frozen(slots=True)
class IceRequest:
    """Base of the request classes: ``ACTION`` is the operation, ``SAFE_TO_REPEAT`` whether
    sending it twice is harmless."""

    ACTION: ClassVar[str] = ""
    SAFE_TO_REPEAT: ClassVar[bool] = True


@attrs.frozen(slots=True)
class CreateCustomizedVoiceJobRequest(IceRequest):
    """Create a Basic job and its voice record under a client-chosen ``voice_id``."""

    ACTION: ClassVar[str] = "CreateCustomizedVoiceJob"
    SAFE_TO_REPEAT: ClassVar[bool] = False

    voice_id: str = wire_field("VoiceId", validator=_voice_id)
    gender: str = wire_field("Gender", validator=_choice(GENDERS))
    scenario: str = wire_field("Scenario", default="story", validator=_choice(SCENARIOS))
    voice_name: str | None = wire_field("VoiceName", default=None, validator=_optional_text(32))
    voice_desc: str | None = wire_field("VoiceDesc", default=None, validator=_optional_text(256))


@attrs.frozen(slots=True)
class GetDemonstrationForCustomizedVoiceJobRequest(IceRequest):
    """The 20 scripts a Basic job's speaker reads for ``scenario``."""

    ACTION: ClassVar[str] = "GetDemonstrationForCustomizedVoiceJob"

    scenario: str = wire_field("Scenario", validator=_choice(SCENARIOS))


@attrs.frozen(slots=True)
class DetectAudioForCustomizedVoiceJobRequest(IceRequest):
    """Check one recording (script ``audio_record_id``, 1..20) at ``record_url`` (OSS).

    A passing recording is staged for training; checking it again replaces the verdict, so the
    request is safe to repeat.
    """

    ACTION: ClassVar[str] = "DetectAudioForCustomizedVoiceJob"

    voice_id: str = wire_field("VoiceId", validator=_voice_id)
    audio_record_id: int = wire_field("AudioRecordId", validator=_integer(1, 20))
    record_url: str = wire_field("RecordUrl", validator=_text(2048), repr=False)


@attrs.frozen(slots=True)
class SubmitCustomizedVoiceJobRequest(IceRequest):
    """Start training a Basic job on its detected recordings."""

    ACTION: ClassVar[str] = "SubmitCustomizedVoiceJob"
    SAFE_TO_REPEAT: ClassVar[bool] = False

    voice_id: str = wire_field("VoiceId", validator=_voice_id)
    demo_audio_media_url: str | None = wire_field(
        "DemoAudioMediaURL", default=None, validator=_optional_text(2048), repr=False
    )


@attrs.frozen(slots=True)
class SubmitStandardCustomizedVoiceJobRequest(IceRequest):
    """Create and submit a Standard job from media assets (15 to 30 minutes of speech) and a
    consent recording (``authentication``)."""

    ACTION: ClassVar[str] = "SubmitStandardCustomizedVoiceJob"
    SAFE_TO_REPEAT: ClassVar[bool] = False

    audios: str = wire_field("Audios", converter=media_ids, validator=_media_id_list(single=False))
    authentication: str = wire_field("Authentication", validator=_text(256))
    gender: str | None = wire_field("Gender", default=None, validator=_optional_gender)
    voice_name: str | None = wire_field("VoiceName", default=None, validator=_optional_text(32))
    demo_audio_media_url: str | None = wire_field(
        "DemoAudioMediaURL", default=None, validator=_optional_text(2048), repr=False
    )


@attrs.frozen(slots=True)
class SubmitCosyVoiceCustomizedVoiceJobRequest(IceRequest):
    """Create and submit a CosyVoice job from exactly one media asset."""

    ACTION: ClassVar[str] = "SubmitCosyVoiceCustomizedVoiceJob"
    SAFE_TO_REPEAT: ClassVar[bool] = False

    audios: str = wire_field("Audios", converter=media_ids, validator=_media_id_list(single=True))
    model: str | None = wire_field("Model", default=None, validator=_cosy_model)
    gender: str | None = wire_field("Gender", default=None, validator=_optional_gender)
    voice_name: str | None = wire_field("VoiceName", default=None, validator=_optional_text(32))
    demo_audio_media_url: str | None = wire_field(
        "DemoAudioMediaURL", default=None, validator=_optional_text(2048), repr=False
    )


@attrs.frozen(slots=True)
class GetCustomizedVoiceJobRequest(IceRequest):
    """One job, by id."""

    ACTION: ClassVar[str] = "GetCustomizedVoiceJob"

    job_id: str = wire_field("JobId", validator=_job_id)


@attrs.frozen(slots=True)
class ListCustomizedVoiceJobsRequest(IceRequest):
    """One page of jobs of one ``type`` (the service assumes ``Basic`` when it is None)."""

    ACTION: ClassVar[str] = "ListCustomizedVoiceJobs"

    page_no: int = wire_field("PageNo", default=1, validator=_integer(1, MAX_PAGE_NO))
    page_size: int = wire_field("PageSize", default=10, validator=_integer(1, 100))
    type: str | None = wire_field("Type", default=None, validator=_optional_text(64))


@attrs.frozen(slots=True)
class DeleteCustomizedVoiceJobRequest(IceRequest):
    """Delete a job that is not ``Training`` and not ``Success``.

    Not marked safe to repeat: a repeat after a successful first attempt answers "not found".
    The neutral ``delete_job`` wraps it so that a repeat is harmless.
    """

    ACTION: ClassVar[str] = "DeleteCustomizedVoiceJob"
    SAFE_TO_REPEAT: ClassVar[bool] = False

    job_id: str = wire_field("JobId", validator=_job_id)


@attrs.frozen(slots=True)
class GetCustomizedVoiceRequest(IceRequest):
    """One trained voice, by voice id."""

    ACTION: ClassVar[str] = "GetCustomizedVoice"

    voice_id: str = wire_field("VoiceId", validator=_existing_voice_id)


@attrs.frozen(slots=True)
class ListCustomizedVoicesRequest(IceRequest):
    """One page of trained voices of one ``type`` (``Basic`` when None)."""

    ACTION: ClassVar[str] = "ListCustomizedVoices"

    page_no: int = wire_field("PageNo", default=1, validator=_integer(1, MAX_PAGE_NO))
    page_size: int = wire_field("PageSize", default=10, validator=_integer(1, 100))
    type: str | None = wire_field("Type", default=None, validator=_optional_text(64))


@attrs.frozen(slots=True)
class UpdateCustomizedVoiceRequest(IceRequest):
    """Set a voice's demonstration audio (the only field the API lets one change)."""

    ACTION: ClassVar[str] = "UpdateCustomizedVoice"

    voice_id: str = wire_field("VoiceId", validator=_existing_voice_id)
    demo_audio_media_id: str | None = wire_field(
        "DemoAudioMediaId", default=None, validator=_optional_text(256)
    )
