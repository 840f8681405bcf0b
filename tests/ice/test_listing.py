"""Listing: partitions per edition, exact page windows, and the merge across editions."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voiceclone import JobQuery, JobStatus, ValidationError
from voiceclone.adapter import ListRequest, NumberedWindow, OffsetWindow


def _records(make_record: Any) -> list[dict[str, Any]]:
    basic = [make_record(f"b{i}", "Basic", 2 * i) for i in range(7)]
    standard = [make_record(f"s{i}", "Standard", 2 * i + 1) for i in range(5)]
    cosy = [make_record(f"c{i}", "CosyVoice", 30 + i) for i in range(2)]
    return basic + standard + cosy


def _list_all(provider: Any, run: Any, fake: Any, query: JobQuery, size: int) -> list[Any]:
    """What the shared client does: every page of every partition, merged newest first."""
    jobs = []
    for partition in provider.list_partitions(query):
        number = 1
        while True:
            window = NumberedWindow(number, size)
            page = run(provider.list_jobs(ListRequest(query, window, partition)), fake)
            jobs.extend(page.items)
            if number * size >= page.total:
                break
            number += 1
    return sorted(jobs, key=lambda job: (job.created_at, job.job_id), reverse=True)


def test_partitions_are_every_edition_or_the_one_asked_for(provider: Any) -> None:
    assert provider.list_partitions(JobQuery()) == ("Basic", "Standard", "CosyVoice")
    assert provider.list_partitions(JobQuery(edition="standard")) == ("Standard",)
    with pytest.raises(ValidationError) as caught:
        provider.list_partitions(JobQuery(edition="Premium"))
    assert caught.value.field == "edition"


def test_no_edition_filter_lists_the_jobs_of_every_edition(
    provider: Any, run: Any, make_listing: Any, make_record: Any
) -> None:
    records = _records(make_record)
    fake = make_listing(records)
    jobs = _list_all(provider, run, fake, JobQuery(), size=3)
    assert sorted(job.job_id for job in jobs) == sorted(r["JobId"] for r in records)
    assert {job.edition for job in jobs} == {"Basic", "Standard", "CosyVoice"}
    assert all(params["Type"] in {"Basic", "Standard", "CosyVoice"} for params in fake.seen)
    created = [job.created_at for job in jobs]
    assert created == sorted(created, reverse=True)


def test_an_edition_filter_is_pushed_down_as_type(
    provider: Any, run: Any, make_listing: Any, make_record: Any
) -> None:
    fake = make_listing(_records(make_record))
    query = JobQuery(edition="Standard", statuses={JobStatus.SUCCEEDED})
    jobs = _list_all(provider, run, fake, query, size=100)
    assert {params["Type"] for params in fake.seen} == {"Standard"}
    assert len(jobs) == 5 and {job.edition for job in jobs} == {"Standard"}
    assert "Status" not in fake.seen[0]  # other filters are the client's to apply


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=40)
@given(
    number=st.integers(1, 6),
    size=st.integers(1, 8),
    partition=st.sampled_from(["Basic", "Standard"]),
)
def test_page_windows_are_exact(
    provider: Any,
    run: Any,
    make_listing: Any,
    make_record: Any,
    number: int,
    size: int,
    partition: str,
) -> None:
    records = _records(make_record)
    fake = make_listing(records)
    expected = [r["JobId"] for r in fake.records if r["Type"] == partition]
    request = ListRequest(JobQuery(), NumberedWindow(number, size), partition)
    page = run(provider.list_jobs(request), fake)
    assert fake.seen[-1]["PageNo"] == str(number) and fake.seen[-1]["PageSize"] == str(size)
    assert page.offset == (number - 1) * size and page.limit == size
    assert page.total == len(expected)
    assert [job.job_id for job in page.items] == expected[page.offset : page.offset + size]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=40)
@given(offset=st.integers(0, 16), limit=st.integers(1, 16), size=st.integers(1, 6))
def test_windows_across_the_merge_are_exact(
    provider: Any, run: Any, make_listing: Any, make_record: Any, offset: int, limit: int, size: int
) -> None:
    records = _records(make_record)
    fake = make_listing(records)
    merged = _list_all(provider, run, fake, JobQuery(), size=size)
    everything = sorted(records, key=lambda r: (r["CreateTime"], r["JobId"]), reverse=True)
    window = [job.job_id for job in merged][offset : offset + limit]
    assert window == [r["JobId"] for r in everything][offset : offset + limit]
    assert len(merged) == len({job.job_id for job in merged}) == len(records)


@pytest.mark.parametrize("behaviour", ["reject", "ignore"])
def test_an_undocumented_cosyvoice_type_never_breaks_or_duplicates_the_listing(
    provider: Any, run: Any, make_listing: Any, make_record: Any, behaviour: str
) -> None:
    records = [r for r in _records(make_record) if r["Type"] != "CosyVoice"]
    fake = make_listing(records, cosy=behaviour)
    jobs = _list_all(provider, run, fake, JobQuery(), size=4)
    assert sorted(job.job_id for job in jobs) == sorted(r["JobId"] for r in records)


def test_asking_for_cosyvoice_explicitly_surfaces_a_rejection(
    provider: Any, run: Any, make_listing: Any, make_record: Any
) -> None:
    from voiceclone import ProviderError

    fake = make_listing(_records(make_record), cosy="reject")
    query = JobQuery(edition="CosyVoice")
    with pytest.raises(ProviderError) as caught:
        run(provider.list_jobs(ListRequest(query, NumberedWindow(1, 10), "CosyVoice")), fake)
    assert caught.value.code == "InvalidParameter"


def test_bad_windows_fail_before_any_request(provider: Any) -> None:
    with pytest.raises(ValidationError):
        provider.list_jobs(ListRequest(JobQuery(), OffsetWindow(0, 10)))
    with pytest.raises(ValidationError) as caught:
        provider.list_jobs(ListRequest(JobQuery(), NumberedWindow(1, 101), "Basic"))
    assert caught.value.field == "page_size"
    with pytest.raises(ValidationError):
        provider.list_jobs(ListRequest(JobQuery(), NumberedWindow(0, 10), "Basic"))


def test_a_page_with_a_wrong_total_or_list_is_a_provider_response_error(
    provider: Any, run: Any, ok: Any
) -> None:
    from voiceclone import ProviderResponseError

    call = provider.list_jobs(ListRequest(JobQuery(), NumberedWindow(1, 10), "Basic"))
    for data in (
        {"CustomizedVoiceJobList": [], "TotalCount": "3"},
        {"CustomizedVoiceJobList": {}, "TotalCount": 3},
        {"CustomizedVoiceJobList": [{"JobId": 1}], "TotalCount": 1},
    ):
        with pytest.raises(ProviderResponseError):
            run(call, lambda request, data=data: ok(data))
