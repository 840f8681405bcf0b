"""Fixtures for the alibaba-ice adapter tests: a provider, an independent v1 signature check,
a runner for calls and operations, and a small fake ICE service for listings."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

import httpx
import pytest

from voiceclone.adapter import Call
from voiceclone_ice import PROVIDER

AK = "testAccessKeyId"
SK = "testAccessKeySecret"


def _pct(text: str) -> str:
    return quote(text, safe="~", encoding="utf-8")


def independent_signature(method: str, params: dict[str, str], secret: str) -> str:
    """RPC signature v1 written from the vendor's documented algorithm, without aliyunsdkcore."""
    canonical = "&".join(
        f"{_pct(k)}={_pct(v)}" for k, v in sorted(params.items()) if k != "Signature"
    )
    text = f"{method}&{_pct('/')}&{_pct(canonical)}"
    digest = hmac.new((secret + "&").encode(), text.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def wire_params(request: httpx.Request) -> dict[str, str]:
    """The parameters as the server decodes them from the raw query sent."""
    query = urlsplit(request.url.raw_path.decode("ascii")).query
    return dict(parse_qsl(query, keep_blank_values=True))


def reply(data: Any = None, *, status: int = 200, headers: dict[str, str] | None = None) -> Any:
    body: dict[str, Any] = {"RequestId": "req-1", "Success": True}
    if data is not None:
        body["Data"] = data
    return httpx.Response(status, json=body, headers=headers)


def error(status: int, code: str, message: str = "boom", **headers: str) -> httpx.Response:
    body = {"RequestId": "req-err", "HostId": "ice.cn-shanghai.aliyuncs.com", "Code": code}
    body["Message"] = message
    return httpx.Response(status, json=body, headers=headers)


@pytest.fixture
def provider() -> Any:
    return PROVIDER.create(access_key_id=AK, access_key_secret=SK, region="cn-shanghai", env={})


Handler = Callable[[httpx.Request], httpx.Response]


@pytest.fixture
def run(provider: Any) -> Callable[[Any, Handler], Any]:
    """Run a Call or an Operation against ``handler``, signing every request with the
    provider's auth and checking each signature independently."""

    def checked(handler: Handler) -> Handler:
        def handle(request: httpx.Request) -> httpx.Response:
            params = wire_params(request)
            assert params["Signature"] == independent_signature(request.method, params, SK)
            assert request.headers["x-acs-action"] == params["Action"]
            assert request.headers["x-acs-version"] == params["Version"] == "2020-11-09"
            assert request.method == "POST" and request.content == b""
            return handler(request)

        return handle

    def execute(operation: Any, handler: Handler) -> Any:
        transport = httpx.MockTransport(checked(handler))
        with httpx.Client(transport=transport) as client:

            def send(call: Call[Any]) -> Any:
                return call.parse(client.send(call.request, auth=provider.auth))

            if isinstance(operation, Call):
                return send(operation)
            try:
                call = next(operation)
                while True:
                    call = operation.send(send(call))
            except StopIteration as stop:
                return stop.value

    return execute


class FakeListing:
    """``ListCustomizedVoiceJobs`` over fixed records, newest first, ``Type`` default Basic.

    ``cosy`` says how the fake treats ``Type=CosyVoice``: ``"honour"``, ``"reject"`` (HTTP 400
    InvalidParameter) or ``"ignore"`` (answers the Basic listing).
    """

    def __init__(self, records: list[dict[str, Any]], cosy: str = "honour") -> None:
        self.records = sorted(records, key=lambda r: (r["CreateTime"], r["JobId"]), reverse=True)
        self.cosy = cosy
        self.seen: list[dict[str, str]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        params = wire_params(request)
        self.seen.append(params)
        assert params["Action"] == "ListCustomizedVoiceJobs"
        type_ = params.get("Type", "Basic")
        if type_ == "CosyVoice" and self.cosy == "reject":
            return error(400, "InvalidParameter", "The specified parameter Type is not valid.")
        if type_ == "CosyVoice" and self.cosy == "ignore":
            type_ = "Basic"
        rows = [r for r in self.records if r["Type"] == type_]
        number, size = int(params.get("PageNo", "1")), int(params.get("PageSize", "10"))
        window = rows[(number - 1) * size : number * size]
        return reply({"CustomizedVoiceJobList": window, "TotalCount": len(rows)})


def record(job_id: str, type_: str, minute: int, status: str = "Success", **extra: Any) -> Any:
    row = {
        "JobId": job_id,
        "VoiceId": f"v{job_id}",
        "VoiceName": f"name {job_id}",
        "Type": type_,
        "Status": status,
        "Gender": "female",
        "Scenario": "story",
        "Message": "",
        "CreateTime": f"2024-01-01T10:{minute:02d}:00Z",
    }
    row.update(extra)
    return row


@pytest.fixture
def make_listing() -> Iterator[Callable[..., FakeListing]]:
    yield FakeListing


@pytest.fixture
def make_record() -> Callable[..., Any]:
    return record


@pytest.fixture
def sign_check() -> Callable[[str, dict[str, str], str], str]:
    return independent_signature


@pytest.fixture
def params_of() -> Callable[[httpx.Request], dict[str, str]]:
    return wire_params


@pytest.fixture
def ok() -> Callable[..., Any]:
    return reply


@pytest.fixture
def fail() -> Callable[..., httpx.Response]:
    return error
