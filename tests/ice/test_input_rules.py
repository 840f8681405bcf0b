"""Input rules of the ICE adapter that close validation gaps: each bad value is a
``ValidationError`` naming the field, raised before a request exists."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

import voiceclone
from voiceclone import JobQuery, JobStatus, NotFoundError, ValidationError
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


def _emulated() -> tuple[Any, Any]:
    """A provider and a runner against the ICE emulator (in process)."""
    from voiceclone_ice._emulator import IceEmulator

    emulator = IceEmulator(seed=5, jobs=30)
    provider: Any = PROVIDER.create(**emulator.client_settings("http://ice.test"), env={})
    http = httpx.Client(transport=httpx.MockTransport(emulator.handle))

    def run(operation: Any) -> Any:
        def send(call: Any) -> Any:
            return call.parse(http.send(call.request, auth=provider.auth))

        if not hasattr(operation, "send"):
            return send(operation)
        try:
            call = next(operation)
            while True:
                call = operation.send(send(call))
        except StopIteration as stop:
            return stop.value

    return provider, run


@pytest.mark.parametrize("edition", ["Standard", "CosyVoice"])
def test_voices_the_service_assigns_can_be_read_updated_and_found(edition: str) -> None:
    provider, run = _emulated()
    page = run(provider.list_jobs(ListRequest(JobQuery(edition=edition), NumberedWindow(1, 100))))
    assigned = [job for job in page.items if job.voice_id and job.status is JobStatus.SUCCEEDED]
    assert assigned
    for job in assigned:
        voice = run(provider.get_customized_voice(job.voice_id))
        assert voice.voice_id == job.voice_id
        run(provider.update_customized_voice(job.voice_id, "media-1"))
        assert run(provider.get_customized_voice(job.voice_id)).demo_audio_media_id == "media-1"
        found = run(provider.find_job_by_voice_id(job.voice_id, edition))
        assert found is not None and found.job_id == job.job_id


def test_a_new_cosyvoice_voice_id_is_sent() -> None:
    provider, run = _emulated()
    created = run(provider.submit_cosy_voice_customized_voice_job("m1", model="cosyvoice-v3-plus"))
    assert created.voice_id.startswith("cosyvoice-v3-plus-")
    with pytest.raises(NotFoundError):  # sent: no voice until training succeeds
        run(provider.get_customized_voice(created.voice_id))


@pytest.mark.parametrize(
    "voice_id", ["", "   ", "voice 1", "voice\n1", "voice\x001", "\u200bvoice", "v" * 257, 5]
)
@pytest.mark.parametrize("call", ["get_customized_voice", "update_customized_voice"])
def test_existing_voice_ids_still_refuse_what_no_service_assigns(call: str, voice_id: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        getattr(_provider(), call)(voice_id)
    assert caught.value.field == "voice_id"


@pytest.mark.parametrize("voice_id", ["cosyvoice-v3-plus-1a2b3c4d", "no_such", "x" * 33])
def test_basic_voice_ids_keep_the_create_rule(voice_id: str) -> None:
    provider = _provider()
    for build in (
        lambda: provider.find_job_by_voice_id(voice_id),
        lambda: provider.create_customized_voice_job(voice_id, "female"),
        lambda: provider.submit_customized_voice_job(voice_id),
        lambda: provider.detect_audio_for_customized_voice_job(voice_id, 1, "https://o/a.wav"),
    ):
        with pytest.raises(ValidationError) as caught:
            build()
        assert caught.value.field == "voice_id"


BAD_JOB_IDS = ["job\n1", "job\x001", "job\t1", "job\x7f", " job1", "job1 ", "job1\r\n"]


@pytest.mark.parametrize("job_id", BAD_JOB_IDS)
@pytest.mark.parametrize(
    "call",
    [
        lambda p, i: p.get_job(i),
        lambda p, i: p.get_customized_voice_job(i),
        lambda p, i: p.delete_customized_voice_job(i),
        lambda p, i: next(p.delete_job(i)),
        lambda p, i: next(p.submit_job(i)),
    ],
)
def test_job_ids_with_control_characters_or_edge_spaces_are_refused(call: Any, job_id: str) -> None:
    with pytest.raises(ValidationError) as caught:
        call(_provider(), job_id)
    assert caught.value.field == "job_id"


def test_an_ordinary_job_id_is_sent() -> None:
    job_id = "2245ab99a7fd4116a4fd3f499b7a56c5"
    assert _provider().get_job(job_id).request.url.params["JobId"] == job_id
