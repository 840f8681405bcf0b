"""LoopbackServer: a real threaded HTTP server on loopback, faults on the wire."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from voiceclone.testing import FaultPlan, LoopbackServer, is_loopback

AUTH = {"Authorization": "Bearer fake-token"}


@pytest.fixture
def serve(fake: Any) -> Iterator[Any]:
    servers: list[LoopbackServer] = []

    def start(faults: FaultPlan | None = None, **kwargs: Any) -> LoopbackServer:
        server = LoopbackServer(fake, faults, **kwargs).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def test_requests_arrive_as_the_client_sent_them(fake: Any, serve: Any) -> None:
    server = serve()
    assert server.endpoint.startswith("http://127.0.0.1:")
    with httpx.Client(base_url=server.endpoint, headers=AUTH) as client:
        reply = client.post("/echo?b=2&a=%7E%20x", content=b"hello", headers={"X-Sig": "abc"})
    assert reply.status_code == 200
    echoed = reply.json()
    assert echoed["url"] == f"{server.endpoint}/echo?b=2&a=%7E%20x"
    assert echoed["body"] == "hello"
    assert echoed["headers"]["host"] == server.endpoint.removeprefix("http://")
    assert echoed["headers"]["x-sig"] == "abc"


def test_state_persists_across_requests_and_keep_alive(fake: Any, serve: Any) -> None:
    server = serve()
    with httpx.Client(base_url=server.endpoint, headers=AUTH) as client:
        ids = [client.post("/jobs", json={"name": f"n{i}"}).json()["id"] for i in range(5)]
        assert client.get("/jobs").json()["jobs"] == ids
        assert client.delete(f"/jobs/{ids[0]}").status_code == 204
        assert client.get(f"/jobs/{ids[0]}").status_code == 404
    assert len(fake.job_ids()) == 4


def test_chunked_request_bodies_are_read(fake: Any, serve: Any) -> None:
    server = serve()

    def body() -> Iterator[bytes]:
        yield b'{"name": '
        yield b'"chunky"}'

    with httpx.Client(base_url=server.endpoint, headers=AUTH) as client:
        reply = client.post("/jobs", content=body())
    assert reply.status_code == 201
    assert [job["name"] for job in fake.jobs().values()] == ["chunky"]


def test_a_dropped_connection_is_a_client_error(fake: Any, serve: Any) -> None:
    server = serve(FaultPlan(drop_rate=1.0))
    with (
        httpx.Client(base_url=server.endpoint, headers=AUTH) as client,
        pytest.raises(httpx.RemoteProtocolError),
    ):
        client.post("/jobs", json={"name": "never"})
    assert fake.job_ids() == frozenset()
    assert server.stats.dropped == 1


def test_a_truncated_body_is_a_client_error(fake: Any, serve: Any) -> None:
    fake.seed_jobs(20)
    server = serve(FaultPlan(truncate_rate=1.0))
    with httpx.Client(base_url=server.endpoint, headers=AUTH) as client:
        with pytest.raises(httpx.RemoteProtocolError, match="complete message body"):
            client.get("/jobs")
        with pytest.raises(httpx.RemoteProtocolError):
            client.post("/jobs", json={"name": "never"})
    assert len(fake.job_ids()) == 20
    assert server.stats.truncated == 2


def test_throttle_and_latency_on_the_wire(fake: Any, serve: Any) -> None:
    slept: list[float] = []
    server = serve(FaultPlan(throttle_rate=1.0, retry_after=7, latency=0.25), sleep=slept.append)
    with httpx.Client(base_url=server.endpoint, headers=AUTH) as client:
        reply = client.get("/jobs")
    assert reply.status_code == 429
    assert reply.headers["Retry-After"] == "7.0"
    assert slept == [0.25]


def test_an_emulator_exception_is_a_500(fake: Any, serve: Any) -> None:
    server = serve()
    with httpx.Client(base_url=server.endpoint, headers=AUTH) as client:
        reply = client.get("/boom")
        assert reply.status_code == 500
        assert "emulator bug" in reply.text
        assert client.get("/jobs").status_code == 200


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.com", "::", "8.8.8.8"])
def test_non_loopback_hosts_are_refused(fake: Any, host: str) -> None:
    assert not is_loopback(host)
    with pytest.raises(ValueError, match="loopback"):
        LoopbackServer(fake, host=host)


def test_loopback_names_are_accepted(fake: Any) -> None:
    assert all(is_loopback(h) for h in ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"])
    with LoopbackServer(fake, host="localhost") as server:
        assert server.endpoint.startswith("http://127.0.0.1:")


def test_ipv6_loopback(fake: Any) -> None:
    if not socket.has_ipv6:
        pytest.skip("no IPv6")
    try:
        server = LoopbackServer(fake, host="::1").start()
    except OSError:
        pytest.skip("::1 cannot be bound here")
    with server, httpx.Client(base_url=server.endpoint, headers=AUTH) as client:
        assert server.endpoint.startswith("http://[::1]:")
        assert client.get("/jobs").status_code == 200


def test_stop_closes_keep_alive_connections_and_the_port(fake: Any) -> None:
    server = LoopbackServer(fake).start()
    endpoint = server.endpoint
    client = httpx.Client(base_url=endpoint, headers=AUTH)
    assert client.get("/jobs").status_code == 200
    server.stop()
    assert not server.running
    with pytest.raises(httpx.TransportError):
        client.get("/jobs")
    client.close()
    server.stop()  # idempotent
    assert server.endpoint == endpoint
    assert repr(server).endswith(" stopped>")
    with pytest.raises(RuntimeError, match="start"):
        _ = LoopbackServer(fake).endpoint
