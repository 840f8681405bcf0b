"""A neutral ``NewJob`` as a MetaStudio create request, validated before anything is sent.

``edition`` picks the create operation (BASIC, MIDDLE, ADVANCE or THIRD_PARTY, any case;
BASIC by default). ``language`` ``zh``/``en`` (or a tag starting with them) becomes ``CN``/
``EN``; ``gender`` becomes ``sex``. ``options`` carries the other body fields by wire name:
``create_type`` (PACKAGE, the default, or SEGMENT for BASIC and MIDDLE only), ``tag``,
``phone``, ``dhtms_job_id``, ``batch_name``, ``output_language``, ``custom_text``,
``is_ondemand_resource`` and ``supported_service``. Anything else is a ``ValidationError``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from voiceclone import Gender, NewJob, ValidationError
from voiceclone_metastudio._api import CREATE_PATHS
from voiceclone_metastudio._errors import PROVIDER_ID
from voiceclone_metastudio._jobs import LANGUAGE_TO_WIRE
from voiceclone_metastudio._wire import (
    CREATE_TYPES,
    JOB_TAGS,
    SUPPORTED_SERVICES,
    CreateTrainingJobReq,
)

__all__ = [
    "CREATABLE_EDITIONS",
    "DEFAULT_EDITION",
    "OPTIONS",
    "SEGMENT_EDITIONS",
    "training_request",
]

CREATABLE_EDITIONS = tuple(CREATE_PATHS)
"""The editions ``create_job`` can create."""
DEFAULT_EDITION = "BASIC"
SEGMENT_EDITIONS = frozenset({"BASIC", "MIDDLE"})
"""The editions that take sentence-by-sentence (SEGMENT) uploads."""


def _invalid(field: str, rule: str) -> ValidationError:
    return ValidationError(field, rule, provider=PROVIDER_ID)


def _choice(values: tuple[str, ...]) -> Callable[[str, Any], Any]:
    def check(field: str, value: Any) -> str:
        if not isinstance(value, str) or value.upper() not in values:
            raise _invalid(field, f"{value!r} is not one of {', '.join(values)}")
        return value.upper()

    return check


def _text(field: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _invalid(field, "must be a non-empty string")
    if len(value) > 1024:
        raise _invalid(field, "must be at most 1024 characters")
    return value


def _flag(field: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _invalid(field, f"must be true or false, not {value!r}")
    return value


def _services(field: str, value: Any) -> tuple[str, ...]:
    items = (value,) if isinstance(value, str) else value
    if not isinstance(items, (list, tuple, set, frozenset)) or not items:
        raise _invalid(field, f"must be a non-empty list of {', '.join(SUPPORTED_SERVICES)}")
    check = _choice(SUPPORTED_SERVICES)
    return tuple(sorted({check(field, item) for item in items}))


OPTIONS: Mapping[str, Callable[[str, Any], Any]] = {
    "create_type": _choice(CREATE_TYPES),
    "tag": _choice(JOB_TAGS),
    "phone": _text,
    "dhtms_job_id": _text,
    "batch_name": _text,
    "output_language": _text,
    "custom_text": _text,
    "is_ondemand_resource": _flag,
    "supported_service": _services,
}
"""The vendor options ``NewJob.options`` may carry, each with its check."""


def edition_of(new: NewJob) -> str:
    """The MetaStudio edition of ``new`` (upper case)."""
    edition = (new.edition or DEFAULT_EDITION).upper()
    if edition not in CREATE_PATHS:
        raise _invalid("edition", f"{new.edition!r} is not one of {', '.join(CREATABLE_EDITIONS)}")
    return edition


def language_of(new: NewJob) -> str | None:
    """The wire language (``CN``/``EN``) of ``new``, None when not given."""
    if new.language is None:
        return None
    wire = LANGUAGE_TO_WIRE.get(new.language.split("-")[0].lower())
    if wire is None:
        raise _invalid("language", f"{new.language!r}: MetaStudio trains zh or en")
    return wire


def _sex(gender: Gender | None) -> str | None:
    return None if gender is None else gender.value.upper()


def training_request(new: NewJob) -> tuple[str, CreateTrainingJobReq]:
    """The edition and the create body for ``new``; ``ValidationError`` for anything wrong."""
    if not isinstance(new, NewJob):
        raise _invalid("new", f"must be a NewJob, not {type(new).__name__}")
    edition = edition_of(new)
    if new.voice_id is not None:
        raise _invalid("voice_id", "MetaStudio assigns voice ids; a client-chosen one is not taken")
    options: dict[str, Any] = {}
    for name, value in new.options.items():
        check = OPTIONS.get(name)
        if check is None:
            known = ", ".join(OPTIONS)
            raise _invalid(f"options.{name}", f"unknown MetaStudio option; known: {known}")
        options[name] = check(f"options.{name}", value)
    options.setdefault("create_type", "PACKAGE")
    if options["create_type"] == "SEGMENT" and edition not in SEGMENT_EDITIONS:
        rule = f"SEGMENT uploads are for BASIC and MIDDLE, not {edition}"
        raise _invalid("options.create_type", rule)
    body = CreateTrainingJobReq(
        voice_name=new.voice_name,
        description=new.description,
        sex=_sex(new.gender),
        language=language_of(new),
        **options,
    )
    return edition, body
