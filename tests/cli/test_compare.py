"""The comparison summary: counts, rates, editions, extremes and the median time to success."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta, timezone

from voiceclone import JobStatus, VoiceCloningJob
from voiceclone._cli._compare import comparison_rows, format_duration, summarize, write_comparison
from voiceclone._cli._text import Palette

T0 = datetime(2024, 1, 1, tzinfo=timezone.utc)


def job(
    n: int, status: str, *, edition: str = "BASIC", hours: float | None = None
) -> VoiceCloningJob:
    created = T0 + timedelta(days=n)
    updated = None if hours is None else created + timedelta(hours=hours)
    return VoiceCloningJob(
        provider="p",
        job_id=f"j{n}",
        status=status,  # type: ignore[arg-type]
        raw_status=status.upper(),
        edition=edition,
        created_at=created,
        updated_at=updated,
    )


def test_summary_counts_rates_editions_and_extremes() -> None:
    jobs = [
        job(3, "succeeded", hours=1),
        job(1, "succeeded", hours=3, edition="MIDDLE"),
        job(2, "failed", hours=9),
        job(5, "training"),
        job(4, "succeeded", hours=2),
    ]
    summary = summarize("p", iter(jobs))
    assert summary.total == 5
    assert summary.by_status == {JobStatus.SUCCEEDED: 3, JobStatus.FAILED: 1, JobStatus.TRAINING: 1}
    assert summary.success_rate == 0.75
    assert summary.editions == {"BASIC": 4, "MIDDLE": 1}
    assert summary.newest is not None and summary.newest.job_id == "j5"
    assert summary.oldest is not None and summary.oldest.job_id == "j1"
    assert summary.median_seconds_to_success == 2 * 3600  # failures do not count
    assert summary.timed_successes == 3


def test_no_update_times_means_the_median_is_not_reported() -> None:
    summary = summarize("p", [job(1, "succeeded"), job(2, "created")])
    assert summary.median_seconds_to_success is None
    rows = {row[0]: row[1] for row in comparison_rows([summary])}
    assert rows["median to success"] == "not reported"


def test_nothing_finished_has_no_success_rate() -> None:
    summary = summarize("p", [job(1, "training")])
    assert summary.success_rate is None
    assert summarize("q", []).total == 0


def test_rows_put_providers_side_by_side() -> None:
    a = summarize("a", [job(1, "succeeded", hours=1), job(2, "failed")])
    b = summarize("b", [job(1, "queued", edition="Standard")])
    rows = comparison_rows([a, b])
    table = {row[0]: row[1:] for row in rows}
    assert table["jobs"] == ["2", "1"]
    assert table["  succeeded"] == ["1", "0"]
    assert table["  queued"] == ["0", "1"]
    assert table["success rate"] == ["50% (1 of 2 finished)", "no finished jobs"]
    assert "  training" not in table  # statuses nobody has are left out
    start = next(i for i, row in enumerate(rows) if row[0] == "editions")
    assert rows[start][1:] == ["BASIC: 2", "Standard: 1"]


def test_each_provider_lists_its_own_editions_largest_first() -> None:
    a = summarize("a", [job(1, "created"), job(2, "created", edition="MIDDLE"), job(3, "created")])
    b = summarize("b", [job(1, "created", edition="Basic")])
    rows = comparison_rows([a, b])
    start = next(i for i, row in enumerate(rows) if row[0] == "editions")
    assert rows[start] == ["editions", "BASIC: 2", "Basic: 1"]
    assert rows[start + 1] == ["", "MIDDLE: 1", ""]


def test_json_comparison_uses_neutral_values() -> None:
    out = io.StringIO()
    write_comparison([summarize("a", [job(1, "succeeded", hours=1)])], "json", out, Palette(False))
    (data,) = json.loads(out.getvalue())
    assert data["by_status"]["succeeded"] == 1 and data["by_status"]["failed"] == 0
    assert data["newest"] == {"job_id": "j1", "created_at": "2024-01-02T00:00:00Z"}
    assert data["median_seconds_to_success"] == 3600


def test_table_comparison_has_a_column_per_provider() -> None:
    out = io.StringIO()
    summaries = [summarize("huawei-metastudio", []), summarize("alibaba-ice", [])]
    write_comparison(summaries, "table", out, Palette(False))
    heading = out.getvalue().splitlines()[0]
    assert heading.index("huawei-metastudio") < heading.index("alibaba-ice")


def test_durations_read_as_two_units() -> None:
    assert format_duration(42) == "42 s"
    assert format_duration(60 * 45) == "45 min"
    assert format_duration(3600 * 3 + 60 * 12) == "3 h 12 min"
    assert format_duration(3600 * 5) == "5 h"
    assert format_duration(86400 * 2 + 3600 * 4 + 59) == "2 d 4 h"
