"""ICE job records to neutral :class:`~voiceclone.VoiceCloningJob`: the status table and the
per-job conversion.

The conversion is hand-written rather than going through cattrs: listings convert many
thousands of records, and this path checks exactly what it reads (types of the fields it uses)
and nothing more. Every failure is a ``ProviderResponseError``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any

from voiceclone import Failure, Gender, JobStatus, ProviderResponseError, VoiceCloningJob
from voiceclone.adapter import from_epoch, parse_utc
from voiceclone_ice._api import PROVIDER_ID

__all__ = ["STATUS_MAP", "job_from_record", "parse_time"]

STATUS_MAP: Mapping[str, JobStatus] = MappingProxyType(
    {
        "Initialization": JobStatus.CREATED,
        "AudioDetecting": JobStatus.REVIEWING,
        "PreTraining": JobStatus.PREPROCESSING,
        "Training": JobStatus.TRAINING,
        "Success": JobStatus.SUCCEEDED,
        "Fail": JobStatus.FAILED,
    }
)
"""Every documented ``Status`` value; any other becomes ``UNKNOWN`` with ``raw_status`` kept."""

_fromisoformat = datetime.fromisoformat
_GENDERS = {"female": Gender.FEMALE, "male": Gender.MALE}
_UNKNOWN = JobStatus.UNKNOWN
_FAILED = JobStatus.FAILED


def _malformed(what: str, request_id: str | None) -> ProviderResponseError:
    return ProviderResponseError(
        f"malformed job record: {what}", provider=PROVIDER_ID, request_id=request_id
    )


def parse_time(value: Any) -> datetime:
    """An ICE time as aware UTC: an ISO-8601 string (``...Z``) or epoch seconds/milliseconds.

    Raises ``ValueError``/``TypeError`` (and the like) for anything else.
    """
    if isinstance(value, str):
        if len(value) == 20 and value[19] == "Z":  # the documented yyyy-MM-ddTHH:mm:ssZ
            return _fromisoformat(value[:19] + "+00:00")
        return parse_utc(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return from_epoch(value)
    raise TypeError(f"expected a time, got {type(value).__name__}")


def _text(record: Mapping[str, Any], key: str, request_id: str | None) -> str | None:
    value = record.get(key)
    if value is None or type(value) is str:
        return value
    raise _malformed(f"{key} is {type(value).__name__}, not a string", request_id)


def _created_at(record: Mapping[str, Any], request_id: str | None) -> datetime | None:
    for key in ("CreateTime", "GmtCreate"):
        value = record.get(key)
        if value is None or value == "":
            continue
        try:
            return parse_time(value)
        except (TypeError, ValueError, OverflowError, OSError) as exc:
            raise _malformed(f"{key} {value!r} is not a time", request_id) from exc
    return None


def job_from_record(record: Any, request_id: str | None = None) -> VoiceCloningJob:
    """The neutral job for one ``CustomizedVoiceJob`` record (a decoded JSON object).

    ``edition`` is ``Type`` verbatim; ``failure`` holds ``Message`` when the job failed;
    ``extra`` is the record itself. ICE does not report a language or an update time.
    """
    if type(record) is not dict:
        raise _malformed(f"expected an object, got {type(record).__name__}", request_id)
    job_id = record.get("JobId")
    if type(job_id) is not str or not job_id:
        raise _malformed("JobId is missing or not a string", request_id)
    raw_status = record.get("Status")
    if type(raw_status) is not str:
        raise _malformed(f"Status of job {job_id} is missing or not a string", request_id)
    status = STATUS_MAP.get(raw_status, _UNKNOWN)
    gender = record.get("Gender")
    voice_name = record.get("VoiceName")
    voice_id = record.get("VoiceId")
    edition = record.get("Type")
    for key, value in (
        ("Gender", gender),
        ("VoiceName", voice_name),
        ("VoiceId", voice_id),
        ("Type", edition),
    ):
        if value is not None and type(value) is not str:
            raise _malformed(f"{key} is {type(value).__name__}, not a string", request_id)
    failure = None
    if status is _FAILED:
        message = _text(record, "Message", request_id)
        failure = Failure(code=None, message=message or None)
    return VoiceCloningJob(
        provider=PROVIDER_ID,
        job_id=job_id,
        status=status,
        raw_status=raw_status,
        voice_name=voice_name or None,
        voice_id=voice_id or None,
        edition=edition or None,
        gender=_GENDERS.get(gender, Gender.UNKNOWN) if gender else None,
        created_at=_created_at(record, request_id),
        failure=failure,
        extra=MappingProxyType(record),
    )
