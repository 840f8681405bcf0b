"""Server-side check of Alibaba Cloud RPC signature v1 (HMAC-SHA1), as the API gateway does it.

The gateway re-derives the signature from the parameters it received (query string and any
form-encoded body, minus ``Signature``)::

    canonical     = "&".join(pct(k) + "=" + pct(v) for k, v in sorted(params))
    StringToSign  = METHOD + "&%2F&" + pct(canonical)
    Signature     = base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign))

where ``pct`` is RFC 3986 percent-encoding of UTF-8 (reference §3.2, §3.7). A mismatch answers
``SignatureDoesNotMatch`` whose message ends with ``server string to sign is:<StringToSign>``
(``aliyunsdkcore`` compares that with its own and reports ``InvalidAccessKeySecret`` when they
are equal). A ``SignatureNonce`` seen before, within the replay window, answers
``SignatureNonceUsed``; a ``Timestamp`` more than 15 minutes from real time answers
``InvalidTimeStamp.Expired``.

The Tea SDK's default v3 signature (``ACS3-HMAC-SHA256`` in the ``Authorization`` header, with
``x-acs-date``, ``x-acs-signature-nonce`` and ``x-acs-content-sha256``; reference §5) is checked
too, with the same codes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from urllib.parse import quote

from voiceclone_ice._emulator_wire import IceApiError, missing

__all__ = [
    "REPLAY_WINDOW_SECONDS",
    "V3_ALGORITHM",
    "Credentials",
    "SignatureVerifier",
    "string_to_sign",
]

REPLAY_WINDOW_SECONDS = 15 * 60
"""How far ``Timestamp`` may be from real time, and how long a nonce is remembered after it."""

_MAX_NONCES = 200_000
_TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
V3_ALGORITHM = "ACS3-HMAC-SHA256"
"""The v3 algorithm the Tea SDK signs with by default (``Authorization`` header)."""


def _pct(text: str) -> str:
    return quote(text, safe="~", encoding="utf-8")


def string_to_sign(method: str, params: Mapping[str, str]) -> str:
    """The v1 StringToSign of ``params`` (which must not contain ``Signature``)."""
    canonical = "&".join(f"{_pct(k)}={_pct(v)}" for k, v in sorted(params.items()))
    return f"{method.upper()}&{_pct('/')}&{_pct(canonical)}"


def _incomplete() -> IceApiError:
    return IceApiError(
        400, "IncompleteSignature", "The request signature does not conform to Aliyun standards."
    )


def _mismatch(text: str) -> IceApiError:
    return IceApiError(
        400,
        "SignatureDoesNotMatch",
        f"Specified signature is not matched with our calculation. server string to sign is:{text}",
    )


def _parse_authorization(value: str) -> tuple[str, list[str], str]:
    """``ACS3-HMAC-SHA256 Credential=..,SignedHeaders=a;b,Signature=..`` split into parts."""
    algorithm, _, rest = value.partition(" ")
    fields = dict(part.strip().partition("=")[::2] for part in rest.split(","))
    if algorithm != V3_ALGORITHM or not all(fields.get(k) for k in ("Credential", "Signature")):
        raise _incomplete()
    signed = fields.get("SignedHeaders", "").split(";")
    return fields["Credential"], [name for name in signed if name], fields["Signature"]


def _sign(secret: str, text: str) -> str:
    digest = hmac.new((secret + "&").encode("utf-8"), text.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


class Credentials:
    """The one AccessKey pair (and optional STS token) the emulator accepts. No secret in repr."""

    def __init__(self, access_key_id: str, access_key_secret: str, security_token: str | None):
        self.access_key_id = access_key_id
        self.access_key_secret = access_key_secret
        self.security_token = security_token

    def __repr__(self) -> str:
        mode = "sts" if self.security_token is not None else "ak"
        return f"Credentials(access_key_id={self.access_key_id!r}, mode={mode!r})"


class SignatureVerifier:
    """Checks the common authentication parameters of one request and remembers nonces.

    Not thread-safe by itself; the emulator calls it under its lock. ``wall_clock`` gives real
    epoch seconds (the SDKs stamp requests with real time, whatever the emulator clock says).
    """

    def __init__(
        self,
        credentials: Credentials,
        *,
        check_timestamp: bool = True,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self._credentials = credentials
        self._check_timestamp = check_timestamp
        self._wall_clock = wall_clock
        self._nonces: OrderedDict[str, float] = OrderedDict()

    def verify(self, method: str, params: Mapping[str, str]) -> None:
        """Check a v1 request (signature in the query); raise :class:`IceApiError` with the
        gateway's code if it is not authentic."""
        for name in ("AccessKeyId", "Signature", "SignatureNonce", "Timestamp"):
            if not params.get(name):
                raise missing(name)
        if params.get("SignatureMethod", "HMAC-SHA1") != "HMAC-SHA1" or params.get(
            "SignatureVersion", "1.0"
        ) not in ("1.0", "1"):
            raise _incomplete()
        self._check_access_key(params["AccessKeyId"])
        self._check_time(params["Timestamp"])
        self._check_token(params.get("SecurityToken"))
        self._check_signature(method, params)
        self._use_nonce(params["SignatureNonce"])

    def verify_v3(
        self,
        method: str,
        params: Mapping[str, str],
        headers: Mapping[str, str],
        body: bytes,
    ) -> None:
        """Check an ``ACS3-HMAC-SHA256`` request (the Tea SDK's default): the ``Authorization``
        header signs the method, ``/``, the sorted query, the listed headers and the body hash.
        ``headers`` must have lower-case names."""
        credential, signed_headers, signature = _parse_authorization(headers["authorization"])
        for name in ("x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"):
            if not headers.get(name):
                raise missing(name)
        self._check_access_key(credential)
        self._check_time(headers["x-acs-date"])
        self._check_token(headers.get("x-acs-security-token"))
        payload = headers["x-acs-content-sha256"]
        if payload != hashlib.sha256(body).hexdigest():
            raise IceApiError(
                400, "ContentSHA256NotMatched", "The x-acs-content-sha256 does not match."
            )
        canonical_headers = "".join(
            f"{name}:{headers.get(name, '').strip()}\n" for name in signed_headers
        )
        canonical_query = "&".join(f"{_pct(k)}={_pct(v)}" for k, v in sorted(params.items()))
        canonical = (
            f"{method.upper()}\n/\n{canonical_query}\n{canonical_headers}\n"
            f"{';'.join(signed_headers)}\n{payload}"
        )
        text = f"{V3_ALGORITHM}\n{hashlib.sha256(canonical.encode('utf-8')).hexdigest()}"
        secret = self._credentials.access_key_secret.encode("utf-8")
        expected = hmac.new(secret, text.encode("utf-8"), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected.encode("ascii"), signature.encode("utf-8")):
            raise _mismatch(text)
        self._use_nonce(headers["x-acs-signature-nonce"])

    def _check_access_key(self, access_key_id: str) -> None:
        if not hmac.compare_digest(
            access_key_id.encode("utf-8"), self._credentials.access_key_id.encode("utf-8")
        ):
            raise IceApiError(
                404, "InvalidAccessKeyId.NotFound", "Specified access key is not found."
            )

    def _check_time(self, timestamp: str) -> None:
        try:
            moment = datetime.strptime(timestamp, _TIMESTAMP_FORMAT).replace(tzinfo=timezone.utc)
        except ValueError:
            raise IceApiError(
                400,
                "InvalidTimeStamp.Format",
                "Specified time stamp or date value is not well formatted.",
            ) from None
        skew = abs(moment.timestamp() - self._wall_clock())
        if self._check_timestamp and skew > REPLAY_WINDOW_SECONDS:
            raise IceApiError(
                400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired."
            )

    def _check_token(self, token: str | None) -> None:
        expected = self._credentials.security_token
        if expected is None:
            if token is not None:
                raise IceApiError(
                    400, "InvalidSecurityToken.Malformed", "Specified SecurityToken is malformed."
                )
            return
        if not token:
            raise missing("SecurityToken")
        if not hmac.compare_digest(token.encode("utf-8"), expected.encode("utf-8")):
            raise IceApiError(
                400,
                "InvalidSecurityToken.MismatchWithAccessKey",
                "Specified SecurityToken mismatch with the AccessKey.",
            )

    def _check_signature(self, method: str, params: Mapping[str, str]) -> None:
        signed = {k: v for k, v in params.items() if k != "Signature"}
        text = string_to_sign(method, signed)
        expected = _sign(self._credentials.access_key_secret, text)
        if not hmac.compare_digest(expected.encode("ascii"), params["Signature"].encode("utf-8")):
            raise _mismatch(text)

    def _use_nonce(self, nonce: str) -> None:
        now = self._wall_clock()
        self._forget_old_nonces(now)
        if nonce in self._nonces:
            raise IceApiError(
                400, "SignatureNonceUsed", "Specified signature nonce was used already."
            )
        self._nonces[nonce] = now

    def _forget_old_nonces(self, now: float) -> None:
        # Timestamps are accepted up to one window on either side of real time, so a nonce
        # can only be replayed successfully within two windows of first use.
        horizon = now - 2 * REPLAY_WINDOW_SECONDS
        while self._nonces:
            oldest_nonce, seen = next(iter(self._nonces.items()))
            if seen >= horizon and len(self._nonces) < _MAX_NONCES:
                break
            del self._nonces[oldest_nonce]
