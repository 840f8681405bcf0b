"""Transport safety: TLS verification on by default, no redirects followed (so credentials
never go to another host), and a timeout on every request, retries included."""

from __future__ import annotations

import ssl

import httpx
import pytest
import rel_calls

import voiceclone

SETTINGS = {
    rel_calls.HUAWEI: {"ak": "AKTRANSPORT", "sk": "SKTRANSPORT", "project_id": "p1"},
    rel_calls.ALIBABA: {"access_key_id": "AKTRANSPORT", "access_key_secret": "SKTRANSPORT"},
}


@pytest.mark.parametrize("provider", rel_calls.PROVIDERS)
def test_the_clients_own_http_client_verifies_tls_and_follows_no_redirects(provider: str) -> None:
    with voiceclone.Client(provider, env={}, **SETTINGS[provider]) as client:
        http = client._http  # the client the library builds when none is injected
        assert http.follow_redirects is False
        pool = http._transport._pool  # type: ignore[attr-defined]
        context: ssl.SSLContext = pool._ssl_context
        assert context.verify_mode is ssl.CERT_REQUIRED
        assert context.check_hostname is True


@pytest.mark.parametrize("provider", rel_calls.PROVIDERS)
def test_a_redirect_to_another_host_is_not_followed(provider: str) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(302, headers={"Location": "https://attacker.example/steal"})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = voiceclone.Client(provider, http_client=http, env={}, **SETTINGS[provider])
    with client, pytest.raises(voiceclone.VoiceCloneError):
        client.get_job("j1")
    assert seen and all(r.url.host != "attacker.example" for r in seen)


@pytest.mark.parametrize("provider", rel_calls.PROVIDERS)
def test_every_attempt_carries_a_timeout(provider: str) -> None:
    """Retries included. An injected client's own limits apply (httpx's default is 5 s; a user
    who injects ``timeout=None`` chose no limit); the library's own client uses ``Timeout()``."""
    timeouts: list[dict[str, float | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        timeouts.append(request.extensions["timeout"])
        return httpx.Response(503)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    retry = voiceclone.RetryPolicy(retries=2, backoff_initial=0, jitter=0)
    settings = SETTINGS[provider]
    client = voiceclone.Client(
        provider, http_client=http, retry=retry, sleep=lambda _: None, env={}, **settings
    )
    with client, pytest.raises(voiceclone.ServiceUnavailableError):
        client.get_job("j1")
    assert len(timeouts) == 3
    for timeout in timeouts:
        assert all(timeout[phase] for phase in ("connect", "read", "write", "pool")), timeout


def test_the_default_timeout_is_finite() -> None:
    limits = voiceclone.Timeout()
    assert all(value is not None and value > 0 for value in vars_of(limits))


def vars_of(limits: voiceclone.Timeout) -> list[float | None]:
    return [limits.connect, limits.read, limits.write, limits.pool]
