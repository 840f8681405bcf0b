"""Building ICE requests and reading ICE replies: the two halves of every ``Call``.

A request is ``POST {endpoint}/?Action=..&Version=..&<parameters>`` with an empty body and the
``x-acs-action``/``x-acs-version`` headers; :class:`~voiceclone_ice._auth.IceAuth` signs it on
each attempt. A reply is read by :func:`read_reply` (errors, ``Success: false``, malformed
JSON) and then by :func:`read_data` or :func:`structure_data`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import urlencode

import cattrs
import httpx

from voiceclone import ProviderResponseError, RateLimitError, ServiceUnavailableError
from voiceclone.adapter import Call
from voiceclone_ice._api import API_VERSION, PROVIDER_ID
from voiceclone_ice._auth import stringify
from voiceclone_ice._converter import structure, unstructure
from voiceclone_ice._errors import error_from_reply, request_id_of, retry_after
from voiceclone_ice._requests import IceRequest

__all__ = ["build_request", "make_call", "malformed", "read_data", "read_reply", "structure_data"]

T = TypeVar("T")


def build_request(endpoint: str, action: str, parameters: Mapping[str, Any]) -> httpx.Request:
    """The unsigned request for ``action``; ``None`` parameters are left out.

    The query is encoded here as httpx encodes ``params=`` (``urlencode``), so the URL is
    parsed once rather than twice (httpx parses the base URL, then again with the params).
    """
    query = {"Action": action, "Version": API_VERSION}
    query.update({k: stringify(v) for k, v in parameters.items() if v is not None})
    headers = {
        "x-acs-action": action,
        "x-acs-version": API_VERSION,
        "accept": "application/json",
    }
    return httpx.Request("POST", f"{endpoint}/?{urlencode(query)}", headers=headers)


def malformed(
    response: httpx.Response, what: str, request_id: str | None = None
) -> ProviderResponseError:
    """The error for a reply that is not what the API documents."""
    return ProviderResponseError(
        f"malformed reply: {what}",
        provider=PROVIDER_ID,
        status_code=response.status_code,
        request_id=request_id,
    )


def _decode(response: httpx.Response) -> Any:
    try:
        return json.loads(response.content)
    except (ValueError, RecursionError):  # RecursionError: nesting deeper than the decoder allows
        return None


def read_reply(response: httpx.Response) -> dict[str, Any]:
    """The decoded body of a successful reply; the neutral error for anything else."""
    body = _decode(response)
    status = response.status_code
    if status >= 400:
        if isinstance(body, dict):
            raise error_from_reply(response, body)
        raise _bodyless_error(response, body)
    if not isinstance(body, dict):
        raise malformed(response, "the body is not a JSON object", request_id_of(response, body))
    success = body.get("Success", True)
    if success is False:
        raise error_from_reply(response, body)
    if success is not True:
        raise malformed(response, "Success is not a boolean", request_id_of(response, body))
    return body


def _bodyless_error(response: httpx.Response, body: Any) -> Exception:
    status = response.status_code
    kwargs: dict[str, Any] = {
        "provider": PROVIDER_ID,
        "status_code": status,
        "request_id": request_id_of(response, body),
    }
    if status == 429:
        return RateLimitError(f"HTTP {status}", retry_after=retry_after(response), **kwargs)
    if status >= 500:
        return ServiceUnavailableError(f"HTTP {status}", **kwargs)
    return ProviderResponseError(f"HTTP {status} without a JSON error body", **kwargs)


def read_data(response: httpx.Response) -> tuple[dict[str, Any], str | None]:
    """The ``Data`` object of a successful reply, and the request id."""
    body = read_reply(response)
    request_id = request_id_of(response, body)
    data = body.get("Data")
    if not isinstance(data, dict):
        raise malformed(response, "Data is missing or not an object", request_id)
    return data, request_id


def structure_data(response: httpx.Response, cls: type[T], key: str | None = None) -> T:
    """``Data`` (or ``Data[key]``) of a successful reply as the wire model ``cls``."""
    data, request_id = read_data(response)
    value: Any = data if key is None else data.get(key)
    try:
        return structure(value, cls)
    except (KeyError, TypeError, ValueError, AttributeError, cattrs.BaseValidationError) as exc:
        where = "Data" if key is None else f"Data.{key}"
        problem = f"missing {exc}" if isinstance(exc, KeyError) else str(exc)
        what = f"{where} is not a {cls.__name__} ({problem})"
        raise malformed(response, what, request_id) from exc


def make_call(
    endpoint: str,
    request: IceRequest,
    parse: Callable[[httpx.Response], T],
    *,
    safe_to_repeat: bool | None = None,
) -> Call[T]:
    """The ``Call`` for a typed request."""
    return Call(
        request=build_request(endpoint, request.ACTION, unstructure(request)),
        parse=parse,
        safe_to_repeat=request.SAFE_TO_REPEAT if safe_to_repeat is None else safe_to_repeat,
        name=request.ACTION,
    )
