"""The ICE emulator's wire shapes: the gateway error JSON, success envelopes, request ids.

Errors follow the Alibaba Cloud API gateway format (reference §3.11)::

    {"RequestId": "...", "HostId": "ice.cn-shanghai.aliyuncs.com", "Code": "...",
     "Message": "...", "Recommend": "https://api.aliyun.com/troubleshoot?..."}

Codes and messages come from the gateway's common codes (``Missing{Name}``,
``InvalidParameter``, ``SignatureDoesNotMatch``, ...) and IMS's own error table
(``MissingParameter``, ``ResourceNotFound``). The reference documents no ICE-specific code for
a job whose state forbids an operation; the emulator answers HTTP 403 ``IncorrectJobStatus``,
after Alibaba's ``Incorrect{Resource}Status`` convention (for example ECS's
``IncorrectInstanceStatus``).
"""

from __future__ import annotations

import json
import random
from typing import Any

import httpx

__all__ = [
    "CONTENT_TYPE",
    "IceApiError",
    "error_response",
    "incorrect_status",
    "invalid_parameter",
    "missing",
    "missing_parameter",
    "new_request_id",
    "not_found",
    "success_response",
]

CONTENT_TYPE = "application/json;charset=utf-8"


class IceApiError(Exception):
    """An error the emulator answers with: HTTP status, vendor code and message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


def missing(name: str) -> IceApiError:
    """The gateway's reply for an absent parameter the API metadata marks required."""
    return IceApiError(400, f"Missing{name}", f"{name} is mandatory for this action.")


def missing_parameter(name: str) -> IceApiError:
    """The service's reply for an absent parameter it needs but the metadata leaves optional."""
    return IceApiError(
        400,
        "MissingParameter",
        f'The input parameter "{name}" that is mandatory for processing this request '
        "is not supplied.",
    )


def invalid_parameter(name: str, rule: str) -> IceApiError:
    """A parameter value that breaks a documented rule; ``rule`` says which."""
    return IceApiError(
        400, "InvalidParameter", f'The specified parameter "{name}" is not valid. {rule}'
    )


def not_found(kind: str, name: str, value: str) -> IceApiError:
    """No ``kind`` with ``name`` = ``value`` exists."""
    return IceApiError(404, "ResourceNotFound", f"The specified {kind} {name}={value} not found.")


def incorrect_status(job_id: str, status: str, action: str) -> IceApiError:
    """The job's current ``status`` does not allow ``action``."""
    return IceApiError(
        403,
        "IncorrectJobStatus",
        f"The current status {status} of job {job_id} does not support the operation {action}.",
    )


def new_request_id(rng: random.Random) -> str:
    """A RequestId shaped like Alibaba's: an upper-case UUID."""
    h = f"{rng.getrandbits(128):032X}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _encode(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def success_response(request_id: str, data: dict[str, Any] | None) -> httpx.Response:
    """HTTP 200 ``{"RequestId", "Success": true, "Data"}``; no ``Data`` when ``data`` is None."""
    body: dict[str, Any] = {"RequestId": request_id}
    if data is not None:
        body["Data"] = data
    body["Success"] = True
    return httpx.Response(200, content=_encode(body), headers=_headers(request_id))


def error_response(
    request_id: str,
    host: str,
    error: IceApiError,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """The gateway error JSON for ``error``, with its HTTP status."""
    body = {
        "RequestId": request_id,
        "HostId": host,
        "Code": error.code,
        "Message": error.message,
        "Recommend": (
            f"https://api.aliyun.com/troubleshoot?q={error.code}&product=ICE&requestId={request_id}"
        ),
    }
    return httpx.Response(
        error.status, content=_encode(body), headers={**_headers(request_id), **(headers or {})}
    )


def _headers(request_id: str) -> dict[str, str]:
    return {"Content-Type": CONTENT_TYPE, "x-acs-request-id": request_id}
