"""Input rules of the MetaStudio adapter that close validation gaps: each bad value is a
``ValidationError`` naming the field, raised before a request exists."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from voiceclone import JobQuery, ValidationError
from voiceclone.adapter import ListRequest, OffsetWindow
from voiceclone_metastudio import CAPABILITIES, PROVIDER

BASE = {"ak": "AKRULES", "sk": "SKRULES", "project_id": "p1"}

BAD_ENDPOINTS = [
    "not a url",
    "https://not a url",
    "https://meta\tstudio.example",
    "https://metastudio.example/a\nb",
    "https://user:secret@metastudio.example",
    "https://metastudio.example/?x=1",
    "https://metastudio.example/#top",
    "https://-metastudio.example",
    "https://metastudio..example",
    "https://:8080",
    "https://metastudio.example:0",
    "https://metastudio.example:99999",
    "ftp://metastudio.example",
]


@pytest.mark.parametrize("endpoint", BAD_ENDPOINTS)
def test_an_endpoint_must_be_an_http_url_with_a_valid_host(endpoint: str) -> None:
    with pytest.raises(ValidationError) as caught:
        PROVIDER.create(**BASE, endpoint=endpoint, env={})
    assert caught.value.field == "endpoint"
    assert "secret" not in str(caught.value)


@pytest.mark.parametrize(
    ("endpoint", "base"),
    [
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080/v1/"),
        ("http://[::1]:8080", "http://[::1]:8080/v1/"),
        ("http://localhost:9/proxy/", "http://localhost:9/proxy/v1/"),
        ("metastudio.example", "https://metastudio.example/v1/"),
        ("https://vpc_endpoint.internal.example", "https://vpc_endpoint.internal.example/v1/"),
    ],
)
def test_good_endpoints_are_kept(endpoint: str, base: str) -> None:
    provider: Any = PROVIDER.create(**BASE, endpoint=endpoint, env={})
    assert str(provider.get_job("j").request.url).startswith(base)


def test_the_sdk_region_variable_is_checked_like_the_setting() -> None:
    env = {"HUAWEICLOUD_SDK_REGION_METASTUDIO_CN_NORTH_4": "https://bad host.example"}
    with pytest.raises(ValidationError) as caught:
        PROVIDER.create(**BASE, env=env)
    assert caught.value.field == "endpoint"


def _provider() -> Any:
    return PROVIDER.create(**BASE, env={})


@pytest.mark.parametrize("edition", ["bogus", "Premium", "BASIC2", "basic "])
def test_an_unknown_edition_filter_is_refused_naming_the_editions(edition: str) -> None:
    request = ListRequest(JobQuery(edition=edition), OffsetWindow(0, 10))
    with pytest.raises(ValidationError) as caught:
        _provider().list_jobs(request)
    assert caught.value.field == "edition"
    assert all(name in caught.value.rule for name in CAPABILITIES.editions)


@pytest.mark.parametrize(
    ("edition", "job_type"),
    [("basic", "BASIC"), ("Third_Party", "THIRD_PARTY"), ("FLEXUS", "FLEXUS")],
)
def test_a_known_edition_filter_is_sent_as_its_job_type(edition: str, job_type: str) -> None:
    request = ListRequest(JobQuery(edition=edition), OffsetWindow(0, 10))
    url = _provider().list_jobs(request).request.url
    assert url.params["job_type"] == job_type


@pytest.mark.parametrize("offset", [2**31, 10**30])
def test_offsets_are_bounded_to_int32(offset: int) -> None:
    with pytest.raises(ValidationError) as caught:
        _provider().list_jobs(ListRequest(JobQuery(), OffsetWindow(offset, 10)))
    assert caught.value.field == "offset"
    with pytest.raises(ValidationError) as caught:
        _provider().list_voice_training_job(offset=offset)
    assert caught.value.field == "offset"


def test_the_largest_offset_is_sent() -> None:
    request = ListRequest(JobQuery(), OffsetWindow(2**31 - 1, 10))
    assert _provider().list_jobs(request).request.url.params["offset"] == str(2**31 - 1)


BAD_IDS = ["job\n1", "job\x001", "job\t1", "job\x7f", "job\u00851", " job1", "job1 ", "job1\n"]


@pytest.mark.parametrize("job_id", BAD_IDS)
@pytest.mark.parametrize(
    "call",
    [
        lambda p, i: p.get_job(i),
        lambda p, i: p.show_voice_training_job(i),
        lambda p, i: p.delete_voice_training_job(i),
        lambda p, i: p.commit_voice_training_job(i),
        lambda p, i: p.show_job_audit_result(i),
        lambda p, i: p.list_job_operation_log(i),
    ],
)
def test_job_ids_with_control_characters_or_edge_spaces_are_refused(call: Any, job_id: str) -> None:
    with pytest.raises(ValidationError) as caught:
        call(_provider(), job_id)
    assert caught.value.field == "job_id"


def test_batch_job_ids_are_checked_each() -> None:
    with pytest.raises(ValidationError) as caught:
        _provider().set_job_batch_name("batch", ["j1", "j\n2"])
    assert caught.value.field == "job_ids"


@pytest.mark.parametrize("job_id", ["j1", "a-b_c.d", "job 1", "作业1"])
def test_other_ids_are_sent_encoded(job_id: str) -> None:
    url = _provider().get_job(job_id).request.url
    assert url.path.endswith("/user/jobs/" + job_id)


@pytest.mark.parametrize(
    ("numbers", "field"),
    [
        ({"start_number": 0}, "start_number"),
        ({"start_number": 0, "end_number": 3}, "start_number"),
        ({"end_number": 0}, "end_number"),
        ({"start_number": -1}, "start_number"),
    ],
)
def test_review_attachment_numbers_count_from_one(numbers: dict[str, int], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        _provider().show_user_review_attachment_uploading_address("j1", **numbers)
    assert caught.value.field == field


def test_review_attachment_numbers_agree_with_the_emulator() -> None:
    """What the adapter lets through the emulator serves, numbered from the start given."""
    from voiceclone_metastudio._emulator import MetaStudioEmulator

    emulator = MetaStudioEmulator(seed=3, jobs=2)
    provider: Any = PROVIDER.create(**emulator.client_settings("http://ms.test"), env={})
    http = httpx.Client(transport=httpx.MockTransport(emulator.handle))
    job_id = sorted(emulator.job_ids())[0]
    for start, end in ((1, 1), (1, 5), (3, 7)):
        call = provider.show_user_review_attachment_uploading_address(
            job_id, start_number=start, end_number=end
        )
        reply = call.parse(http.send(call.request, auth=provider.auth))
        assert [address.number for address in reply.addresses] == list(range(start, end + 1))
    zero = httpx.Request("GET", str(call.request.url).replace("start_number=3", "start_number=0"))
    assert zero.url.params["start_number"] == "0"
    assert http.send(zero, auth=provider.auth).status_code == 400  # the service refuses 0 too
