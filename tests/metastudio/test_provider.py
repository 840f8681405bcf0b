"""The neutral provider: settings, auth, listing, create/submit/delete, and error mapping."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

import voiceclone_metastudio
from voiceclone import (
    AuthenticationError,
    Gender,
    JobQuery,
    JobStatus,
    NewJob,
    NotFoundError,
    PermissionDeniedError,
    ProviderError,
    ProviderResponseError,
    RateLimitError,
    ServiceUnavailableError,
    SortOrder,
    ValidationError,
)
from voiceclone.adapter import ListRequest, NumberedWindow, OffsetWindow, Provider
from voiceclone_metastudio import PROVIDER, AkSkAuth, MetaStudioProvider, TokenAuth
from voiceclone_metastudio._api import CREATE_PATHS

UTC = timezone.utc
AK = "HPUAEXAMPLEAK0000001"
SK = "exampleSecretKey0123456789abcdefghijklmn"
PROJECT = "0123456789abcdef0123456789abcdef"


def _respond(call: Any, status: int, body: Any = None, **headers: str) -> Any:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    response = httpx.Response(status, content=content, headers=headers, request=call.request)
    return call.parse(response)


# ---------------------------------------------------------------------------- spec and settings


def test_spec() -> None:
    assert PROVIDER.id == "huawei-metastudio"
    assert PROVIDER.aliases == ("huawei", "metastudio")
    caps = PROVIDER.capabilities
    assert caps.paging.max_limit == 100  # type: ignore[union-attr]
    assert caps.pushed_down_filters == frozenset(JobQuery.FILTERS)
    assert caps.orders == (SortOrder.NEWEST_FIRST, SortOrder.OLDEST_FIRST)
    # every JobType a job may report; the first four are the ones with a create operation
    assert caps.editions == (
        "BASIC",
        "MIDDLE",
        "ADVANCE",
        "THIRD_PARTY",
        "THIRD_PARTY_LJZN",
        "FLEXUS",
    )
    assert set(CREATE_PATHS) == {"BASIC", "MIDDLE", "ADVANCE", "THIRD_PARTY"}
    assert caps.segment_upload is True
    expected = {"region", "endpoint", "ak", "sk", "project_id", "auth_token", "app_user_id", "env"}
    assert expected <= set(PROVIDER.settings)


def test_public_surface_resolves() -> None:
    for name in voiceclone_metastudio.__all__:
        assert getattr(voiceclone_metastudio, name) is not None, name
    with pytest.raises(AttributeError):
        voiceclone_metastudio.no_such_name  # noqa: B018


def test_provider_implements_the_protocol(provider: MetaStudioProvider) -> None:
    assert isinstance(provider, Provider)
    assert provider.id == "huawei-metastudio"
    assert provider.list_partitions(JobQuery()) == (None,)
    assert provider.error_table["APIGW.0308"] is RateLimitError


def test_credentials_from_the_environment() -> None:
    env = {"CLOUD_SDK_AK": AK, "CLOUD_SDK_SK": SK, "HUAWEICLOUD_SDK_PROJECT_ID": PROJECT}
    provider = PROVIDER.create(env=env, region="cn-east-3")
    assert isinstance(provider.auth, AkSkAuth)
    assert provider.get_job("j").request.url.host == "metastudio.cn-east-3.myhuaweicloud.com"
    env["HUAWEICLOUD_SDK_AK"] = "OTHER"
    assert PROVIDER.create(env=env).settings.ak == "OTHER"  # type: ignore[attr-defined]


def test_endpoint_override_and_sdk_region_variable() -> None:
    base = {"ak": AK, "sk": SK, "project_id": PROJECT}
    provider = PROVIDER.create(**base, endpoint="http://127.0.0.1:8080/", env={})
    assert str(provider.get_job("j").request.url).startswith("http://127.0.0.1:8080/v1/")
    env = {"HUAWEICLOUD_SDK_REGION_METASTUDIO_CN_NORTH_4": "https://a.example, https://b.example"}
    assert PROVIDER.create(**base, env=env).get_job("j").request.url.host == "a.example"
    bare = PROVIDER.create(**base, endpoint="metastudio.example", env={})
    assert str(bare.get_job("j").request.url).startswith("https://metastudio.example/v1/")


@pytest.mark.parametrize(
    ("settings", "field"),
    [
        ({"project_id": PROJECT}, "ak"),
        ({"ak": AK, "project_id": PROJECT}, "sk"),
        ({"ak": AK, "sk": SK}, "project_id"),
        ({"ak": AK, "sk": SK, "project_id": PROJECT, "region": "eu-west-0"}, "region"),
        ({"ak": AK, "sk": SK, "project_id": PROJECT, "endpoint": "ftp://x"}, "endpoint"),
        ({"ak": AK, "sk": SK, "project_id": PROJECT, "app_user_id": "用户"}, "app_user_id"),
        ({"ak": AK, "sk": SK, "project_id": PROJECT, "ak_id": "x", "zone": 1}, "ak_id, zone"),
        ({"ak": 5, "sk": SK, "project_id": PROJECT}, "ak"),
        ({"ak": " ", "sk": SK, "project_id": PROJECT}, "ak"),
    ],
)
def test_bad_settings_are_validation_errors(settings: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        PROVIDER.create(env={}, **settings)
    assert info.value.field == field
    assert SK not in str(info.value)


def test_token_auth(make_provider: Callable[..., MetaStudioProvider]) -> None:
    provider = make_provider(ak=None, sk=None, auth_token="secret-iam-token")
    assert isinstance(provider.auth, TokenAuth)
    request = provider.get_job("j").request
    flow = provider.auth.auth_flow(request)
    sent = next(flow)
    assert sent.headers["X-Auth-Token"] == "secret-iam-token"
    assert "Authorization" not in sent.headers and "X-Sdk-Date" not in sent.headers
    assert "secret-iam-token" not in repr(provider.auth) + repr(provider)


# ---------------------------------------------------------------------------- signing behaviour


class _Clock:
    def __init__(self) -> None:
        self.value = 1704164645.0

    def now(self) -> float:
        return self.value


def test_every_attempt_is_signed_afresh(provider: MetaStudioProvider) -> None:
    clock = _Clock()
    auth = AkSkAuth(AK, SK, PROJECT, clock=clock)
    request = provider.get_job("j").request
    auth.sign_request(request)
    first = (request.headers["X-Sdk-Date"], request.headers["Authorization"])
    clock.value += 61
    auth.sign_request(request)
    second = (request.headers["X-Sdk-Date"], request.headers["Authorization"])
    assert first[0] == "20240102T030405Z" and second[0] == "20240102T030506Z"
    assert first[1] != second[1]
    assert request.headers.get_list("Authorization") == [second[1]]


def test_signature_covers_app_user_and_project(make_provider: Callable[..., Any]) -> None:
    request = make_provider(app_user_id="app-user-01").get_job("j").request
    parts = AkSkAuth(AK, SK, PROJECT, clock=_Clock()).sign_request(request)
    assert parts.signed_headers == (
        "content-type;host;user-agent;x-app-userid;x-project-id;x-sdk-date"
    )
    assert request.headers["X-Project-Id"] == PROJECT


def test_transport_headers_are_not_signed(provider: MetaStudioProvider) -> None:
    call = provider.create_job(NewJob(voice_name="v"))
    parts = AkSkAuth(AK, SK, PROJECT, clock=_Clock()).sign_request(call.request)
    assert "content-length" in call.request.headers
    assert "content-length" not in parts.signed_headers.split(";")


def test_secrets_never_in_repr(provider: MetaStudioProvider) -> None:
    auth = AkSkAuth(AK, SK, PROJECT, security_token="TOKEN-X")
    request = provider.get_job("j").request
    parts = auth.sign_request(request)
    text = repr(auth) + repr(provider) + repr(provider.settings) + repr(parts)
    for secret in (AK, SK, "TOKEN-X", parts.signature):
        assert secret not in text


# ---------------------------------------------------------------------------- listing


def _listing(provider: MetaStudioProvider, query: JobQuery, **kwargs: Any) -> httpx.Request:
    return provider.list_jobs(ListRequest(query, OffsetWindow(40, 20), **kwargs)).request


def test_list_pushes_down_every_filter(provider: MetaStudioProvider) -> None:
    query = JobQuery(
        statuses={JobStatus.TRAINING, JobStatus.QUEUED},
        edition="middle",
        voice_name="Gentle voice",
        created_since=datetime(2024, 1, 1, 0, 0, 0, 500, tzinfo=UTC),
        created_until=datetime(2024, 2, 1, 8, 0, 0, 1, tzinfo=timezone(timedelta(hours=8))),
        updated_since=datetime(2024, 1, 5, tzinfo=UTC),
        updated_until=datetime(2024, 1, 6, tzinfo=UTC),
    )
    params = dict(_listing(provider, query, order=SortOrder.OLDEST_FIRST).url.params)
    assert params == {
        "offset": "40",
        "limit": "20",
        "sort_key": "create_time",
        "sort_dir": "asc",
        "state": "PROCESSING,UPLOADING,WAITING",
        "job_type": "MIDDLE",
        "voice_name": "Gentle voice",
        "create_since": "2024-01-01T00:00:00Z",
        "create_until": "2024-02-01T00:00:01Z",
        "update_since": "2024-01-05T00:00:00Z",
        "update_until": "2024-01-06T00:00:00Z",
    }


def test_list_defaults_and_unknown_status(provider: MetaStudioProvider) -> None:
    params = dict(_listing(provider, JobQuery(statuses={JobStatus.UNKNOWN})).url.params)
    assert params == {"offset": "40", "limit": "20", "sort_key": "create_time", "sort_dir": "desc"}


def test_list_rejects_other_windows(provider: MetaStudioProvider) -> None:
    with pytest.raises(ValidationError):
        provider.list_jobs(ListRequest(JobQuery(), NumberedWindow(1, 10)))
    with pytest.raises(ValidationError):
        provider.list_jobs(ListRequest(JobQuery(), OffsetWindow(0, 101)))


def test_list_page(provider: MetaStudioProvider) -> None:
    call = provider.list_jobs(ListRequest(JobQuery(), OffsetWindow(40, 2)))
    jobs = [{"job_id": "a", "state": "SUCCEED"}, {"job_id": "b", "state": "NEW"}]
    page = _respond(call, 200, {"count": 42, "jobs": jobs})
    assert (page.offset, page.limit, page.total) == (40, 2, 42)
    assert [job.status for job in page.items] == [JobStatus.SUCCEEDED, JobStatus.UNKNOWN]
    assert call.safe_to_repeat


@pytest.mark.parametrize(
    "body",
    [
        b"{",
        b"[]",
        {"count": 1},
        {"jobs": []},
        {"count": -1, "jobs": []},
        {"count": 1, "jobs": [{"job_id": "a"}]},
        {"count": 1, "jobs": ["a"]},
    ],
)
def test_list_malformed(provider: MetaStudioProvider, body: Any) -> None:
    call = provider.list_jobs(ListRequest(JobQuery(), OffsetWindow(0, 10)))
    with pytest.raises(ProviderResponseError) as info:
        _respond(call, 200, body, **{"X-Request-Id": "rid-9"})
    assert info.value.request_id == "rid-9"


def test_get_job(provider: MetaStudioProvider) -> None:
    call = provider.get_job("abc")
    job = _respond(call, 200, {"job_id": "abc", "state": "AUDIT_FAILED", "create_time": 1})
    assert job.status is JobStatus.ACTION_REQUIRED
    assert call.safe_to_repeat


# ---------------------------------------------------------------- create, submit, delete


@pytest.mark.parametrize(
    ("edition", "path"),
    [
        (None, "/user/basic-jobs"),
        ("basic", "/user/basic-jobs"),
        ("MIDDLE", "/user/middle-jobs"),
        ("Advance", "/user/advance-jobs"),
        ("third_party", "/user/third-party-jobs"),
    ],
)
def test_create_picks_the_edition(
    provider: MetaStudioProvider, edition: str | None, path: str
) -> None:
    call = provider.create_job(NewJob(voice_name="v", edition=edition))
    assert call.request.url.path.endswith(path)
    assert call.request.method == "POST"
    assert call.safe_to_repeat is False


def test_create_body_and_result(provider: MetaStudioProvider) -> None:
    new = NewJob(
        voice_name="温柔女声",
        gender="female",
        language="zh-CN",
        description="d",
        options={
            "create_type": "segment",
            "tag": "NEWS",
            "supported_service": ["CHAT_2D"],
            "is_ondemand_resource": True,
            "phone": "123",
        },
    )
    call = provider.create_job(new)
    assert json.loads(call.request.content) == {
        "voice_name": "温柔女声",
        "sex": "FEMALE",
        "language": "CN",
        "description": "d",
        "create_type": "SEGMENT",
        "tag": "NEWS",
        "supported_service": ["CHAT_2D"],
        "is_ondemand_resource": True,
        "phone": "123",
    }
    reply = {
        "job_id": "j-new",
        "segment_uploading_url": {"audio_uploading_url": ["a0", "a1"], "txt_uploading_url": ["t0"]},
        "authorization_letter_uploading_url": "https://b/letter",
    }
    created = _respond(call, 200, reply)
    job = created.job
    assert (job.job_id, job.status, job.raw_status) == ("j-new", JobStatus.CREATED, "CREATING")
    assert (job.voice_name, job.edition, job.gender, job.language) == (
        "温柔女声",
        "BASIC",
        Gender.FEMALE,
        "zh",
    )
    uploads = [(u.purpose, u.url, u.method, u.content_type, u.index) for u in created.uploads]
    assert uploads == [
        ("authorization_letter", "https://b/letter", "PUT", None, None),
        ("segment_audio", "a0", "PUT", "audio/wav", 0),
        ("segment_audio", "a1", "PUT", "audio/wav", 1),
        ("segment_text", "t0", "PUT", "text/plain", 0),
    ]


def test_create_package_defaults(provider: MetaStudioProvider) -> None:
    call = provider.create_job(NewJob(voice_name="v", language="en", gender="male"))
    body = json.loads(call.request.content)
    assert body == {"voice_name": "v", "sex": "MALE", "language": "EN", "create_type": "PACKAGE"}
    created = _respond(call, 200, {"job_id": "j", "training_data_uploading_url": "https://z"})
    assert [(u.purpose, u.content_type) for u in created.uploads] == [
        ("training_data", "application/zip")
    ]


@pytest.mark.parametrize(
    ("new", "field"),
    [
        (NewJob(voice_name="v", edition="FLEXUS"), "edition"),
        (NewJob(voice_name="v", language="ja"), "language"),
        (NewJob(voice_name="v", voice_id="mine"), "voice_id"),
        (NewJob(voice_name="v", options={"colour": "blue"}), "options.colour"),
        (NewJob(voice_name="v", options={"sex": "FEMALE"}), "options.sex"),
        (NewJob(voice_name="v", options={"create_type": "STREAM"}), "options.create_type"),
        (NewJob(voice_name="v", options={"tag": "SPORTS"}), "options.tag"),
        (
            NewJob(voice_name="v", options={"is_ondemand_resource": "yes"}),
            "options.is_ondemand_resource",
        ),
        (
            NewJob(voice_name="v", options={"supported_service": ["VR_3D"]}),
            "options.supported_service",
        ),
        (NewJob(voice_name="v", options={"phone": ""}), "options.phone"),
        (
            NewJob(voice_name="v", edition="ADVANCE", options={"create_type": "SEGMENT"}),
            "options.create_type",
        ),
    ],
)
def test_create_validation(provider: MetaStudioProvider, new: NewJob, field: str) -> None:
    with pytest.raises(ValidationError) as info:
        provider.create_job(new)
    assert info.value.field == field


def test_submit_and_delete(provider: MetaStudioProvider) -> None:
    submit = provider.submit_job("j1")
    assert (submit.request.method, submit.safe_to_repeat) == ("POST", False)
    assert submit.request.url.path.endswith("/user/jobs/j1")
    assert submit.request.content == b""
    assert _respond(submit, 200, b"") is None
    delete = provider.delete_job("j1")
    assert (delete.request.method, delete.safe_to_repeat) == ("DELETE", True)
    assert _respond(delete, 200, {}) is None
    with pytest.raises(NotFoundError):
        _respond(delete, 404, {"error_code": "MSS.00010004", "error_msg": "no such job"})


# ---------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("status", "body", "cls", "code"),
    [
        (
            400,
            {"error_code": "MSS.00000003", "error_msg": "Invalid parameter"},
            ProviderError,
            "MSS.00000003",
        ),
        (
            400,
            {"error_code": "MSS.00010008", "error_msg": "bad token"},
            AuthenticationError,
            "MSS.00010008",
        ),
        (
            400,
            {"error_code": "MSS.00010009", "error_msg": "x"},
            PermissionDeniedError,
            "MSS.00010009",
        ),
        (401, {"error_code": "APIGW.0301", "error_msg": "auth"}, AuthenticationError, "APIGW.0301"),
        (403, b"forbidden", PermissionDeniedError, None),
        (404, b"", NotFoundError, None),
        (400, {"error": {"code": "APIGW.0101", "message": "nested"}}, NotFoundError, "APIGW.0101"),
        (400, {"errorCode": "X.1", "errorMsg": "camel"}, ProviderError, "X.1"),
        (500, {"error_code": "MSS.1", "error_msg": "boom"}, ServiceUnavailableError, "MSS.1"),
        (502, b"<html>bad gateway</html>", ServiceUnavailableError, None),
        (400, b"<html>", ProviderResponseError, None),
        (429, {"error_code": "APIGW.0308", "error_msg": "slow down"}, RateLimitError, "APIGW.0308"),
        (418, {"error_code": "APIGW.0308", "error_msg": "slow down"}, RateLimitError, "APIGW.0308"),
    ],
)
def test_error_mapping(
    provider: MetaStudioProvider, status: int, body: Any, cls: type, code: str | None
) -> None:
    call = provider.get_job("j")
    with pytest.raises(cls) as info:
        _respond(call, status, body, **{"X-Request-Id": "req-7"})
    error = info.value
    assert type(error) is cls
    assert (error.provider, error.status_code, error.code, error.request_id) == (
        "huawei-metastudio",
        status,
        code,
        "req-7",
    )


def test_throttling_retry_after(provider: MetaStudioProvider) -> None:
    call = provider.get_job("j")
    body = {"error_code": "APIGW.0308", "error_msg": "slow down"}
    with pytest.raises(RateLimitError) as info:
        _respond(call, 429, body, **{"Retry-After": "2.5"})
    assert info.value.retry_after == 2.5
    assert info.value.retryable
    with pytest.raises(RateLimitError) as info:
        _respond(
            call,
            429,
            body,
            **{
                "Retry-After": "Tue, 02 Jan 2024 03:04:35 GMT",
                "Date": "Tue, 02 Jan 2024 03:04:05 GMT",
            },
        )
    assert info.value.retry_after == 30
    with pytest.raises(RateLimitError) as info:
        _respond(call, 429, body)
    assert info.value.retry_after is None


def test_request_id_from_body_when_no_header(provider: MetaStudioProvider) -> None:
    body = {"error_code": "MSS.00000003", "error_msg": "x", "request_id": "body-rid"}
    with pytest.raises(ProviderError) as info:
        _respond(provider.get_job("j"), 400, body)
    assert info.value.request_id == "body-rid"


def test_non_json_success_is_retryable_malformed(provider: MetaStudioProvider) -> None:
    with pytest.raises(ProviderResponseError) as info:
        _respond(provider.get_job("j"), 200, b'{"job_id": "j", "sta')
    assert info.value.retryable
    with pytest.raises(ProviderResponseError) as info:
        _respond(provider.get_job("j"), 200, {"job_id": 1, "state": "X"})
    assert not info.value.retryable


def test_redirects_are_malformed(provider: MetaStudioProvider) -> None:
    with pytest.raises(ProviderResponseError):
        _respond(provider.get_job("j"), 302, b"")


def test_importing_the_package_does_not_load_the_adapter() -> None:
    import subprocess
    import sys

    code = (
        "import sys, voiceclone_metastudio as m; "
        "assert m.PROVIDER.id == 'huawei-metastudio'; "
        "loaded = [n for n in ('_provider', '_api', '_wire', '_convert', '_signing') "
        "if 'voiceclone_metastudio.' + n in sys.modules]; "
        "assert not loaded, loaded; "
        "assert not any(n.startswith('huaweicloudsdk') for n in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
