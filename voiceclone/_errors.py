"""The errors voiceclone raises, one tree for every provider.

Every error a user can see is a :class:`VoiceCloneError`. Adapters translate their vendor's
codes into these classes (each adapter has an error table); the client adds transport errors.
Nothing else escapes: a malformed reply is a :class:`ProviderResponseError`, never a ``KeyError``.

::

    VoiceCloneError
     ├── ValidationError            bad input, raised before any request is sent
     ├── UnsupportedOperation       the provider cannot do this neutral operation
     ├── ProviderNotFound           no installed provider has that name
     ├── TransportError             the request did not get a reply (connection, TLS, ...)
     │    └── TimeoutError          connect, read or pool timeout
     ├── ProviderError              the provider answered with an error
     │    ├── AuthenticationError       credentials missing, wrong, or signature rejected
     │    ├── PermissionDeniedError     authenticated, but not allowed
     │    ├── NotFoundError             no such job (or other resource)
     │    ├── ConflictError             the job's state does not allow this
     │    ├── RateLimitError            throttled; ``retry_after`` when the vendor says
     │    ├── ServiceUnavailableError   5xx and the vendors' "try again" codes
     │    └── ProviderResponseError     a reply that is not what the API documents
     ├── JobFailedError             wait_for_job saw the job fail (``.job``)
     └── WaitTimeoutError           wait_for_job reached its deadline (``.job``: last seen)

Each error carries ``provider``, ``status_code`` (HTTP), ``code`` (the vendor's code),
``message``, ``request_id`` and ``retryable``. None of them ever holds a credential.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from voiceclone._models import VoiceCloningJob

__all__ = [
    "AuthenticationError",
    "ConflictError",
    "JobFailedError",
    "NotFoundError",
    "PermissionDeniedError",
    "ProviderError",
    "ProviderNotFound",
    "ProviderResponseError",
    "RateLimitError",
    "ServiceUnavailableError",
    "TimeoutError",
    "TransportError",
    "UnsupportedOperation",
    "ValidationError",
    "VoiceCloneError",
    "WaitTimeoutError",
]


class VoiceCloneError(Exception):
    """Base of every error voiceclone raises.

    ``str(error)`` is one line: the message, then what is known of where it came from.
    """

    retryable_by_default = False

    def __init__(
        self,
        message: str,
        *,
        provider: str | None = None,
        status_code: int | None = None,
        code: str | None = None,
        request_id: str | None = None,
        retryable: bool | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.provider = provider
        self.status_code = status_code
        self.code = code
        self.request_id = request_id
        self.retryable = self.retryable_by_default if retryable is None else retryable

    def __str__(self) -> str:
        details = [
            f"{name}={value}"
            for name, value in (
                ("provider", self.provider),
                ("status", self.status_code),
                ("code", self.code),
                ("request_id", self.request_id),
            )
            if value is not None
        ]
        return f"{self.message} ({', '.join(details)})" if details else self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Errors cross process boundaries (pytest-xdist, multiprocessing): keep every attribute.
        return (_rebuild, (type(self), self.args, dict(self.__dict__)))


def _rebuild(
    cls: type[VoiceCloneError], args: tuple[Any, ...], state: dict[str, Any]
) -> VoiceCloneError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class ValidationError(VoiceCloneError, ValueError):
    """Bad input, found before any request was sent. ``field`` names what was wrong."""

    def __init__(self, field: str, rule: str, *, provider: str | None = None) -> None:
        super().__init__(f"{field}: {rule}", provider=provider)
        self.field = field
        self.rule = rule


class UnsupportedOperation(VoiceCloneError):
    """The provider cannot do this neutral operation (see its ``Capabilities``)."""


class ProviderNotFound(VoiceCloneError, LookupError):
    """No installed provider is registered under that id or alias."""


class TransportError(VoiceCloneError):
    """The request got no usable reply: connection refused or dropped, TLS, protocol error."""

    retryable_by_default = True


class TimeoutError(TransportError):  # the neutral name, exported as voiceclone.TimeoutError
    """A connect, read, write or pool timeout."""


class ProviderError(VoiceCloneError):
    """The provider answered, and the answer is an error."""


class AuthenticationError(ProviderError):
    """Credentials are missing or wrong, or the signature was rejected."""


class PermissionDeniedError(ProviderError):
    """The credentials are valid but not allowed to do this."""


class NotFoundError(ProviderError):
    """The job (or other resource) does not exist."""


class ConflictError(ProviderError):
    """The job's current state does not allow the operation (for example deleting a trained job)."""


class RateLimitError(ProviderError):
    """The provider throttled the request. ``retry_after`` is in seconds, when the vendor says."""

    retryable_by_default = True

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServiceUnavailableError(ProviderError):
    """A server-side failure (HTTP 5xx or the vendor's "internal error" codes)."""

    retryable_by_default = True


class ProviderResponseError(ProviderError):
    """A reply that does not match the documented shape: not JSON, truncated, wrong types."""


class JobFailedError(VoiceCloneError):
    """``wait_for_job`` saw the job reach FAILED. ``job`` is the failed job."""

    def __init__(self, job: VoiceCloningJob) -> None:
        reason = f": {job.failure.message}" if job.failure and job.failure.message else ""
        super().__init__(
            f"job {job.job_id} failed{reason}",
            provider=job.provider,
            code=job.failure.code if job.failure else None,
        )
        self.job = job


class WaitTimeoutError(VoiceCloneError):
    """``wait_for_job`` reached its deadline. ``job`` is the last state seen (None if none)."""

    def __init__(
        self, job_id: str, timeout: float, job: VoiceCloningJob | None, *, provider: str | None
    ) -> None:
        last = f", last status {job.status.value}" if job is not None else ""
        super().__init__(
            f"job {job_id} did not finish within {timeout:g} s{last}", provider=provider
        )
        self.job_id = job_id
        self.timeout = timeout
        self.job = job
