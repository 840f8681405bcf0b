"""What ``Client`` and ``AsyncClient`` share: set-up, attempt bookkeeping, retry decisions,
error enrichment and logging. Everything here is free of I/O, so both clients behave alike.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import Any, TypeVar

import httpx

from voiceclone._arguments import check_count
from voiceclone._call import Call
from voiceclone._capabilities import Capabilities
from voiceclone._errors import (
    ProviderError,
    ProviderResponseError,
    UnsupportedOperation,
    ValidationError,
    VoiceCloneError,
)
from voiceclone._models import NewJob
from voiceclone._provider import Provider
from voiceclone._redact import install_log_redaction
from voiceclone._registry import resolve_provider
from voiceclone._retry import RetryPolicy, neutral_transport_error, with_retry_after
from voiceclone._timeout import Timeout

__all__ = ["ClientBase", "logger"]

logger = logging.getLogger("voiceclone")
T = TypeVar("T")


class ClientBase:
    """The state and decisions common to both clients (not public; use a client)."""

    def __init__(
        self,
        provider: str,
        *,
        region: str | None,
        endpoint: str | None,
        retry: RetryPolicy | None,
        timeout: Timeout | None,
        default_timeout: Timeout,
        max_concurrency: int,
        settings: dict[str, Any],
        clock: Callable[[], float] | None,
        rng: random.Random | None,
    ) -> None:
        if retry is not None and not isinstance(retry, RetryPolicy):
            raise ValidationError("retry", f"must be a RetryPolicy, not {type(retry).__name__}")
        if timeout is not None and not isinstance(timeout, Timeout):
            raise ValidationError("timeout", f"must be a Timeout, not {type(timeout).__name__}")
        self._max_concurrency = check_count("max_concurrency", max_concurrency, 1)
        install_log_redaction()
        spec = resolve_provider(provider)
        if region is not None:
            settings["region"] = region
        if endpoint is not None:
            settings["endpoint"] = endpoint
        self._provider: Provider = spec.create(**settings)
        self._retry = retry if retry is not None else RetryPolicy()
        self._timeout = timeout if timeout is not None else default_timeout
        self._clock = clock if clock is not None else time.monotonic
        self._rng = rng if rng is not None else random.Random()

    @property
    def provider_id(self) -> str:
        """The provider's id, such as ``huawei-metastudio``."""
        return self._provider.id

    @property
    def provider(self) -> Provider:
        """The adapter: builds the vendor-specific ``Call`` objects this client can send."""
        return self._provider

    @property
    def capabilities(self) -> Capabilities:
        """What the provider can do."""
        return self._provider.capabilities

    @property
    def retry(self) -> RetryPolicy:
        """The retry policy every call uses."""
        return self._retry

    @property
    def timeout(self) -> Timeout:
        """The per-attempt timeout every call uses."""
        return self._timeout

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.provider_id!r})"

    # --- one attempt ------------------------------------------------------------------------

    def _prepare(self, call: Call[Any]) -> httpx.Request:
        if not isinstance(call, Call):
            raise ValidationError("op", f"must be a Call or an operation, not {type(call)!r}")
        request = call.request
        request.extensions = {**request.extensions, "timeout": self._timeout.as_extension()}
        return request

    def _parse(self, call: Call[T], response: httpx.Response, attempt: int, started: float) -> T:
        """The call's result from ``response``, or the neutral error (enriched) it raises."""
        self._log(call, str(response.status_code), attempt, started)
        try:
            return call.parse(response)
        except VoiceCloneError as error:
            self._enrich(error)
            if isinstance(error, ProviderError) and error.status_code is None:
                error.status_code = response.status_code
            with_retry_after(error, response, time.time())
            raise
        except Exception as exc:  # an adapter bug must not escape as KeyError/TypeError
            raise ProviderResponseError(
                f"could not read the {call.name or 'reply'}: {type(exc).__name__}",
                provider=self.provider_id,
                status_code=response.status_code,
            ) from exc

    def _failed(
        self, call: Call[Any], exc: httpx.TransportError, attempt: int, started: float
    ) -> VoiceCloneError:
        error = neutral_transport_error(exc, self.provider_id)
        error.__cause__ = exc
        self._log(call, type(error).__name__, attempt, started)
        return error

    def _delay(self, call: Call[Any], error: VoiceCloneError, attempt: int) -> float | None:
        delay = self._retry.delay(attempt, error, safe_to_repeat=call.safe_to_repeat, rng=self._rng)
        if delay is not None:
            logger.debug("retrying %s in %.3f s after %s", call.name or "call", delay, error)
        return delay

    def _enrich(self, error: VoiceCloneError) -> VoiceCloneError:
        if error.provider is None:
            error.provider = self.provider_id
        return error

    def _log(self, call: Call[Any], outcome: str, attempt: int, started: float) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            request = call.request
            logger.debug(
                "%s %s %s -> %s (attempt %d, %.3f s)",
                call.name or "call",
                request.method,
                request.url.path,  # never the query: it may carry a signature
                outcome,
                attempt,
                self._clock() - started,
            )

    # --- neutral operations -----------------------------------------------------------------

    def _unsupported(self, operation: str) -> UnsupportedOperation:
        return UnsupportedOperation(
            f"{self.provider_id} cannot {operation}", provider=self.provider_id
        )

    def _operation(self, operation: str, flag: bool, build: Callable[[], T]) -> T:
        """The adapter's operation, or ``UnsupportedOperation`` naming the provider."""
        if not flag:
            raise self._unsupported(operation)
        try:
            return build()
        except UnsupportedOperation as error:
            self._enrich(error)
            raise
        except NotImplementedError as exc:
            raise self._unsupported(operation) from exc

    def _check_new_job(self, new: Any) -> NewJob:
        if not isinstance(new, NewJob):
            raise ValidationError("new", f"must be a NewJob, not {type(new).__name__}")
        return new
