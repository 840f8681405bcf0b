"""RPC signature v1 (HMAC-SHA1) for ICE, applied as an ``httpx.Auth``.

The signature itself is computed by ``aliyunsdkcore.auth.composer.rpc_signature_composer``, the
vendor's own code, imported on the first signature (never at package import). Each pass through
:meth:`IceAuth.auth_flow` signs afresh: the composer draws a new ``Timestamp`` and
``SignatureNonce`` every time, so a retried attempt is never a replay (the service rejects a
reused nonce with ``SignatureNonceUsed``).

Requests reach the auth unsigned: ``POST {endpoint}/?Action=...&Version=...&<parameters>``. The
auth adds ``RegionId``, ``SecurityToken`` (STS), the signing parameters and ``Signature``.
"""

from __future__ import annotations

import json
from collections.abc import Generator, Mapping
from typing import Any

import attrs
import httpx

__all__ = ["Credentials", "IceAuth", "stringify"]

_SIGNING_PARAMETERS = frozenset(
    {
        "AccessKeyId",
        "Format",
        "SecurityToken",
        "Signature",
        "SignatureMethod",
        "SignatureNonce",
        "SignatureType",
        "SignatureVersion",
        "Timestamp",
    }
)


@attrs.frozen(slots=True, repr=False)
class Credentials:
    """An AccessKey pair, with the STS ``SecurityToken`` when the pair is temporary.

    None of it is ever shown: ``repr`` says only which kind of credentials these are.
    """

    access_key_id: str
    access_key_secret: str
    security_token: str | None = None

    def __repr__(self) -> str:
        kind = "sts" if self.security_token else "access-key"
        return f"Credentials(<{kind}, hidden>)"


def stringify(value: Any) -> str:
    """One parameter value as the API reads it: ``true``/``false``, integers in decimal, text as
    is, and mappings or sequences as compact JSON (``EditingConfig`` and the like)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (Mapping, list, tuple)):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return str(value)


def _composer() -> Any:
    # Imported on first use: it costs tens of milliseconds (urllib.request, logging).
    from aliyunsdkcore.auth.composer import rpc_signature_composer

    return rpc_signature_composer


class IceAuth(httpx.Auth):
    """Signs every attempt of every ICE request with RPC signature v1 (``Signature`` in the query).

    ``region`` is sent as ``RegionId`` unless the request already names one.
    """

    requires_request_body = False
    requires_response_body = False

    def __init__(self, credentials: Credentials, region: str) -> None:
        self._credentials = credentials
        self._region = region

    def __repr__(self) -> str:
        return f"IceAuth(region={self._region!r}, credentials={self._credentials!r})"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Yield the signed copy of ``request``; the original is left unsigned."""
        yield self.sign(request)

    def sign(self, request: httpx.Request) -> httpx.Request:
        """A copy of ``request`` whose query carries a fresh Timestamp, nonce and signature."""
        path = self.signed_path(request.method, request.url.params.multi_items())
        return httpx.Request(
            request.method,
            request.url.copy_with(raw_path=path.encode("ascii")),
            headers=request.headers,
            extensions=request.extensions,
        )

    def signed_path(self, method: str, parameters: Any) -> str:
        """``/?<query>`` for ``parameters`` (pairs of strings), signed by ``aliyunsdkcore``.

        Signing parameters already present (from an earlier attempt) are replaced.
        """
        params = {k: v for k, v in parameters if k not in _SIGNING_PARAMETERS}
        params.setdefault("RegionId", self._region)
        credentials = self._credentials
        if credentials.security_token:
            params["SecurityToken"] = credentials.security_token
        path, _string_to_sign = _composer().get_signed_url(
            params,
            credentials.access_key_id,
            credentials.access_key_secret,
            "JSON",
            method.upper(),
            {},
        )
        return str(path)
