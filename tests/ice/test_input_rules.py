"""Input rules of the ICE adapter that close validation gaps: each bad value is a
``ValidationError`` naming the field, raised before a request exists."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

import voiceclone
from voiceclone import JobQuery, ValidationError
from voiceclone.adapter import ListRequest, NumberedWindow
from voiceclone_ice import PROVIDER
from voiceclone_ice._requests import MAX_PAGE_NO

KEYS = {"access_key_id": "AKRULES", "access_key_secret": "SKRULES"}

BAD_ENDPOINTS = [
    "not a url",
    "https://not a url",
    "https://ice\tcn.example",
    "https://ice.example/\n",
    "https://user:secret@ice.example",
    "https://ice.example/?x=1",
    "https://ice.example/#top",
    "https://-ice.example",
    "https://ice..example",
    "https://:8080",
    "https://ice.example:0",
    "https://ice.example:99999",
    "ftp://ice.example",
]


@pytest.mark.parametrize("endpoint", BAD_ENDPOINTS)
def test_an_endpoint_must_be_an_http_url_with_a_valid_host(endpoint: str) -> None:
    with pytest.raises(ValidationError) as caught:
        PROVIDER.create(**KEYS, endpoint=endpoint, env={})
    assert caught.value.field == "endpoint"
    assert "secret" not in str(caught.value)


def test_the_endpoint_variable_is_checked_like_the_setting() -> None:
    env = {"VOICECLONE_ALIBABA_ENDPOINT": "http://emu host:9"}
    with pytest.raises(ValidationError) as caught:
        PROVIDER.create(**KEYS, env=env)
    assert caught.value.field == "endpoint"


@pytest.mark.parametrize(
    ("endpoint", "base"),
    [
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080/?"),
        ("http://[::1]:8080", "http://[::1]:8080/?"),
        ("http://emu:9/proxy/", "http://emu:9/proxy/?"),
        ("https://ice.cn-shanghai.aliyuncs.com", "https://ice.cn-shanghai.aliyuncs.com/?"),
    ],
)
def test_good_endpoints_are_kept(endpoint: str, base: str) -> None:
    provider: Any = PROVIDER.create(**KEYS, endpoint=endpoint, env={})
    assert str(provider.get_job("j").request.url).startswith(base)


def _provider() -> Any:
    return PROVIDER.create(**KEYS, env={})


@pytest.mark.parametrize("edition", ["bogus", "BASIC2", "Premium"])
def test_an_unknown_edition_filter_is_refused_naming_the_partitions(edition: str) -> None:
    request = ListRequest(JobQuery(edition=edition), NumberedWindow(1, 10))
    with pytest.raises(ValidationError) as caught:
        _provider().list_jobs(request)
    assert caught.value.field == "edition"
    assert all(name in caught.value.rule for name in ("Basic", "Standard", "CosyVoice"))


@pytest.mark.parametrize(("edition", "type_"), [("BASIC", "Basic"), ("cosyvoice", "CosyVoice")])
def test_an_edition_filter_is_matched_without_case(edition: str, type_: str) -> None:
    assert _provider().list_partitions(JobQuery(edition=edition)) == (type_,)


def _client(seen: list[httpx.Request]) -> voiceclone.Client:
    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(599)

    http = httpx.Client(transport=httpx.MockTransport(record))
    return voiceclone.Client("alibaba-ice", http_client=http, env={}, **KEYS)


@pytest.mark.parametrize("edition", ["Basic", "CosyVoice"])
@pytest.mark.parametrize(("offset", "limit"), [(10**30, 10), (MAX_PAGE_NO * 100, 100)])
def test_an_offset_past_the_last_page_number_is_refused(
    edition: str, offset: int, limit: int
) -> None:
    """One partition (an edition filter): the page is planned straight onto PageNo."""
    seen: list[httpx.Request] = []
    with _client(seen) as client, pytest.raises(ValidationError) as caught:
        client.get_page(offset=offset, limit=limit, edition=edition)
    assert caught.value.field == "offset"
    assert str(MAX_PAGE_NO) in caught.value.rule
    assert seen == []


def test_the_last_page_number_is_sent() -> None:
    request = ListRequest(JobQuery(edition="Basic"), NumberedWindow(MAX_PAGE_NO, 10))
    assert _provider().list_jobs(request).request.url.params["PageNo"] == str(MAX_PAGE_NO)


@pytest.mark.parametrize("call", ["list_customized_voice_jobs", "list_customized_voices"])
@pytest.mark.parametrize("page_no", [MAX_PAGE_NO + 1, 10**30])
def test_vendor_list_calls_bound_page_no(call: str, page_no: int) -> None:
    with pytest.raises(ValidationError) as caught:
        getattr(_provider(), call)(page_no, 10)
    assert caught.value.field == "page_no"
    assert str(MAX_PAGE_NO) in caught.value.rule
