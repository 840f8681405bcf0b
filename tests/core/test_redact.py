"""Secret query values never reach the httpx logger's records."""

import logging

import httpx
import pytest

from voiceclone._redact import RedactingFilter, install_log_redaction, redact_url


def test_secret_values_are_redacted_and_the_rest_kept() -> None:
    url = (
        "https://ice.cn-shanghai.aliyuncs.com/?Action=GetCustomizedVoiceJob&JobId=j1"
        "&AccessKeyId=AKID&Signature=c2ln%2B&SecurityToken=tok&SignatureNonce=n1"
    )
    redacted = redact_url(url)
    for secret in ("AKID", "c2ln", "tok", "n1"):
        assert secret not in redacted
    assert "Action=GetCustomizedVoiceJob" in redacted
    assert "JobId=j1" in redacted
    assert redacted.count("REDACTED") == 4


def test_a_url_without_a_query_is_unchanged() -> None:
    assert redact_url(httpx.URL("https://x.example/v1/jobs/1")) == "https://x.example/v1/jobs/1"


@pytest.mark.parametrize(
    "arg", [httpx.URL("https://h/?once_token=abc"), "https://h/?once_token=abc"]
)
def test_the_filter_rewrites_url_arguments(arg: object) -> None:
    record = logging.LogRecord(
        "httpx", logging.INFO, "", 0, "HTTP Request: %s %s", ("GET", arg), None
    )
    assert RedactingFilter().filter(record)
    assert "abc" not in record.getMessage()
    assert "GET" in record.getMessage()


def test_installing_twice_adds_one_filter() -> None:
    install_log_redaction()
    install_log_redaction()
    filters = [f for f in logging.getLogger("httpx").filters if isinstance(f, RedactingFilter)]
    assert len(filters) == 1
