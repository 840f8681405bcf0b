"""emulate(), serve_emulators(), render_settings() and run_emulator_command()."""

from __future__ import annotations

import io
import socket
from typing import Any

import httpx
import pytest

from voiceclone import Capabilities, ProviderSpec, UnsupportedOperation, register_provider
from voiceclone._registry import unregister_provider
from voiceclone.testing import (
    Emulated,
    FaultPlan,
    emulate,
    emulator_providers,
    render_settings,
    run_emulator_command,
    serve_emulators,
)

AUTH = {"Authorization": "Bearer fake-token"}


def test_emulate_in_process(fake_provider: str) -> None:
    with emulate("fake", jobs=4, seed=9, color="blue") as emulated:
        assert emulated.provider == fake_provider
        assert not emulated.loopback
        assert emulated.server is None and emulated.transport is not None
        assert emulated.endpoint == "https://fake-vendor.emulator.invalid"
        assert emulated.emulator.seed == 9
        assert emulated.emulator.options == {"color": "blue"}
        assert len(emulated.emulator.job_ids()) == 4
        assert emulated.settings(retry=None) == {
            "endpoint": emulated.endpoint,
            "token": "fake-token",
            "retry": None,
        }
        assert emulated.environment()["FAKE_ENDPOINT"] == emulated.endpoint
        with httpx.Client(transport=emulated.transport, headers=AUTH) as client:
            assert len(client.get(f"{emulated.endpoint}/jobs").json()["jobs"]) == 4
        assert "in-process" in repr(emulated)


def test_emulate_on_loopback_stops_on_close(fake_provider: str) -> None:
    emulated = emulate(fake_provider, jobs=2, loopback=True, clock_speed=60.0)
    assert emulated.loopback
    assert emulated.emulator.clock.speed == 60.0
    with httpx.Client(headers=AUTH) as client:
        assert len(client.get(f"{emulated.endpoint}/jobs").json()["jobs"]) == 2
    assert emulated.server is not None
    emulated.close()
    assert not emulated.server.running


def test_emulate_takes_a_fault_spec_and_counts(fake_provider: str) -> None:
    slept: list[float] = []
    with emulate(fake_provider, faults="throttle=1,latency=5ms,seed=3", sleep=slept.append) as e:
        with httpx.Client(transport=e.transport, headers=AUTH) as client:
            assert client.get(f"{e.endpoint}/jobs").status_code == 429
        assert e.stats.throttled == 1 and e.stats.requests == 1
    assert slept == [0.005]


def test_emulate_refuses_bad_input(fake_provider: str) -> None:
    with pytest.raises(ValueError, match=r"faults\.nope"):
        emulate(fake_provider, faults="nope=1")
    with pytest.raises(ValueError, match="jobs"):
        emulate(fake_provider, jobs=-1)
    with pytest.raises(ValueError, match="loopback"):
        emulate(fake_provider, loopback=True, host="0.0.0.0")


def test_a_provider_without_emulator_is_unsupported() -> None:
    spec = ProviderSpec(id="no-emulator", create=lambda **s: None, capabilities=Capabilities())  # type: ignore[arg-type,return-value]
    register_provider("no-emulator", spec, clobber=True)
    try:
        with pytest.raises(UnsupportedOperation, match="no emulator"):
            emulate("no-emulator")
        assert "no-emulator" not in emulator_providers()
    finally:
        unregister_provider("no-emulator")


def _free_port_pair() -> int:
    for _ in range(20):
        with socket.socket() as first:
            first.bind(("127.0.0.1", 0))
            port = int(first.getsockname()[1])
        with socket.socket() as second:
            try:
                second.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port
    pytest.skip("no two consecutive free ports")


def test_serve_emulators_uses_consecutive_ports(fake_provider: str) -> None:
    port = _free_port_pair()
    running = serve_emulators([fake_provider, "fake"], port=port, jobs=1)
    try:
        assert [e.endpoint for e in running] == [
            f"http://127.0.0.1:{port}",
            f"http://127.0.0.1:{port + 1}",
        ]
    finally:
        for emulated in running:
            emulated.close()


def test_serve_emulators_stops_what_started_when_one_fails(
    fake_provider: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[Emulated] = []
    original = Emulated.__init__

    def spy(self: Emulated, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        started.append(self)

    monkeypatch.setattr(Emulated, "__init__", spy)
    with emulate(fake_provider, loopback=True) as taken:
        busy = int(taken.endpoint.rsplit(":", 1)[1])
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", busy - 1))
            except OSError:
                pytest.skip("the port below the blocker is taken")
        with pytest.raises(OSError):
            serve_emulators([fake_provider, fake_provider], port=busy - 1)
    assert len(started) == 2  # the blocker and the first of the two
    assert not any(e.server is not None and e.server.running for e in started)


def test_render_settings_prints_endpoint_environment_and_cli(fake_provider: str) -> None:
    with emulate(fake_provider, loopback=True) as emulated:
        text = render_settings([emulated])
    endpoint = emulated.endpoint
    assert text.splitlines() == [
        f"# fake-vendor: {endpoint}",
        "export FAKE_TOKEN=fake-token",
        f"export FAKE_ENDPOINT={endpoint}",
        f"voiceclone jobs list -p fake --endpoint {endpoint}",
    ]


def test_run_emulator_command_serves_until_interrupted(fake_provider: str) -> None:
    seen: dict[str, int] = {}

    def wait() -> None:
        endpoint = out.getvalue().split("# fake-vendor: ", 1)[1].split()[0]
        with httpx.Client(headers=AUTH) as client:
            seen["status"] = client.get(f"{endpoint}/jobs").status_code
        raise KeyboardInterrupt

    out = io.StringIO()
    code = run_emulator_command(
        jobs=3, faults=FaultPlan(server_error_rate=1.0), out=out, providers=["fake"], wait=wait
    )
    assert code == 0
    assert seen["status"] in {500, 502, 503, 504}
    text = out.getvalue()
    assert "export FAKE_TOKEN=fake-token" in text
    assert "press Ctrl-C" in text
    assert "clocks run 60x real time" in text
    assert "# faults: 5xx=1\n" in text
    assert "# fake-vendor faults: requests=1 server_errors=1" in text


def test_run_emulator_command_with_nothing_to_serve() -> None:
    out = io.StringIO()
    assert run_emulator_command(out=out, providers=[], wait=lambda: None) == 1
    assert "no installed provider" in out.getvalue()
