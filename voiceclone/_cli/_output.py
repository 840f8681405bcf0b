"""Rendering jobs, providers and errors in the CLI's formats: table, json, jsonl and csv.

Machine formats use the neutral field names of :func:`voiceclone.to_dict`: times are ISO-8601
UTC with ``Z``, ``status`` is the neutral value and ``raw_status`` the vendor's. ``json`` and
``jsonl`` keep the vendor payload in ``extra``; ``csv`` leaves it out and flattens ``failure``
into ``failure_code`` and ``failure_message``. ``table`` is for people.
"""

from __future__ import annotations

import csv
import enum
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

import attrs

from voiceclone._capabilities import Capabilities
from voiceclone._cli._table import Column, render_table
from voiceclone._cli._text import Palette, short_time, status_words
from voiceclone._converter import to_dict
from voiceclone._errors import VoiceCloneError
from voiceclone._models import CreatedJob, VoiceCloningJob
from voiceclone._paging import CursorToken, OffsetLimit, PageNumber, PagingScheme
from voiceclone._provider import ProviderSpec

__all__ = [
    "CSV_FIELDS",
    "csv_row",
    "describe_provider",
    "error_object",
    "job_lines",
    "job_table",
    "write_created",
    "write_error",
    "write_job",
    "write_jobs",
    "write_providers",
]

CSV_FIELDS = (
    "provider",
    "job_id",
    "status",
    "raw_status",
    "voice_name",
    "voice_id",
    "edition",
    "gender",
    "language",
    "created_at",
    "updated_at",
    "failure_code",
    "failure_message",
)
"""The csv columns: the neutral fields, ``failure`` flattened, ``extra`` left out."""

JOB_COLUMNS = (
    Column("PROVIDER"),
    Column("JOB ID"),
    Column("STATUS"),
    Column("VENDOR STATUS", max_width=20),
    Column("VOICE", max_width=24),
    Column("EDITION", max_width=16),
    Column("CREATED (UTC)"),
    Column("UPDATED (UTC)"),
)
_STATUS_COLUMN = 2


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def csv_row(job: VoiceCloningJob) -> dict[str, Any]:
    """One csv row: the neutral fields with ``failure`` flattened and without ``extra``."""
    row = to_dict(job)
    failure = row.pop("failure", None) or {}
    row.pop("extra", None)
    row["failure_code"] = failure.get("code")
    row["failure_message"] = failure.get("message")
    return {name: row.get(name) for name in CSV_FIELDS}


def _table_cells(job: VoiceCloningJob) -> list[str]:
    return [
        job.provider,
        job.job_id,
        status_words(job.status),
        job.raw_status or "-",
        job.voice_name or "-",
        job.edition or "-",
        short_time(job.created_at),
        short_time(job.updated_at),
    ]


def job_table(jobs: Sequence[VoiceCloningJob], palette: Palette) -> list[str]:
    """The jobs as an aligned table, status in words (coloured when the palette is on)."""

    def decorate(row: int, column: int, text: str) -> str:
        return palette.status(text, jobs[row].status) if column == _STATUS_COLUMN else text

    return render_table(
        JOB_COLUMNS,
        [_table_cells(job) for job in jobs],
        decorate=decorate,
        heading=palette.bold,
    )


def write_jobs(jobs: Iterable[VoiceCloningJob], fmt: str, out: TextIO, palette: Palette) -> int:
    """Write every job in ``fmt``; return how many. Machine formats stream row by row."""
    count = 0
    if fmt == "table":
        rows = list(jobs)
        count = len(rows)
        if rows:
            for line in job_table(rows, palette):
                out.write(line + "\n")
        return count
    if fmt == "json":
        out.write("[")
        for count, job in enumerate(jobs, start=1):
            out.write(("\n  " if count == 1 else ",\n  ") + _dumps(to_dict(job)))
        out.write("\n]\n" if count else "]\n")
        return count
    if fmt == "jsonl":
        for job in jobs:
            out.write(_dumps(to_dict(job)) + "\n")
            count += 1
        return count
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for job in jobs:
        writer.writerow(csv_row(job))
        count += 1
    return count


def job_lines(job: VoiceCloningJob, palette: Palette) -> list[str]:
    """One job as ``field  value`` lines, for ``jobs get`` and friends."""
    failure = job.failure
    fields: list[tuple[str, str]] = [
        ("provider", job.provider),
        ("job id", job.job_id),
        ("status", f"{palette.status(status_words(job.status), job.status)} ({job.raw_status})"),
        ("voice name", job.voice_name or "-"),
        ("voice id", job.voice_id or "-"),
        ("edition", job.edition or "-"),
        ("gender", job.gender.value if job.gender else "-"),
        ("language", job.language or "-"),
        ("created", _long_time(job, "created_at")),
        ("updated", _long_time(job, "updated_at")),
    ]
    if failure is not None and (failure.code or failure.message):
        fields.append(("failure", ": ".join(p for p in (failure.code, failure.message) if p)))
    width = max(len(name) for name, _ in fields)
    return [f"{name.ljust(width)}  {value}" for name, value in fields]


def _long_time(job: VoiceCloningJob, name: str) -> str:
    moment = getattr(job, name)
    return "-" if moment is None else f"{short_time(moment)} UTC"


def write_job(job: VoiceCloningJob, fmt: str, out: TextIO, palette: Palette) -> None:
    """Write one job: ``json`` as one object, ``table`` as a field list, others as one row."""
    if fmt == "table":
        out.write("\n".join(job_lines(job, palette)) + "\n")
    elif fmt == "json":
        out.write(json.dumps(to_dict(job), ensure_ascii=False, indent=2, default=str) + "\n")
    else:
        write_jobs([job], fmt, out, palette)


def write_created(
    created: CreatedJob, fmt: str, out: TextIO, palette: Palette, *, show_urls: bool
) -> None:
    """Write a new job and where its training data goes. Upload URLs carry a signature, so
    they are printed only when ``show_urls`` (the user asked for them)."""
    if fmt == "json":
        data = to_dict(created)
        if not show_urls:
            for upload in data.get("uploads", []):
                upload.pop("url", None)
        out.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    write_job(created.job, fmt, out, palette)
    if fmt != "table" or not created.uploads:
        return
    out.write(f"uploads     {len(created.uploads)} target(s) for the training data\n")
    for upload in created.uploads:
        where = f" {upload.url}" if show_urls else ""
        index = f" #{upload.index}" if upload.index is not None else ""
        out.write(f"  {upload.method} {upload.purpose}{index}{where}\n")
    if not show_urls:
        out.write("  (pass --show-upload-urls to print the pre-signed URLs)\n")


def _paging_words(scheme: PagingScheme) -> str:
    if isinstance(scheme, OffsetLimit):
        return f"offset/limit (<= {scheme.max_limit})"
    if isinstance(scheme, PageNumber):
        return f"page number/size (<= {scheme.max_size})"
    if isinstance(scheme, CursorToken):
        return f"next token (<= {scheme.max_size})"
    return type(scheme).__name__


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (frozenset, set, tuple, list)):
        items = [_plain(v) for v in value]
        return sorted(items) if isinstance(value, (frozenset, set)) else items
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _capabilities(capabilities: Capabilities) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for field in attrs.fields(Capabilities):
        value = getattr(capabilities, field.name)
        if field.name == "paging":
            data[field.name] = {"scheme": type(value).__name__, **attrs.asdict(value)}
        else:
            data[field.name] = _plain(value)
    return data


def describe_provider(spec: ProviderSpec) -> dict[str, Any]:
    """A provider as plain data: names, summary, accepted settings and capabilities."""
    return {
        **spec.describe(),
        "settings": sorted(spec.settings),
        "capabilities": _capabilities(spec.capabilities),
    }


def write_providers(specs: Sequence[ProviderSpec], fmt: str, out: TextIO, palette: Palette) -> None:
    """The installed providers, as a table or a JSON array."""
    if fmt == "json":
        data = [describe_provider(spec) for spec in specs]
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    columns = (
        Column("PROVIDER"),
        Column("ALIASES"),
        Column("PAGING"),
        Column("EDITIONS", max_width=40),
        Column("SUMMARY", max_width=48),
    )
    rows = [
        [
            spec.id,
            ", ".join(spec.aliases) or "-",
            _paging_words(spec.capabilities.paging),
            ", ".join(spec.capabilities.editions) or "-",
            spec.summary or "-",
        ]
        for spec in specs
    ]
    for line in render_table(columns, rows, heading=palette.bold):
        out.write(line + "\n")


def error_object(error: BaseException) -> dict[str, Any]:
    """An error as ``{"error": {...}}`` for ``--format json``. Never holds a credential."""
    body: dict[str, Any] = {"type": type(error).__name__, "message": str(error)}
    if isinstance(error, VoiceCloneError):
        body["message"] = error.message
        for name in ("provider", "status_code", "code", "request_id"):
            body[name] = getattr(error, name)
        field = getattr(error, "field", None)
        if field is not None:
            body["field"] = field
    return {"error": body}


def write_error(error: BaseException, err: TextIO, *, as_json: bool) -> None:
    """Report ``error`` on one line of ``err``: ``error: ...`` or a JSON object."""
    if as_json:
        err.write(json.dumps(error_object(error), ensure_ascii=False) + "\n")
        return
    text = " ".join(str(error).split()) or type(error).__name__
    err.write(f"error: {text}\n")
