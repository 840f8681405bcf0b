"""Input rules of the ICE adapter that close validation gaps: each bad value is a
``ValidationError`` naming the field, raised before a request exists."""

from __future__ import annotations

from typing import Any

import pytest

from voiceclone import ValidationError
from voiceclone_ice import PROVIDER

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
