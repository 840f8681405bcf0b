"""RPC signature v1: fixed vectors from the aliyunsdkcore oracle, an independent HMAC-SHA1
recomputation, encoding of Chinese and reserved characters, STS, and fresh signing per attempt."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from aliyunsdkcore.utils import parameter_helper
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voiceclone_ice import PROVIDER
from voiceclone_ice._auth import Credentials, IceAuth, stringify

ORACLE = Path(__file__).resolve().parents[3] / "shared/reference/oracles/aliyun_sign_oracle.py"
FIXED_TIMESTAMP = "2024-01-02T03:04:05Z"
FIXED_NONCE = "0123456789abcdef0123456789abcdef"

# Printed by ../shared/reference/oracles/aliyun_sign_oracle.py (aliyunsdkcore 2.16.1, its own
# RpcRequest.get_url path with Timestamp and nonce pinned): `--case list` and `--case encoding`.
LIST_VECTOR = {
    "AccessKeyId": "testAccessKeyId",
    "Action": "ListCustomizedVoiceJobs",
    "Format": "JSON",
    "PageNo": "2",
    "PageSize": "50",
    "RegionId": "cn-shanghai",
    "Signature": "+cNJ1Ukuwj/LibsaxYmn8o2O5bI=",
    "SignatureMethod": "HMAC-SHA1",
    "SignatureNonce": FIXED_NONCE,
    "SignatureType": "",
    "SignatureVersion": "1.0",
    "Timestamp": FIXED_TIMESTAMP,
    "Type": "Standard",
    "Version": "2020-11-09",
}
ENCODING_SIGNATURE = "yGtSTrlDiTXFDU5lvrFO0lAzzC8="
ENCODING_NAME = "小专 A*B~C+D/E"
ENCODING_DESC = 'a=b&c:d é 100% "q" (x)!\''


@pytest.fixture
def pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parameter_helper, "get_iso_8061_date", lambda: FIXED_TIMESTAMP)
    monkeypatch.setattr(parameter_helper, "get_uuid", lambda: FIXED_NONCE)


def test_list_request_matches_the_oracle_vector(
    pinned: None, provider: Any, params_of: Any
) -> None:
    call = provider.list_customized_voice_jobs(page_no=2, page_size=50, type="Standard")
    signed = provider.auth.sign(call.request)
    assert params_of(signed) == LIST_VECTOR
    assert str(signed.url).startswith("https://ice.cn-shanghai.aliyuncs.com/?")


def test_chinese_and_reserved_characters_match_the_oracle_vector(
    pinned: None, provider: Any, params_of: Any
) -> None:
    call = provider.create_customized_voice_job(
        voice_id="xiaozhuan01",
        gender="female",
        scenario="story",
        voice_name=ENCODING_NAME,
        voice_desc=ENCODING_DESC,
    )
    signed = provider.auth.sign(call.request)
    params = params_of(signed)
    assert params["Signature"] == ENCODING_SIGNATURE
    assert params["VoiceName"] == ENCODING_NAME and params["VoiceDesc"] == ENCODING_DESC
    raw = signed.url.raw_path.decode("ascii")
    # RFC 3986 on the wire: space %20 (not +), * %2A, ~ kept, + and / escaped
    assert "VoiceName=%E5%B0%8F%E4%B8%93%20A%2AB~C%2BD%2FE" in raw


@pytest.mark.skipif(not ORACLE.exists(), reason="reference oracle not available")
@pytest.mark.parametrize("case", ["list", "encoding"])
def test_the_vectors_are_what_the_oracle_prints(case: str) -> None:
    out = subprocess.run(
        [sys.executable, str(ORACLE), "--case", case], capture_output=True, text=True, check=True
    ).stdout
    printed = json.loads(out)
    if case == "list":
        assert printed == LIST_VECTOR
    else:
        assert printed["Signature"] == ENCODING_SIGNATURE
        assert printed["VoiceName"] == ENCODING_NAME


RESERVED = {
    "AccessKeyId",
    "Format",
    "SecurityToken",
    "Signature",
    "SignatureMethod",
    "SignatureNonce",
    "SignatureType",
    "SignatureVersion",
    "Timestamp",
}
_names = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", min_size=1)
_values = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"]),
    max_size=40,
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.dictionaries(_names, _values, max_size=6), secret=st.text(min_size=1))
def test_signature_equals_an_independent_recomputation(
    params: dict[str, str], secret: str, sign_check: Any, params_of: Any
) -> None:
    independent_signature, wire_params = sign_check, params_of
    auth = IceAuth(Credentials("id", secret), "cn-beijing")
    request = httpx.Request("POST", "https://ice.cn-beijing.aliyuncs.com/", params=params)
    signed = auth.sign(request)
    sent = wire_params(signed)
    for key, value in params.items():
        if key not in RESERVED:
            assert sent[key] == value
    assert sent["Signature"] == independent_signature("POST", sent, secret)


def test_sts_token_is_signed_and_sent(provider: Any, params_of: Any, sign_check: Any) -> None:
    sts = PROVIDER.create(
        access_key_id="STS.id", access_key_secret="sts-secret", security_token="tok+en/=", env={}
    )
    signed = sts.auth.sign(sts.get_job("job-1").request)
    params = params_of(signed)
    assert params["SecurityToken"] == "tok+en/="
    assert params["AccessKeyId"] == "STS.id"
    assert params["Signature"] == sign_check("POST", params, "sts-secret")
    assert "SecurityToken" not in params_of(provider.auth.sign(provider.get_job("j").request))


def test_parameters_are_stringified_as_the_api_reads_them() -> None:
    assert stringify(True) == "true" and stringify(False) == "false"
    assert stringify(7) == "7"
    assert stringify({"customizedVoice": "小专", "volume": 50}) == (
        '{"customizedVoice":"小专","volume":50}'
    )
    assert stringify(["a", "b"]) == '["a","b"]'


def test_none_parameters_are_dropped_and_headers_name_the_action(
    provider: Any, params_of: Any
) -> None:
    request = provider.list_customized_voice_jobs(page_no=1, page_size=10).request
    assert "Type" not in request.url.params
    assert request.headers["x-acs-action"] == "ListCustomizedVoiceJobs"
    assert request.headers["x-acs-version"] == "2020-11-09"
    assert "Signature" not in request.url.params  # built unsigned; the auth signs


def test_a_retried_request_gets_a_new_nonce_and_a_fresh_valid_signature(
    monkeypatch: pytest.MonkeyPatch, provider: Any, params_of: Any, sign_check: Any, ok: Any
) -> None:
    seconds = itertools.count(5)
    monkeypatch.setattr(
        parameter_helper, "get_iso_8061_date", lambda: f"2024-01-02T03:04:{next(seconds):02d}Z"
    )
    seen: list[dict[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(params_of(request))
        if len(seen) == 1:
            return httpx.Response(503, json={"Code": "ServiceUnavailable", "RequestId": "r"})
        return ok({"CustomizedVoiceJob": {"JobId": "job-1", "Status": "Training"}})

    call = provider.get_job("job-1")
    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        first = client.send(call.request, auth=provider.auth)
        assert first.status_code == 503
        second = client.send(call.request, auth=provider.auth)  # the same Call, sent again
    assert call.parse(second).status.value == "training"
    one, two = seen
    assert one["SignatureNonce"] != two["SignatureNonce"]
    assert one["Timestamp"] != two["Timestamp"]
    assert one["Signature"] != two["Signature"]
    for params in seen:
        assert params["Signature"] == sign_check("POST", params, "testAccessKeySecret")
    assert "Signature" not in call.request.url.params  # the Call's request stays unsigned


def test_signing_a_signed_request_again_replaces_every_signing_parameter(
    provider: Any, params_of: Any, sign_check: Any
) -> None:
    once = provider.auth.sign(provider.get_job("job-1").request)
    twice = provider.auth.sign(once)
    params = params_of(twice)
    assert list(twice.url.params.keys()).count("Signature") == 1
    assert params["SignatureNonce"] != params_of(once)["SignatureNonce"]
    assert params["Signature"] == sign_check("POST", params, "testAccessKeySecret")


def test_secrets_never_appear_in_reprs(provider: Any) -> None:
    sts = PROVIDER.create(
        access_key_id="LTAIsecretid", access_key_secret="S3CR3T", security_token="T0K3N", env={}
    )
    for text in (repr(sts), repr(sts.auth), repr(sts._auth._credentials), str(PROVIDER)):
        assert "S3CR3T" not in text and "T0K3N" not in text and "LTAIsecretid" not in text


def test_importing_the_package_does_not_import_aliyunsdkcore() -> None:
    code = (
        "import sys, voiceclone, voiceclone_ice; "
        "voiceclone_ice.PROVIDER.create(access_key_id='a', access_key_secret='b', env={}); "
        "print(any(m.startswith('aliyunsdkcore') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
