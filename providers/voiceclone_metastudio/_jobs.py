"""The fast path from a MetaStudio job record (a JSON object) to a neutral ``VoiceCloningJob``.

Listings convert thousands of records, so this is hand-written rather than run through cattrs:
plain type checks on the fields the neutral model reads, nothing on the rest (the whole record
is kept in ``extra``). A record with a wrong type or without ``job_id``/``state`` raises
:class:`WireError`; the parse functions turn it into a ``ProviderResponseError`` with the HTTP
status and request id.

Field mapping: ``job_id``; ``state`` -> ``status`` (``_status.py``) and ``raw_status``;
``voice_name``; ``asset_id`` -> ``voice_id``; ``job_type`` -> ``edition`` verbatim; ``sex``
``FEMALE``/``MALE`` -> gender (other values: UNKNOWN); ``language`` ``CN`` -> ``zh``, ``EN`` ->
``en`` (other values kept verbatim); ``create_time``/``lastupdate_time`` epoch seconds or
milliseconds (>= 1e11) -> aware UTC; ``job_failed_code``/``job_failed_reason`` -> ``failure``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from types import MappingProxyType
from typing import Any

from voiceclone import Failure, Gender, JobStatus, ProviderResponseError, VoiceCloningJob
from voiceclone_metastudio._errors import PROVIDER_ID
from voiceclone_metastudio._status import STATE_TO_STATUS

__all__ = ["LANGUAGE_FROM_WIRE", "LANGUAGE_TO_WIRE", "WireError", "convert_job", "job_from_wire"]

UTC = timezone.utc
_MILLISECONDS_FROM = 100_000_000_000
_UNKNOWN = JobStatus.UNKNOWN

LANGUAGE_FROM_WIRE: Mapping[str, str] = MappingProxyType({"CN": "zh", "EN": "en"})
"""MetaStudio ``language`` values and their BCP-47 tags."""
LANGUAGE_TO_WIRE: Mapping[str, str] = MappingProxyType({"zh": "CN", "en": "EN"})
"""BCP-47 primary tags MetaStudio trains, and their wire values."""

_GENDERS = {"FEMALE": Gender.FEMALE, "MALE": Gender.MALE}


class WireError(ValueError):
    """A vendor record that does not have the documented shape (internal; see module doc)."""


_OPTIONAL_TEXT = frozenset({str, type(None)})
_TEXT_FIELDS = (
    "voice_name",
    "asset_id",
    "job_type",
    "sex",
    "language",
    "job_failed_code",
    "job_failed_reason",
)


def _wrong_text(payload: Mapping[str, Any]) -> WireError:
    name = next(n for n in _TEXT_FIELDS if type(payload.get(n)) not in _OPTIONAL_TEXT)
    return WireError(f"{name} must be a string, not {type(payload[name]).__name__}")


def _time(value: Any, name: str) -> datetime | None:
    if value is None:
        return None
    kind = type(value)
    if kind is not int and kind is not float:
        raise WireError(f"{name} must be an epoch number, not {kind.__name__}")
    try:
        seconds = value / 1000 if abs(value) >= _MILLISECONDS_FROM else value
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        raise WireError(f"{name} {value!r} is not a time") from None


def convert_job(payload: Any, provider: str = PROVIDER_ID) -> VoiceCloningJob:
    """One job record as a ``VoiceCloningJob``; raises :class:`WireError` when malformed."""
    if type(payload) is not dict and not isinstance(payload, Mapping):
        raise WireError(f"a job must be an object, not {type(payload).__name__}")
    get = payload.get
    job_id = get("job_id")
    if type(job_id) is not str or not job_id:
        raise WireError("job_id is missing or not a string")
    state = get("state")
    if type(state) is not str:
        raise WireError(f"job {job_id}: state is missing or not a string")
    voice_name = get("voice_name")
    asset_id = get("asset_id")
    job_type = get("job_type")
    sex = get("sex")
    language = get("language")
    code = get("job_failed_code")
    reason = get("job_failed_reason")
    text = _OPTIONAL_TEXT
    if not (
        type(voice_name) in text
        and type(asset_id) in text
        and type(job_type) in text
        and type(sex) in text
        and type(language) in text
        and type(code) in text
        and type(reason) in text
    ):
        raise _wrong_text(payload)
    return VoiceCloningJob(
        provider=provider,
        job_id=job_id,
        status=STATE_TO_STATUS.get(state, _UNKNOWN),
        raw_status=state,
        voice_name=voice_name,
        voice_id=asset_id or None,
        edition=job_type,
        gender=None if sex is None else _GENDERS.get(sex, Gender.UNKNOWN),
        language=None if language is None else LANGUAGE_FROM_WIRE.get(language, language),
        created_at=_time(get("create_time"), "create_time"),
        updated_at=_time(get("lastupdate_time"), "lastupdate_time"),
        failure=Failure(code, reason) if code or reason else None,
        extra=MappingProxyType(dict(payload)),
    )


def job_from_wire(payload: Mapping[str, Any]) -> VoiceCloningJob:
    """A MetaStudio job record (``TrainingJobInfo`` or the ``show`` reply) as a neutral job.

    Raises ``ProviderResponseError`` when the record does not have the documented shape.
    """
    try:
        return convert_job(payload)
    except WireError as exc:
        raise ProviderResponseError(
            f"unexpected MetaStudio job record: {exc}", provider=PROVIDER_ID
        ) from None
