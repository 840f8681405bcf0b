"""The neutral JSON form of the model, owned by one cattrs converter.

Times are ISO-8601 UTC strings ending in ``Z``; enum values are lower case; ``extra`` is kept
as it came. ``from_dict(to_dict(x)) == x`` for every model class. The converter is built on
first use, so ``import voiceclone`` does not pay for importing cattrs.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from voiceclone._errors import ValidationError, VoiceCloneError
from voiceclone._models import Gender, JobStatus
from voiceclone._time import format_utc, parse_utc

if TYPE_CHECKING:
    import cattrs

__all__ = ["from_dict", "neutral_converter", "to_dict"]

T = TypeVar("T")


@functools.cache
def neutral_converter() -> cattrs.Converter:
    """The converter of the neutral form. Adapters keep converters of their own for wire forms."""
    import cattrs

    converter = cattrs.Converter(detailed_validation=False)
    converter.register_unstructure_hook(datetime, format_utc)
    converter.register_structure_hook(datetime, lambda value, _: _parse_time(value))
    converter.register_unstructure_hook(JobStatus, lambda status: status.value)
    converter.register_structure_hook(JobStatus, lambda value, _: JobStatus.parse(value))
    converter.register_unstructure_hook(Gender, lambda gender: gender.value)
    converter.register_structure_hook(Gender, lambda value, _: Gender.parse(value))
    converter.register_unstructure_hook_func(
        lambda cls: getattr(cls, "__origin__", None) is frozenset,
        lambda items: sorted(converter.unstructure(item) for item in items),
    )
    return converter


def _parse_time(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    try:
        return parse_utc(value)
    except (TypeError, ValueError) as exc:
        raise ValidationError("time", f"{value!r} is not an ISO-8601 time") from exc


def to_dict(obj: Any) -> dict[str, Any]:
    """The neutral JSON form of a model instance (plain dicts, lists, strings and numbers)."""
    result = neutral_converter().unstructure(obj)
    if not isinstance(result, dict):
        raise TypeError(f"{type(obj).__name__} is not a voiceclone model")
    return result


def from_dict(cls: type[T], data: Mapping[str, Any]) -> T:
    """Build ``cls`` from its neutral JSON form. A bad form is a ``ValidationError``."""
    import cattrs

    try:
        return neutral_converter().structure(data, cls)
    except VoiceCloneError:
        raise
    except (cattrs.BaseValidationError, KeyError, TypeError, ValueError) as exc:
        raise ValidationError(cls.__name__, f"not a valid neutral form: {exc}") from exc
