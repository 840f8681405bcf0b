"""FaultPlan parsing and validation, and the seeded decisions of FaultInjector."""

from __future__ import annotations

from collections import Counter
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from voiceclone import ValidationError
from voiceclone.testing import FaultInjector, FaultKind, FaultPlan, FaultStats


def test_parse_reads_every_key() -> None:
    plan = FaultPlan.parse(
        "5xx=0.2, throttle=0.1, retry_after=2, latency=20ms, drop=0.05, truncate=0.01,"
        " churn=0.05, lost_reply=0.02, seed=7"
    )
    assert plan == FaultPlan(
        seed=7,
        server_error_rate=0.2,
        throttle_rate=0.1,
        retry_after=2.0,
        latency=0.02,
        drop_rate=0.05,
        truncate_rate=0.01,
        churn_rate=0.05,
        lost_reply_rate=0.02,
    )


def test_parse_latency_range_and_units() -> None:
    plan = FaultPlan.parse("latency=10ms-0.05s,retry-after=500ms")
    assert plan.latency == pytest.approx(0.01)
    assert plan.latency_max == pytest.approx(0.05)
    assert plan.retry_after == pytest.approx(0.5)


@pytest.mark.parametrize(
    "spec",
    [
        "",
        "5xx=0.2,seed=7",
        "throttle=0.1,retry_after=2,latency=0.01-0.05,churn=0.3",
        "latency=0-0.5",
    ],
)
def test_spec_round_trips(spec: str) -> None:
    assert FaultPlan.parse(spec).spec() == spec
    assert FaultPlan.parse(FaultPlan.parse(spec).spec()) == FaultPlan.parse(spec)


def test_empty_spec_is_quiet() -> None:
    assert FaultPlan.parse("") == FaultPlan()
    assert FaultPlan.parse(" , ").is_quiet
    assert not FaultPlan.parse("latency=0.01").is_quiet
    assert not FaultPlan.parse("churn=0.01").is_quiet


@pytest.mark.parametrize(
    ("spec", "field"),
    [
        ("bogus=1", "faults.bogus"),
        ("5xx", "faults.5xx"),
        ("throttle=", "faults.throttle"),
        ("drop=lots", "faults.drop"),
        ("truncate=1.5", "faults.truncate"),
        ("churn=-0.1", "faults.churn"),
        ("seed=1.5", "faults.seed"),
        ("latency=fast", "faults.latency"),
        ("latency=0.05-0.01", "latency"),
        ("5xx=0.6,drop=0.6", "faults"),
    ],
)
def test_parse_rejects_bad_specs_naming_the_key(spec: str, field: str) -> None:
    with pytest.raises(ValidationError) as info:
        FaultPlan.parse(spec)
    assert info.value.field == field
    assert isinstance(info.value, ValueError)


def test_constructor_validates_rates() -> None:
    with pytest.raises(ValidationError, match="throttle_rate"):
        FaultPlan(throttle_rate=2.0)
    with pytest.raises(ValidationError, match="latency"):
        FaultPlan(latency=float("nan"))


class _NoEmulator:
    """decide() never touches the emulator."""


def _decisions(plan: FaultPlan, count: int) -> list[Any]:
    injector = FaultInjector(_NoEmulator(), plan)  # type: ignore[arg-type]
    return [injector.decide() for _ in range(count)]


MIXED = FaultPlan(
    seed=11,
    server_error_rate=0.1,
    throttle_rate=0.15,
    drop_rate=0.05,
    truncate_rate=0.05,
    lost_reply_rate=0.05,
    churn_rate=0.2,
    latency=0.01,
    latency_max=0.03,
)


def test_same_seed_same_decisions_other_seed_others() -> None:
    first = _decisions(MIXED, 300)
    assert first == _decisions(MIXED, 300)
    assert first != _decisions(attrs.evolve(MIXED, seed=12), 300)


def test_rates_are_hit_roughly() -> None:
    count = 20_000
    decisions = _decisions(MIXED, count)
    kinds = Counter(d.kind for d in decisions)
    expected = {
        FaultKind.SERVER_ERROR: 0.1,
        FaultKind.THROTTLE: 0.15,
        FaultKind.DROP: 0.05,
        FaultKind.TRUNCATE: 0.05,
        FaultKind.LOST_REPLY: 0.05,
        FaultKind.NONE: 0.6,
    }
    for kind, rate in expected.items():
        assert kinds[kind] / count == pytest.approx(rate, abs=0.015), kind
    assert sum(d.churn for d in decisions) / count == pytest.approx(0.2, abs=0.015)
    assert all(0.01 <= d.latency <= 0.03 for d in decisions)
    statuses = {d.status for d in decisions if d.kind is FaultKind.SERVER_ERROR}
    assert statuses <= {500, 502, 503, 504} and len(statuses) > 1
    assert {d.status for d in decisions if d.kind is not FaultKind.SERVER_ERROR} == {0}


@given(seed=st.integers(0, 2**32), rate=st.floats(0.0, 1.0))
def test_a_single_fault_at_rate_one_or_zero_is_certain(seed: int, rate: float) -> None:
    always = _decisions(FaultPlan(seed=seed, drop_rate=1.0), 20)
    assert {d.kind for d in always} == {FaultKind.DROP}
    never = _decisions(FaultPlan(seed=seed, throttle_rate=0.0, churn_rate=0.0), 20)
    assert {d.kind for d in never} == {FaultKind.NONE}
    assert not any(d.churn for d in never)


def test_stats_count_what_was_decided() -> None:
    injector = FaultInjector(_NoEmulator(), MIXED)  # type: ignore[arg-type]
    decisions = [injector.decide() for _ in range(500)]
    kinds = Counter(d.kind for d in decisions)
    stats = injector.stats
    assert stats.requests == 500
    assert stats.throttled == kinds[FaultKind.THROTTLE]
    assert stats.server_errors == kinds[FaultKind.SERVER_ERROR]
    assert stats.dropped == kinds[FaultKind.DROP]
    assert stats.truncated == kinds[FaultKind.TRUNCATE]
    assert stats.lost_replies == kinds[FaultKind.LOST_REPLY]
    assert stats.churned == sum(d.churn for d in decisions)
    assert stats.delayed == 500


def test_stats_describe_lists_only_what_happened() -> None:
    assert FaultStats(requests=4, dropped=1).describe() == "requests=4 dropped=1"
    assert FaultStats().describe() == "requests=0"
