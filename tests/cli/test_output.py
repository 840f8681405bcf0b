"""Rendering: neutral field names in machine formats, aligned readable tables, colour rules."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from voiceclone import (
    CreatedJob,
    Failure,
    JobStatus,
    NotFoundError,
    UploadTarget,
    VoiceCloningJob,
    from_dict,
)
from voiceclone._cli._output import (
    CSV_FIELDS,
    error_object,
    job_table,
    write_created,
    write_error,
    write_job,
    write_jobs,
)
from voiceclone._cli._table import Column, render_table
from voiceclone._cli._text import (
    ELLIPSIS,
    Palette,
    display_width,
    short_time,
    status_words,
    supports_colour,
    truncate,
)

T0 = datetime(2024, 5, 1, 8, 30, 15, tzinfo=timezone.utc)
OFF = Palette(False)


def job(n: int = 1, **changes: object) -> VoiceCloningJob:
    fields: dict[str, object] = {
        "provider": "huawei-metastudio",
        "job_id": f"job-{n}",
        "status": JobStatus.TRAINING,
        "raw_status": "PROCESSING",
        "voice_name": f"voice {n}",
        "edition": "BASIC",
        "created_at": T0 + timedelta(hours=n),
        "updated_at": T0 + timedelta(hours=n, minutes=5),
        "extra": {"state": "PROCESSING", "nested": {"k": [1, 2]}},
    }
    fields.update(changes)
    return VoiceCloningJob(**fields)  # type: ignore[arg-type]


class TTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def render(jobs: list[VoiceCloningJob], fmt: str) -> str:
    out = io.StringIO()
    assert write_jobs(iter(jobs), fmt, out, OFF) == len(jobs)
    return out.getvalue()


def test_json_rows_are_the_neutral_form_with_extra() -> None:
    jobs = [
        job(1),
        job(2, status=JobStatus.FAILED, raw_status="FAILED", failure=Failure("E1", "x")),
    ]
    rows = json.loads(render(jobs, "json"))
    assert [from_dict(VoiceCloningJob, row) for row in rows] == jobs
    assert rows[0]["status"] == "training" and rows[0]["raw_status"] == "PROCESSING"
    assert rows[0]["created_at"] == "2024-05-01T09:30:15Z"
    assert rows[0]["extra"] == {"state": "PROCESSING", "nested": {"k": [1, 2]}}
    assert rows[1]["failure"] == {"code": "E1", "message": "x"}


def test_an_empty_json_listing_is_an_empty_array() -> None:
    assert json.loads(render([], "json")) == []


def test_jsonl_is_one_object_per_line() -> None:
    lines = render([job(1), job(2)], "jsonl").splitlines()
    assert [json.loads(line)["job_id"] for line in lines] == ["job-1", "job-2"]


def test_csv_flattens_failure_and_leaves_out_extra() -> None:
    jobs = [
        job(1),
        job(2, status="failed", raw_status="FAILED", failure=Failure("E1", "bad, very")),
    ]
    rows = list(csv.DictReader(io.StringIO(render(jobs, "csv"))))
    assert tuple(rows[0]) == CSV_FIELDS
    assert "extra" not in rows[0]
    assert rows[1]["failure_code"] == "E1" and rows[1]["failure_message"] == "bad, very"
    assert rows[0]["failure_code"] == "" and rows[0]["created_at"] == "2024-05-01T09:30:15Z"
    assert rows[1]["status"] == "failed"


def test_csv_of_nothing_is_just_the_header() -> None:
    assert render([], "csv").splitlines() == [",".join(CSV_FIELDS)]


def test_table_columns_line_up_whatever_the_name_is_written_in() -> None:
    jobs = [job(1, voice_name="温柔的女声"), job(2, voice_name="Gentle"), job(3, voice_name=None)]
    lines = job_table(jobs, OFF)
    assert lines[0].split()[:2] == ["PROVIDER", "JOB"]
    start = display_width(lines[0][: lines[0].index("EDITION")])
    for line in lines[1:]:
        index = line.index("BASIC")
        assert display_width(line[:index]) == start
    assert "training" in lines[1] and "2024-05-01 09:30" in lines[1]
    assert all(not line.endswith(" ") for line in lines)


def test_table_cuts_long_names_with_an_ellipsis() -> None:
    lines = job_table([job(1, voice_name="a very long voice name that goes on and on")], OFF)
    assert ("a very long voice name" + ELLIPSIS)[:24] in lines[1]
    assert "goes on" not in lines[1]


def test_table_shows_status_in_words() -> None:
    lines = job_table([job(1, status=JobStatus.ACTION_REQUIRED, raw_status="AUDIT_FAILED")], OFF)
    assert "action required" in lines[1] and "AUDIT_FAILED" in lines[1]


def test_colour_only_on_a_terminal_and_never_with_no_color() -> None:
    assert supports_colour(TTY(), {}) is True
    assert supports_colour(TTY(), {"NO_COLOR": ""}) is False
    assert supports_colour(TTY(), {"NO_COLOR": "1"}) is False
    assert supports_colour(TTY(), {"TERM": "dumb"}) is False
    assert supports_colour(io.StringIO(), {}) is False


def test_colour_does_not_move_columns() -> None:
    jobs = [job(1, status="succeeded", raw_status="SUCCEED"), job(2)]
    plain = job_table(jobs, OFF)
    coloured = job_table(jobs, Palette(True))
    assert "\033[32m" in coloured[1]
    strip = [line.replace("\033[0m", "").replace("\033[1m", "") for line in coloured]
    strip = [s.replace("\033[32m", "").replace("\033[36m", "") for s in strip]
    assert strip == plain


def test_no_escape_codes_without_colour() -> None:
    assert "\033" not in "".join(job_table([job(1, status="failed", raw_status="FAILED")], OFF))


@given(st.text(max_size=40), st.integers(min_value=1, max_value=30))
def test_truncate_fits_and_keeps_a_prefix(text: str, width: int) -> None:
    cut = truncate(text, width)
    assert display_width(cut) <= max(width, display_width(text) if cut == text else width)
    if cut != text:
        assert cut.endswith(ELLIPSIS)
        assert text.startswith(cut[:-1])
        assert display_width(cut) <= width


def test_render_table_pads_by_display_width() -> None:
    lines = render_table([Column("A"), Column("B", right=True)], [["中文", "1"], ["x", "22"]])
    assert lines == ["A      B", "中文   1", "x     22"]


def test_short_time_is_utc_minutes() -> None:
    eastern = T0.astimezone(timezone(timedelta(hours=8)))
    assert short_time(eastern) == "2024-05-01 08:30"
    assert short_time(None) == "-"
    assert status_words(JobStatus.RESULT_REVIEW) == "result review"


def test_one_job_as_table_lists_fields_and_failure() -> None:
    out = io.StringIO()
    failed = job(1, status="failed", raw_status="FAILED", failure=Failure("MSS.1", "no data"))
    write_job(failed, "table", out, OFF)
    text = out.getvalue()
    assert "failed (FAILED)" in text and "MSS.1: no data" in text
    assert "2024-05-01 09:30 UTC" in text


def test_one_job_as_json_is_an_object() -> None:
    out = io.StringIO()
    write_job(job(1), "json", out, OFF)
    assert json.loads(out.getvalue())["job_id"] == "job-1"


def test_upload_urls_are_printed_only_on_request() -> None:
    secret = "https://bucket.example/x?Signature=abc123"
    created = CreatedJob(job(1), (UploadTarget(url=secret, purpose="training_data"),))
    for fmt in ("table", "json"):
        hidden, shown = io.StringIO(), io.StringIO()
        write_created(created, fmt, hidden, OFF, show_urls=False)
        write_created(created, fmt, shown, OFF, show_urls=True)
        assert "Signature=abc123" not in hidden.getvalue()
        assert "training_data" in hidden.getvalue()
        assert "Signature=abc123" in shown.getvalue()


def test_errors_are_one_line_or_one_json_object() -> None:
    error = NotFoundError(
        "job x\nnot found", provider="alibaba-ice", status_code=404, code="NotFound",
        request_id="r-1",
    )  # fmt: skip
    err = io.StringIO()
    write_error(error, err, as_json=False)
    assert err.getvalue().count("\n") == 1
    assert err.getvalue().startswith("error: job x not found")
    err = io.StringIO()
    write_error(error, err, as_json=True)
    assert json.loads(err.getvalue()) == error_object(error)
    body = error_object(error)["error"]
    assert body == {
        "type": "NotFoundError",
        "message": "job x\nnot found",
        "provider": "alibaba-ice",
        "status_code": 404,
        "code": "NotFound",
        "request_id": "r-1",
    }


@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "csv"])
def test_every_format_streams_from_an_iterator(fmt: str) -> None:
    assert "job-3" in render([job(1), job(2), job(3)], fmt)
