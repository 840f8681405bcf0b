"""Checks of user arguments, run before any request: each failure is a ``ValidationError``
naming the argument and the rule. Shared by both clients.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import attrs

from voiceclone._errors import ValidationError
from voiceclone._models import JobQuery, JobStatus
from voiceclone._paging import PagingScheme
from voiceclone._planner import max_page_size

__all__ = [
    "build_query",
    "check_count",
    "check_identifier",
    "check_job_id",
    "check_page_size",
    "check_seconds",
]


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
"""The control characters (Unicode category ``Cc``); a regex, as every call checks its ids."""


def check_identifier(
    value: Any, field: str, *, max_length: int, provider: str | None = None
) -> str:
    """A vendor-assigned id used in a path or query: a string of 1 to ``max_length``
    characters, no control characters (newline, NUL, ...), no whitespace at either end."""

    def invalid(rule: str) -> ValidationError:
        return ValidationError(field, rule, provider=provider)

    if not isinstance(value, str):
        raise invalid(f"must be a string, not {type(value).__name__}")
    if not value.strip():
        raise invalid("must not be blank")
    if len(value) > max_length:
        raise invalid(f"must be at most {max_length} characters")
    if _CONTROL.search(value):
        raise invalid("must not contain control characters (newline, tab, NUL, ...)")
    if value != value.strip():
        raise invalid("must not start or end with whitespace")
    return value


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


MAX_POSITION = 2**31 - 1
"""The last position a listing window may start at: vendors count positions (offsets, page
numbers) in 32-bit integers, so a larger offset could only fail at the vendor."""


def check_count(name: str, value: Any, minimum: int, maximum: int | None = None) -> int:
    """A whole number ``>= minimum`` (and ``<= maximum`` when given)."""
    if not _is_int(value) or value < minimum:
        raise ValidationError(name, f"must be a whole number, {minimum} or more")
    if maximum is not None and value > maximum:
        raise ValidationError(name, f"must be at most {maximum}")
    return int(value)


def check_page_size(value: Any, scheme: PagingScheme, provider: str) -> int | None:
    """None (the largest page) or a size within ``1 .. the scheme's maximum``."""
    if value is None:
        return None
    largest = max_page_size(scheme)
    if not _is_int(value) or not 1 <= value <= largest:
        raise ValidationError(
            "page_size", f"must be a whole number from 1 to {largest}", provider=provider
        )
    return int(value)


def check_seconds(name: str, value: Any) -> float:
    """A finite number of seconds above 0."""
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value <= 0
    ):
        raise ValidationError(name, "must be a finite number of seconds above 0")
    return float(value)


def check_job_id(value: Any) -> str:
    """A non-empty job id string."""
    if not isinstance(value, str):
        raise ValidationError("job_id", f"must be a string, not {type(value).__name__}")
    if not value.strip():
        raise ValidationError("job_id", "must not be empty")
    if value in (".", ".."):
        raise ValidationError("job_id", "must not be '.' or '..' (URLs rewrite those segments)")
    return value


def build_query(
    query: JobQuery | None,
    *,
    status: Iterable[JobStatus | str] | JobStatus | str | None = None,
    edition: str | None = None,
    created_since: datetime | None = None,
    created_until: datetime | None = None,
    updated_since: datetime | None = None,
    updated_until: datetime | None = None,
    voice_name: str | None = None,
) -> JobQuery:
    """``query`` with the keyword filters set on top of it (a keyword wins over the query)."""
    if query is not None and not isinstance(query, JobQuery):
        raise ValidationError("query", f"must be a JobQuery, not {type(query).__name__}")
    changes: dict[str, Any] = {
        name: value
        for name, value in (
            ("statuses", status),
            ("edition", edition),
            ("created_since", created_since),
            ("created_until", created_until),
            ("updated_since", updated_since),
            ("updated_until", updated_until),
            ("voice_name", voice_name),
        )
        if value is not None
    }
    for name in ("created_since", "created_until", "updated_since", "updated_until"):
        if name in changes and not isinstance(changes[name], datetime):
            raise ValidationError(name, "must be a timezone-aware datetime")
    base = query if query is not None else JobQuery()
    return attrs.evolve(base, **changes) if changes else base
