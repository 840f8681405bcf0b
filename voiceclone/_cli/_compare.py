"""``voiceclone compare``: a side-by-side summary of each provider's jobs.

:func:`summarize` reads a stream of jobs once, keeping counters only (memory stays flat);
:func:`write_comparison` renders summaries as a table (one column per provider) or JSON.
The demo calls the same code with emulator clients.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, TextIO

import attrs

from voiceclone._cli._table import Column, render_table
from voiceclone._cli._text import Palette, short_time, status_words, truncate
from voiceclone._models import JobStatus, VoiceCloningJob
from voiceclone._time import format_utc

__all__ = ["JobRef", "Summary", "format_duration", "summarize", "write_comparison"]


@attrs.frozen(slots=True)
class JobRef:
    """A job named in a summary: its id and when it was created."""

    job_id: str
    created_at: datetime


@attrs.frozen(slots=True)
class Summary:
    """What one provider's jobs look like.

    ``success_rate`` is succeeded / (succeeded + failed): None until a job has finished.
    ``median_seconds_to_success`` is the median time from creation to the last update of the
    succeeded jobs, from vendors that report an update time; None when none does.
    """

    provider: str
    total: int
    by_status: dict[JobStatus, int]
    editions: dict[str, int]
    newest: JobRef | None
    oldest: JobRef | None
    success_rate: float | None
    median_seconds_to_success: float | None
    timed_successes: int

    def to_json(self) -> dict[str, Any]:
        """The summary as plain JSON data (neutral status values, ISO-8601 UTC times)."""

        def ref(value: JobRef | None) -> dict[str, str] | None:
            if value is None:
                return None
            return {"job_id": value.job_id, "created_at": format_utc(value.created_at)}

        return {
            "provider": self.provider,
            "total": self.total,
            "by_status": {status.value: self.by_status.get(status, 0) for status in JobStatus},
            "success_rate": self.success_rate,
            "editions": dict(sorted(self.editions.items())),
            "newest": ref(self.newest),
            "oldest": ref(self.oldest),
            "median_seconds_to_success": self.median_seconds_to_success,
            "timed_successes": self.timed_successes,
        }


def summarize(provider: str, jobs: Iterable[VoiceCloningJob]) -> Summary:
    """Summarise ``jobs`` (one provider's) in one pass."""
    statuses: Counter[JobStatus] = Counter()
    editions: Counter[str] = Counter()
    newest: JobRef | None = None
    oldest: JobRef | None = None
    durations: list[float] = []
    for job in jobs:
        statuses[job.status] += 1
        editions[job.edition or "-"] += 1
        if job.created_at is not None:
            ref = JobRef(job.job_id, job.created_at)
            if newest is None or ref.created_at > newest.created_at:
                newest = ref
            if oldest is None or ref.created_at < oldest.created_at:
                oldest = ref
        if job.status is JobStatus.SUCCEEDED and job.created_at and job.updated_at:
            durations.append((job.updated_at - job.created_at).total_seconds())
    finished = statuses[JobStatus.SUCCEEDED] + statuses[JobStatus.FAILED]
    return Summary(
        provider=provider,
        total=sum(statuses.values()),
        by_status=dict(statuses),
        editions=dict(editions),
        newest=newest,
        oldest=oldest,
        success_rate=statuses[JobStatus.SUCCEEDED] / finished if finished else None,
        median_seconds_to_success=statistics.median(durations) if durations else None,
        timed_successes=len(durations),
    )


def format_duration(seconds: float) -> str:
    """A duration in the two largest units a person reads: ``2 d 4 h``, ``3 h 12 min``."""
    total = round(seconds)
    if total < 60:
        return f"{total} s"
    minutes, _ = divmod(total, 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min"


def _ref_text(value: JobRef | None) -> str:
    if value is None:
        return "-"
    return f"{short_time(value.created_at)} {truncate(value.job_id, 14)}"


def _rate_text(summary: Summary) -> str:
    if summary.success_rate is None:
        return "no finished jobs"
    succeeded = summary.by_status.get(JobStatus.SUCCEEDED, 0)
    finished = succeeded + summary.by_status.get(JobStatus.FAILED, 0)
    return f"{summary.success_rate:.0%} ({succeeded} of {finished} finished)"


def _median_text(summary: Summary) -> str:
    if summary.median_seconds_to_success is None:
        return "not reported"
    return f"{format_duration(summary.median_seconds_to_success)} (n={summary.timed_successes})"


def comparison_rows(summaries: Sequence[Summary]) -> list[list[str]]:
    """The comparison table's rows: one per measure, one cell per provider."""
    rows: list[list[str]] = [["jobs", *(str(s.total) for s in summaries)]]
    for status in JobStatus:
        if any(s.by_status.get(status) for s in summaries):
            rows.append(
                [f"  {status_words(status)}", *(str(s.by_status.get(status, 0)) for s in summaries)]
            )
    rows.append(["success rate", *(_rate_text(s) for s in summaries)])
    # Vendors name their editions differently: each column lists its own, largest first.
    columns = [_edition_lines(s) for s in summaries]
    for index in range(max((len(lines) for lines in columns), default=0)):
        label = "editions" if index == 0 else ""
        rows.append([label, *(lines[index] if index < len(lines) else "" for lines in columns)])
    rows.append(["newest job (UTC)", *(_ref_text(s.newest) for s in summaries)])
    rows.append(["oldest job (UTC)", *(_ref_text(s.oldest) for s in summaries)])
    rows.append(["median to success", *(_median_text(s) for s in summaries)])
    return rows


def _edition_lines(summary: Summary) -> list[str]:
    ranked = sorted(summary.editions.items(), key=lambda item: (-item[1], item[0].lower()))
    return [f"{name}: {count}" for name, count in ranked] or ["-"]


def write_comparison(summaries: Sequence[Summary], fmt: str, out: TextIO, palette: Palette) -> None:
    """Write the summaries side by side (``table``) or as a JSON array (``json``)."""
    if fmt == "json":
        data = [summary.to_json() for summary in summaries]
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    columns = [Column(""), *(Column(s.provider, max_width=36) for s in summaries)]
    for line in render_table(columns, comparison_rows(summaries), heading=palette.bold, gap="   "):
        out.write(line + "\n")
