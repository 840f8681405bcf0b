"""``RetryPolicy``: when to send a call again and how long to wait first (urllib3's ``Retry``).

The decision is pure: :meth:`RetryPolicy.delay` looks at the attempt number, the error and
whether the call is safe to repeat, and returns the seconds to wait or None (give up). Both
clients use it, so sync and async retry identically. Transport failures from httpx become
neutral errors in :func:`neutral_transport_error`.
"""

from __future__ import annotations

import email.utils
import random
from typing import Any

import attrs
import httpx

from voiceclone._errors import (
    ProviderError,
    RateLimitError,
    TimeoutError,
    TransportError,
    ValidationError,
    VoiceCloneError,
)

__all__ = [
    "RETRY_STATUSES",
    "RetryPolicy",
    "neutral_transport_error",
    "parse_retry_after",
    "with_retry_after",
]

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
"""HTTP statuses retried even when the adapter's error does not say ``retryable``."""


def _non_negative_int(instance: Any, attribute: attrs.Attribute[Any], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(f"retry.{attribute.name}", "must be a whole number, 0 or more")


def _non_negative(instance: Any, attribute: attrs.Attribute[Any], value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
        raise ValidationError(f"retry.{attribute.name}", "must be a number, 0 or more")


def _fraction(instance: Any, attribute: attrs.Attribute[Any], value: float) -> None:
    _non_negative(instance, attribute, value)
    if value > 1:
        raise ValidationError(f"retry.{attribute.name}", "must be between 0 and 1")


@attrs.frozen(slots=True)
class RetryPolicy:
    """How failed calls are retried. Immutable; derive variants with ``attrs.evolve``.

    A call is retried at most ``retries`` times, and only when it is marked safe to repeat and
    the error is retryable: connection errors, timeouts, HTTP 408/429/5xx, and any error the
    adapter marks ``retryable``. Before retry ``n`` (1-based) the client waits
    ``min(backoff_initial * backoff_multiplier ** (n - 1), backoff_max)`` seconds, shortened by
    up to ``jitter`` (a fraction) at random so that clients spread out. A ``Retry-After`` from
    the server replaces the backoff; one longer than ``retry_after_cap`` is cut to the cap.
    """

    retries: int = attrs.field(default=2, validator=_non_negative_int)
    backoff_initial: float = attrs.field(default=0.5, validator=_non_negative)
    backoff_max: float = attrs.field(default=8.0, validator=_non_negative)
    backoff_multiplier: float = attrs.field(default=2.0, validator=_non_negative)
    jitter: float = attrs.field(default=0.25, validator=_fraction)
    retry_after_cap: float = attrs.field(default=60.0, validator=_non_negative)

    @classmethod
    def never(cls) -> RetryPolicy:
        """A policy that sends every call once."""
        return cls(retries=0)

    def is_retryable(self, error: VoiceCloneError) -> bool:
        """True when ``error`` is worth another attempt (ignoring the attempt count)."""
        if error.retryable:
            return True
        return isinstance(error, ProviderError) and error.status_code in RETRY_STATUSES

    def backoff(self, retry: int, rng: random.Random | None = None) -> float:
        """The wait before retry number ``retry`` (1-based), jitter included."""
        base = min(self.backoff_initial * self.backoff_multiplier ** (retry - 1), self.backoff_max)
        if not self.jitter:
            return base
        return base * (1.0 - self.jitter * (rng or random).random())

    def delay(
        self,
        attempt: int,
        error: VoiceCloneError,
        *,
        safe_to_repeat: bool,
        rng: random.Random | None = None,
    ) -> float | None:
        """Seconds to wait before sending again after failed attempt ``attempt`` (1-based), or
        None when the call must not be retried.
        """
        if not safe_to_repeat or attempt > self.retries or not self.is_retryable(error):
            return None
        retry_after = getattr(error, "retry_after", None)
        if isinstance(retry_after, (int, float)) and retry_after >= 0:
            return float(min(retry_after, self.retry_after_cap))
        return self.backoff(attempt, rng)


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds from a ``Retry-After`` header: a number of seconds or an HTTP date.

    ``now`` is the current epoch time (for dates). None when absent or unreadable.
    """
    if not value:
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            moment = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if moment.tzinfo is None:
            return None
        seconds = moment.timestamp() - now
    if seconds != seconds:  # NaN
        return None
    return max(0.0, seconds)


def with_retry_after(error: VoiceCloneError, response: httpx.Response, now: float) -> None:
    """Give a throttling error the server's ``Retry-After`` when the adapter did not."""
    if isinstance(error, RateLimitError) and error.retry_after is None:
        error.retry_after = parse_retry_after(response.headers.get("retry-after"), now)


def neutral_transport_error(exc: httpx.TransportError, provider: str) -> TransportError:
    """The neutral error for an httpx transport failure (never with the URL's query string)."""
    name = type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        return TimeoutError(f"request timed out ({name})", provider=provider)
    return TransportError(f"request failed: {name}: {_first_line(exc)}", provider=provider)


def _first_line(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    # httpx messages can quote the URL; drop anything after a "?" so signatures never leak.
    return text.split("?", 1)[0][:200]
