"""The loopback front end: an emulator behind a real threaded HTTP server on 127.0.0.1.

Each HTTP request becomes an ``httpx.Request`` with the URL the client used (scheme, the Host
header's host and port, the raw path and query) and the headers as sent, so signatures over
the URL, the host and the headers verify exactly. Faults happen on the wire: a drop closes the
socket without a reply, a truncated reply announces the full ``Content-Length`` and sends part.

The server only binds loopback addresses: it speaks plain HTTP and accepts the emulator's
published credentials, so it must never be reachable from another machine.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

import httpx

from voiceclone._emulator import Emulator
from voiceclone.testing._faults import FaultInjector, FaultPlan, FaultStats, Handler, Reply
from voiceclone.testing._transport import _injector

__all__ = ["LoopbackServer", "is_loopback"]

# Headers the server sets itself (framing is per hop, not the emulator's business).
_HOP_BY_HOP = frozenset({"connection", "content-length", "keep-alive", "transfer-encoding"})


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (``127.0.0.0/8``, ``::1``)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class LoopbackServer:
    """Serve an emulator (or any handler) over HTTP on a loopback address, in daemon threads.

    ``port=0`` picks a free port; :attr:`endpoint` says which (and keeps saying it after
    :meth:`stop`, for reports; a restart binds the same port). Use it as a context manager, or
    call :meth:`start` and :meth:`stop`. ``faults`` is a :class:`FaultPlan` (or a shared
    :class:`FaultInjector`); ``sleep`` carries the latency in the handler threads.
    A host that is not a loopback address raises ``ValueError``.
    """

    def __init__(
        self,
        emulator: Emulator | Handler,
        faults: FaultPlan | FaultInjector | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not is_loopback(host):
            raise ValueError(
                f"host: {host!r} is not a loopback address; the emulator only binds those"
            )
        self.host = "127.0.0.1" if host.strip().lower() == "localhost" else host.strip("[]")
        self.port = port
        self.handler: Handler = emulator.handle if isinstance(emulator, Emulator) else emulator
        self.injector = _injector(emulator, faults)
        self.sleep = sleep
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def stats(self) -> FaultStats:
        """What the faults have done so far (all zero without faults)."""
        return self.injector.stats if self.injector is not None else FaultStats()

    @property
    def running(self) -> bool:
        return self._httpd is not None

    @property
    def endpoint(self) -> str:
        """``http://127.0.0.1:PORT``, with the port actually bound (known once started)."""
        if not self.port:
            raise RuntimeError("the server has no port yet; call start() first")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> LoopbackServer:
        """Bind and serve in a daemon thread. Returns self."""
        if self._httpd is not None:
            return self
        httpd = _Server(self, (self.host, self.port))
        self.port = int(httpd.server_address[1])
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"voiceclone-emulator-{httpd.server_address[1]}",
            daemon=True,
        )
        self._httpd = httpd
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, close open connections and the socket, and join the thread."""
        httpd, thread = self._httpd, self._thread
        if httpd is None:
            return
        self._httpd = self._thread = None
        httpd.shutdown()
        httpd.close_connections()
        httpd.server_close()
        if thread is not None:
            thread.join()

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self._httpd is not None else "stopped"
        return f"<LoopbackServer {self.host}:{self.port} {state}>"

    def reply(self, request: httpx.Request) -> Reply:
        """The reply for one request, faults included (called from handler threads)."""
        if self.injector is None:
            return Reply(self.handler(request))
        decision = self.injector.decide()
        if decision.latency:
            self.sleep(decision.latency)
        return self.injector.reply(request, decision)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, owner: LoopbackServer, address: tuple[str, int]) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.owner = owner
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(address, _RequestHandler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Hang up on every open (keep-alive) connection so its handler thread ends."""
        with self._open_lock:
            sockets = list(self._open)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK stall
    server: _Server

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the emulator is for tests."""

    def _serve(self) -> None:
        try:
            request = self._to_httpx()
        except ValueError as exc:
            self.send_error(400, f"bad request: {exc}")
            return
        try:
            reply = self.server.owner.reply(request)
        except Exception as exc:  # an emulator bug must not kill the connection silently
            self._send(httpx.Response(500, text=f"emulator error: {type(exc).__name__}: {exc}"))
            return
        if reply.response is None:
            self.close_connection = True
            return
        self._send(reply.response, reply)

    def _to_httpx(self) -> httpx.Request:
        host = self.headers.get("Host") or "{}:{}".format(*self.server.server_address[:2])
        headers = [(name, value) for name, value in self.headers.items()]
        return httpx.Request(
            self.command, f"http://{host}{self.path}", headers=headers, content=self._body()
        )

    def _body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._chunked_body()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _chunked_body(self) -> bytes:
        parts: list[bytes] = []
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline().strip():  # trailers
                    pass
                return b"".join(parts)
            parts.append(self.rfile.read(size))
            self.rfile.readline()

    def _send(self, response: httpx.Response, reply: Reply | None = None) -> None:
        body = response.read()
        declared = reply.declared_length(body) if reply is not None else len(body)
        truncate_at = reply.truncate_at if reply is not None else None
        self.send_response(response.status_code, response.reason_phrase)
        for name, value in response.headers.multi_items():
            if name.lower() not in _HOP_BY_HOP:
                self.send_header(name, value)
        self.send_header("Content-Length", str(declared))
        if truncate_at is not None:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body if truncate_at is None else body[:truncate_at])
        self.wfile.flush()
        if truncate_at is not None:
            self.close_connection = True
