"""The in-process front end: an emulator as an httpx transport, sync and async.

Like ``httpx.MockTransport`` with fault injection: a dropped connection raises
``httpx.RemoteProtocolError`` as a real server hanging up would, a truncated body fails while
the client reads it, and latency goes through an injectable ``sleep``.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import httpx

from voiceclone._emulator import Emulator
from voiceclone.testing._faults import FaultInjector, FaultPlan, FaultStats, Handler, Reply

__all__ = ["EmulatorTransport"]


class EmulatorTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Send requests straight to an emulator (or any handler), with optional faults.

    ``faults`` is a :class:`FaultPlan`, or a :class:`FaultInjector` to share its seeded
    sequence and counts with another front end; faults need an :class:`Emulator` (for the
    vendor's throttling and 5xx replies). ``sleep`` and ``async_sleep`` (default
    ``time.sleep``, ``asyncio.sleep``) carry the latency; tests pass recorders instead.
    """

    def __init__(
        self,
        emulator: Emulator | Handler,
        faults: FaultPlan | FaultInjector | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        async_sleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        self.handler: Handler = emulator.handle if isinstance(emulator, Emulator) else emulator
        self.injector = _injector(emulator, faults)
        self._sleep = sleep
        self._async_sleep = async_sleep  # None: asyncio.sleep, imported when first needed

    @property
    def stats(self) -> FaultStats:
        """What the faults have done so far (all zero without faults)."""
        return self.injector.stats if self.injector is not None else FaultStats()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        if self.injector is None:
            return self.handler(request)
        decision = self.injector.decide()
        if decision.latency:
            self._sleep(decision.latency)
        return _deliver(request, self.injector.reply(request, decision))

    async def _asleep(self, seconds: float) -> None:
        await (self._async_sleep or _asyncio_sleep)(seconds)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        if self.injector is None:
            return self.handler(request)
        decision = self.injector.decide()
        if decision.latency:
            await self._asleep(decision.latency)
        return _deliver(request, self.injector.reply(request, decision))


async def _asyncio_sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)


def _injector(
    emulator: Emulator | Handler, faults: FaultPlan | FaultInjector | None
) -> FaultInjector | None:
    if faults is None or isinstance(faults, FaultInjector):
        return faults
    if faults.is_quiet:
        return None
    if not isinstance(emulator, Emulator):
        raise TypeError("fault injection needs an Emulator, not a plain handler")
    return FaultInjector(emulator, faults)


def _deliver(request: httpx.Request, reply: Reply) -> httpx.Response:
    response = reply.response
    if response is None:
        raise httpx.RemoteProtocolError(
            "Server disconnected without sending a response.", request=request
        )
    if reply.truncate_at is None:
        return response
    body = response.read()
    headers = httpx.Headers(response.headers)
    expected = reply.declared_length(body)
    headers["Content-Length"] = str(expected)
    return httpx.Response(
        response.status_code,
        headers=headers,
        stream=_TruncatedStream(body[: reply.truncate_at], expected, request),
        request=request,
    )


class _TruncatedStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body that stops part way, then fails as httpx does when a peer hangs up early."""

    def __init__(self, sent: bytes, expected: int, request: httpx.Request) -> None:
        self._sent = sent
        self._expected = expected
        self._request = request

    def _error(self) -> httpx.RemoteProtocolError:
        return httpx.RemoteProtocolError(
            "peer closed connection without sending complete message body: "
            f"received {len(self._sent)} bytes, expected {self._expected}",
            request=self._request,
        )

    def __iter__(self) -> Iterator[bytes]:
        if self._sent:
            yield self._sent
        raise self._error()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if self._sent:
            yield self._sent
        raise self._error()
