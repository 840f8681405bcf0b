"""Seeded fault injection around an emulator: what can go wrong between a client and a vendor.

A :class:`FaultPlan` says how often each fault happens; a :class:`FaultInjector` draws the
faults for each request from a seeded generator (the same seed gives the same sequence of
decisions) and produces the reply. Both front ends (the in-process transport and the loopback
server) use the same injector, so a plan behaves the same in-process and over a socket.

Faults are decided *before* the emulator sees a request, so a faulted mutating request changes
nothing: a throttled, failed, dropped or truncated create creates no job. The one exception is
the *lost reply* (``lost_reply_rate``): the emulator applies the request, then the reply is
dropped, the ambiguous failure a client cannot tell apart from a drop.

Other users' activity (``churn_rate``) is independent of the reply: before answering, the
injector asks the emulator to create or delete one job, as someone else would mid-listing.
"""

from __future__ import annotations

import enum
import random
import threading
from collections import Counter
from collections.abc import Callable

import attrs
import httpx

from voiceclone._emulator import Emulator
from voiceclone._errors import ValidationError

__all__ = ["Decision", "FaultInjector", "FaultKind", "FaultPlan", "FaultStats", "Reply"]

Handler = Callable[[httpx.Request], httpx.Response]
"""Anything that answers a request: an emulator's ``handle`` or a plain function."""

_SERVER_ERROR_STATUSES = (500, 502, 503, 504)


def _rate(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ValidationError(attribute.name, "must be a probability between 0 and 1")


def _seconds(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not value >= 0.0:  # also refuses NaN
        raise ValidationError(attribute.name, "must be a number of seconds, 0 or more")


class FaultKind(enum.Enum):
    """What happens to one reply."""

    NONE = "none"
    THROTTLE = "throttle"
    SERVER_ERROR = "server_error"
    DROP = "drop"
    TRUNCATE = "truncate"
    LOST_REPLY = "lost_reply"


# FaultPlan.parse keys -> attribute names. The short keys are what ``--faults`` takes.
_KEYS = {
    "5xx": "server_error_rate",
    "throttle": "throttle_rate",
    "retry_after": "retry_after",
    "retry-after": "retry_after",
    "latency": "latency",
    "drop": "drop_rate",
    "truncate": "truncate_rate",
    "churn": "churn_rate",
    "lost_reply": "lost_reply_rate",
    "lost-reply": "lost_reply_rate",
    "seed": "seed",
}


@attrs.frozen(slots=True)
class FaultPlan:
    """How often each fault happens; a value object (``attrs.evolve`` to change one field).

    Rates are per request. ``throttle_rate``, ``server_error_rate``, ``drop_rate``,
    ``truncate_rate`` and ``lost_reply_rate`` are exclusive outcomes of one draw, so their sum
    is at most 1. ``churn_rate`` and the latency apply on top of any outcome.

    ``latency`` is added before every reply: fixed, or uniform between ``latency`` and
    ``latency_max`` when that is given. ``retry_after`` is the seconds the throttling reply
    asks the client to wait. ``seed`` fixes the sequence of decisions.
    """

    seed: int = 0
    server_error_rate: float = attrs.field(default=0.0, converter=float, validator=_rate)
    throttle_rate: float = attrs.field(default=0.0, converter=float, validator=_rate)
    retry_after: float = attrs.field(default=1.0, converter=float, validator=_seconds)
    latency: float = attrs.field(default=0.0, converter=float, validator=_seconds)
    latency_max: float | None = attrs.field(
        default=None, converter=attrs.converters.optional(float)
    )
    drop_rate: float = attrs.field(default=0.0, converter=float, validator=_rate)
    truncate_rate: float = attrs.field(default=0.0, converter=float, validator=_rate)
    churn_rate: float = attrs.field(default=0.0, converter=float, validator=_rate)
    lost_reply_rate: float = attrs.field(default=0.0, converter=float, validator=_rate)

    @latency_max.validator
    def _check_latency_max(
        self, attribute: attrs.Attribute[float | None], value: float | None
    ) -> None:
        if value is not None and not value >= self.latency:
            raise ValidationError("latency", "the maximum must not be below the minimum")

    def __attrs_post_init__(self) -> None:
        if sum(rate for _, rate in self._outcomes()) > 1.0 + 1e-9:
            raise ValidationError(
                "faults", "throttle, 5xx, drop, truncate and lost_reply rates must sum to 1 or less"
            )

    def _outcomes(self) -> tuple[tuple[FaultKind, float], ...]:
        return (
            (FaultKind.THROTTLE, self.throttle_rate),
            (FaultKind.SERVER_ERROR, self.server_error_rate),
            (FaultKind.DROP, self.drop_rate),
            (FaultKind.TRUNCATE, self.truncate_rate),
            (FaultKind.LOST_REPLY, self.lost_reply_rate),
        )

    @property
    def is_quiet(self) -> bool:
        """True when the plan injects nothing at all."""
        return (
            self.latency == 0.0
            and not self.latency_max
            and self.churn_rate == 0.0
            and all(rate == 0.0 for _, rate in self._outcomes())
        )

    def spec(self) -> str:
        """The plan in :meth:`parse`'s syntax, naming only what differs from the quiet plan."""
        quiet = FaultPlan()
        short = {name: key for key, name in _KEYS.items() if "-" not in key}
        parts = []
        names = [a.name for a in attrs.fields(FaultPlan) if a.name not in ("seed", "latency_max")]
        for name in [*names, "seed"]:
            value = getattr(self, name)
            ranged = name == "latency" and self.latency_max is not None
            if value == getattr(quiet, name) and not ranged:
                continue
            if ranged:
                parts.append(f"latency={value:g}-{self.latency_max:g}")
            else:
                parts.append(f"{short[name]}={value:g}")
        return ",".join(parts)

    @classmethod
    def parse(cls, spec: str) -> FaultPlan:
        """A plan from ``"5xx=0.2,throttle=0.1,latency=0.02,drop=0.05,seed=7"`` (``--faults``).

        Keys: ``5xx``, ``throttle``, ``retry_after``, ``latency`` (seconds, ``20ms``, or a range
        ``10ms-50ms``), ``drop``, ``truncate``, ``churn``, ``lost_reply``, ``seed``. An empty
        spec is the quiet plan. A bad key or value raises ``ValidationError`` (a ``ValueError``)
        naming it.
        """
        values: dict[str, float | int | None] = {}
        for item in (part.strip() for part in spec.split(",")):
            if not item:
                continue
            key, sep, text = (piece.strip() for piece in item.partition("="))
            name = _KEYS.get(key.lower())
            if name is None:
                known = ", ".join(sorted(k for k in _KEYS if "-" not in k))
                raise ValidationError(f"faults.{key}", f"unknown fault; use one of {known}")
            if not sep or not text:
                raise ValidationError(f"faults.{key}", "needs a value, as in key=value")
            if name == "seed":
                values["seed"] = _parse_int(key, text)
            elif name == "latency":
                low, _, high = text.partition("-")
                values["latency"] = _parse_seconds(key, low)
                values["latency_max"] = _parse_seconds(key, high) if high else None
            elif name == "retry_after":
                values[name] = _parse_seconds(key, text)
            else:
                values[name] = _parse_number(key, text)
        return cls(**values)  # type: ignore[arg-type]


def _parse_int(key: str, text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValidationError(f"faults.{key}", f"must be an integer, not {text!r}") from None


def _parse_number(key: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValidationError(f"faults.{key}", f"must be a number, not {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise ValidationError(f"faults.{key}", "must be a probability between 0 and 1")
    return value


def _parse_seconds(key: str, text: str) -> float:
    text = text.strip().lower()
    scale = 1.0
    if text.endswith("ms"):
        text, scale = text[:-2], 0.001
    elif text.endswith("s"):
        text = text[:-1]
    try:
        value = float(text) * scale
    except ValueError:
        raise ValidationError(f"faults.{key}", "must be seconds such as 0.02 or 20ms") from None
    if not value >= 0.0:
        raise ValidationError(f"faults.{key}", "must be 0 seconds or more")
    return value


@attrs.frozen(slots=True)
class FaultStats:
    """How many of each fault an injector has produced so far (for reports and assertions)."""

    requests: int = 0
    throttled: int = 0
    server_errors: int = 0
    dropped: int = 0
    truncated: int = 0
    lost_replies: int = 0
    churned: int = 0
    delayed: int = 0

    def describe(self) -> str:
        """One line for humans: ``requests=120 throttled=3 ...`` (only non-zero faults)."""
        counts = attrs.asdict(self)
        parts = [f"requests={counts.pop('requests')}"]
        parts += [f"{name}={value}" for name, value in counts.items() if value]
        return " ".join(parts)


_STAT_OF_KIND = {
    FaultKind.THROTTLE: "throttled",
    FaultKind.SERVER_ERROR: "server_errors",
    FaultKind.DROP: "dropped",
    FaultKind.TRUNCATE: "truncated",
    FaultKind.LOST_REPLY: "lost_replies",
}


@attrs.frozen(slots=True)
class Decision:
    """The faults drawn for one request: the reply's fate, a delay, and whether to churn."""

    kind: FaultKind = FaultKind.NONE
    latency: float = 0.0
    churn: bool = False
    status: int = 0


@attrs.frozen(slots=True)
class Reply:
    """What to send back: ``response`` (None: close the connection without a reply) and, for
    a truncated reply, how many bytes of its body to send before closing."""

    response: httpx.Response | None
    truncate_at: int | None = None

    def declared_length(self, body: bytes) -> int:
        """The Content-Length to announce: always more than a truncated reply sends."""
        if self.truncate_at is None:
            return len(body)
        return max(len(body), self.truncate_at + 1)


class FaultInjector:
    """Draws faults for each request from a seeded generator and builds the reply. Thread-safe.

    ``emulator`` provides the vendor's own throttling and 5xx replies and the churn.
    """

    def __init__(self, emulator: Emulator, plan: FaultPlan) -> None:
        self.emulator = emulator
        self.plan = plan
        self._lock = threading.Lock()
        self._decisions = random.Random(plan.seed)
        self._churn = random.Random(f"churn:{plan.seed}")
        self._counts: Counter[str] = Counter()

    @property
    def stats(self) -> FaultStats:
        """The counts so far."""
        with self._lock:
            return FaultStats(**self._counts)

    def decide(self) -> Decision:
        """The faults for the next request (draws from the seeded sequence, counts them)."""
        plan = self.plan
        with self._lock:
            rng = self._decisions
            churn = rng.random() < plan.churn_rate
            latency = plan.latency
            if plan.latency_max is not None:
                latency = rng.uniform(plan.latency, plan.latency_max)
            draw, kind, status = rng.random(), FaultKind.NONE, 0
            for candidate, rate in plan._outcomes():
                if draw < rate:
                    kind = candidate
                    break
                draw -= rate
            if kind is FaultKind.SERVER_ERROR:
                status = rng.choice(_SERVER_ERROR_STATUSES)
            self._count(kind, churn, latency)
        return Decision(kind=kind, latency=latency, churn=churn, status=status)

    def _count(self, kind: FaultKind, churn: bool, latency: float) -> None:
        self._counts["requests"] += 1
        if kind is not FaultKind.NONE:
            self._counts[_STAT_OF_KIND[kind]] += 1
        if churn:
            self._counts["churned"] += 1
        if latency > 0:
            self._counts["delayed"] += 1

    def reply(self, request: httpx.Request, decision: Decision) -> Reply:
        """Carry out ``decision`` for ``request``: churn, then the (possibly faulted) reply."""
        emulator = self.emulator
        if decision.churn:
            with self._lock:
                emulator.churn(self._churn)
        kind = decision.kind
        if kind is FaultKind.THROTTLE:
            return Reply(emulator.throttle_response(request, self.plan.retry_after))
        if kind is FaultKind.SERVER_ERROR:
            return Reply(emulator.server_error_response(request, decision.status))
        if kind is FaultKind.DROP:
            return Reply(None)
        if kind is FaultKind.LOST_REPLY:
            emulator.handle(request)
            return Reply(None)
        if kind is FaultKind.TRUNCATE:
            return _truncated(emulator, request)
        return Reply(emulator.handle(request))


def _truncated(emulator: Emulator, request: httpx.Request) -> Reply:
    """A reply cut off halfway. A read is answered and cut; a mutating request is not applied,
    and the cut reply is the vendor's 502 (a gateway failing mid-reply)."""
    if emulator.is_mutating(request):
        response = emulator.server_error_response(request, 502)
    else:
        response = emulator.handle(request)
    return Reply(response, truncate_at=len(response.read()) // 2)
