"""``Call``: one request to send and how to read its reply, built by an adapter, sent by a client.

Adapters never do I/O. For each operation they return a :class:`Call` (or, when an operation
needs several requests, a generator of calls: an :data:`Operation`). ``Client.call`` and
``AsyncClient.call`` are the only places that send.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any, Generic, TypeVar

import attrs
import httpx

__all__ = ["Call", "Operation"]

T = TypeVar("T")


@attrs.frozen(slots=True)
class Call(Generic[T]):
    """One HTTP exchange: the request, how to parse the response, and whether to retry it.

    ``parse`` receives every response, error statuses included, and either returns ``T`` or
    raises a :class:`~voiceclone.VoiceCloneError` (the adapter's error table lives there).
    ``safe_to_repeat`` is True when sending the request twice cannot do harm (reads, deletes
    that tolerate "not found", creates with a client-chosen id); only such calls are retried.
    ``name`` is the operation's name, for logs and errors.
    """

    request: httpx.Request
    parse: Callable[[httpx.Response], T]
    safe_to_repeat: bool
    name: str = ""


Operation = Call[T] | Generator[Call[Any], Any, T]
"""What a neutral adapter method returns: one call, or a generator that yields calls.

A generator receives each call's parsed result from ``send`` and returns the operation's
result, so a multi-request operation (look a job up, then submit it) stays free of I/O::

    def submit_job(self, job_id: str) -> Generator[Call[Any], Any, None]:
        job = yield self.get_job(job_id)
        yield self._submit(job.voice_id)
"""
