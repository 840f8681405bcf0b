"""Time conversions shared by the neutral form and the adapters. All results are aware UTC."""

from __future__ import annotations

from datetime import datetime, timezone

__all__ = ["format_utc", "from_epoch", "parse_utc"]

UTC = timezone.utc
_MILLISECONDS_FROM = 100_000_000_000  # 1e11: as seconds that is the year 5138


def from_epoch(value: int | float) -> datetime:
    """An epoch number as aware UTC; values of 1e11 and more are taken as milliseconds.

    Raises ``ValueError``/``OverflowError``/``OSError`` for numbers no datetime can hold;
    adapters turn those into ``ProviderResponseError``.
    """
    if isinstance(value, bool):
        raise ValueError("a boolean is not a time")
    seconds = value / 1000 if abs(value) >= _MILLISECONDS_FROM else value
    return datetime.fromtimestamp(seconds, UTC)


def parse_utc(text: str) -> datetime:
    """An ISO-8601 string as aware UTC. A trailing ``Z`` is UTC; no offset at all means UTC."""
    if not isinstance(text, str):
        raise ValueError(f"expected an ISO-8601 string, got {type(text).__name__}")
    moment = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
    if moment.utcoffset() is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def format_utc(moment: datetime) -> str:
    """An aware datetime as ``YYYY-MM-DDTHH:MM:SS[.ffffff]Z``."""
    text = moment.astimezone(UTC).replace(tzinfo=None).isoformat()
    return text + "Z"
