"""Huawei Cloud request authentication: AK/SK ``SDK-HMAC-SHA256`` signing and IAM tokens.

The canonicalization functions are pure and match ``huaweicloudsdkcore.signer.Signer`` byte for
byte (reference/huawei-metastudio-api.md section 5), so the emulator can verify requests with
the same code the client signs them with::

    canonical_request = "\\n".join([METHOD, canonical_uri(path), canonical_query(pairs),
                                   canonical_headers(...), signed_headers, payload_hash])
    string_to_sign    = "SDK-HMAC-SHA256\\n" + X-Sdk-Date + "\\n" + hex(sha256(canonical_request))
    Authorization     = "SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<h1;h2>, Signature=<hex>"

:class:`AkSkAuth` and :class:`TokenAuth` are ``httpx.Auth`` objects: every attempt of every
request, retries included, is signed afresh with the time of that attempt.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Generator, Iterable, Mapping, Sequence
from datetime import datetime, timezone
from urllib.parse import quote, unquote

import attrs
import httpx

from voiceclone.adapter import Clock, SystemClock

__all__ = [
    "ALGORITHM",
    "EMPTY_SHA256",
    "UNSIGNED_HEADERS",
    "AkSkAuth",
    "SignedParts",
    "TokenAuth",
    "canonical_headers",
    "canonical_query",
    "canonical_request",
    "canonical_uri",
    "encode",
    "format_sdk_date",
    "parse_authorization",
    "payload_hash",
    "query_pairs",
    "sign",
    "sign_parts",
    "signature",
    "signed_header_names",
    "string_to_sign",
]

ALGORITHM = "SDK-HMAC-SHA256"
EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
SDK_DATE_FORMAT = "%Y%m%dT%H%M%SZ"

UNSIGNED_HEADERS = frozenset(
    {
        "accept-encoding",
        "connection",
        "content-length",
        "expect",
        "keep-alive",
        "proxy-authorization",
        "te",
        "transfer-encoding",
        "upgrade",
        "authorization",
    }
)
"""Headers the httpx auth leaves out of the signature: transport headers that httpx, proxies or
servers may add or rewrite after signing (the official SDK does not sign them either, because
``requests`` adds them later), and ``Authorization`` itself."""


def encode(text: str) -> str:
    """RFC 3986 percent-encoding: everything but ``A-Z a-z 0-9 - _ . ~`` (the signer's rule)."""
    return quote(text, safe="~")


def canonical_uri(raw_path: str) -> str:
    """The canonical URI of a percent-encoded wire path: decoded, split on ``/``, each segment
    re-encoded, and a trailing ``/`` added (the wire path has none)."""
    uri = "/".join(encode(segment) for segment in unquote(raw_path).split("/"))
    return uri if uri.endswith("/") else uri + "/"


def canonical_query(pairs: Iterable[tuple[str, str]]) -> str:
    """The canonical query string: pairs sorted by (key, value) *before* encoding, each encoded,
    joined with ``&``. Repeated keys stay repeated; an empty value gives ``k=``.

    The MetaStudio adapter sends exactly this string as the wire query, like the official SDK.
    """
    return "&".join(f"{encode(key)}={encode(value)}" for key, value in sorted(pairs))


def query_pairs(raw_query: str) -> list[tuple[str, str]]:
    """The decoded ``(key, value)`` pairs of a wire query string (``+`` is a literal plus)."""
    pairs = []
    for part in raw_query.split("&"):
        if not part:
            continue
        key, _, value = part.partition("=")
        pairs.append((unquote(key), unquote(value)))
    return pairs


def signed_header_names(headers: Iterable[str]) -> list[str]:
    """The names to sign: every header name without ``_``, lower-cased and sorted."""
    return sorted({name.lower() for name in headers if "_" not in name})


def canonical_headers(headers: Mapping[str, str], names: Sequence[str]) -> str:
    """``name:value\\n`` for each signed name; values are stripped at both ends only."""
    lowered = {name.lower(): str(value).strip() for name, value in headers.items()}
    return "".join(f"{name}:{lowered[name]}\n" for name in names)


def payload_hash(body: bytes, headers: Mapping[str, str]) -> str:
    """sha256 of the body (the empty hash for no body), or ``X-Sdk-Content-Sha256`` if set."""
    if not body:
        return EMPTY_SHA256
    for name, value in headers.items():
        if name.lower() == "x-sdk-content-sha256" and value:
            return value
    return hashlib.sha256(body).hexdigest()


def canonical_request(
    method: str,
    raw_path: str,
    pairs: Iterable[tuple[str, str]],
    headers: Mapping[str, str],
    names: Sequence[str],
    body: bytes,
) -> str:
    """The six-part canonical request the string-to-sign hashes."""
    return "\n".join(
        [
            method.upper(),
            canonical_uri(raw_path),
            canonical_query(pairs),
            canonical_headers(headers, names),
            ";".join(names),
            payload_hash(body, headers),
        ]
    )


def string_to_sign(sdk_date: str, canonical: str) -> str:
    """``SDK-HMAC-SHA256\\n<X-Sdk-Date>\\n<hex sha256 of the canonical request>``."""
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return f"{ALGORITHM}\n{sdk_date}\n{digest}"


def signature(secret_key: str, to_sign: str) -> str:
    """Lower-case hex HMAC-SHA256 of the string-to-sign, keyed with the SK (no derivation)."""
    return hmac.new(secret_key.encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def format_sdk_date(epoch_seconds: float) -> str:
    """An epoch time as an ``X-Sdk-Date`` value: ``YYYYMMDDTHHMMSSZ`` in UTC."""
    return datetime.fromtimestamp(int(epoch_seconds), timezone.utc).strftime(SDK_DATE_FORMAT)


def _find(headers: Mapping[str, str], name: str) -> str | None:
    wanted = name.lower()
    return next((value for key, value in headers.items() if key.lower() == wanted), None)


@attrs.frozen(slots=True)
class SignedParts:
    """The intermediate values of one signature, for tests and for verifying requests.

    The canonical request holds header values (a security token, say), so only the signed
    header names and the string-to-sign show in ``repr``."""

    canonical_request: str = attrs.field(repr=False)
    string_to_sign: str
    signed_headers: str
    signature: str = attrs.field(repr=False)
    authorization: str = attrs.field(repr=False)


def sign_parts(
    *,
    method: str,
    raw_path: str,
    pairs: Iterable[tuple[str, str]],
    headers: Mapping[str, str],
    body: bytes,
    access_key: str,
    secret_key: str,
) -> SignedParts:
    """Sign a request whose ``headers`` already hold everything to sign (``Host`` and
    ``X-Sdk-Date`` included). Pure: the same inputs always give the same signature."""
    sdk_date = _find(headers, "X-Sdk-Date")
    if sdk_date is None:
        raise ValueError("X-Sdk-Date header is required to sign")
    names = signed_header_names(headers)
    canonical = canonical_request(method, raw_path, pairs, headers, names, body)
    to_sign = string_to_sign(sdk_date.strip(), canonical)
    sig = signature(secret_key, to_sign)
    joined = ";".join(names)
    return SignedParts(
        canonical_request=canonical,
        string_to_sign=to_sign,
        signed_headers=joined,
        signature=sig,
        authorization=f"{ALGORITHM} Access={access_key}, SignedHeaders={joined}, Signature={sig}",
    )


def sign(
    *,
    method: str,
    host: str,
    raw_path: str,
    pairs: Sequence[tuple[str, str]],
    headers: Mapping[str, str],
    body: bytes | str | None,
    access_key: str,
    secret_key: str,
    sdk_date: str,
) -> tuple[dict[str, str], str]:
    """Sign like ``huaweicloudsdkcore``'s ``Signer.sign``: returns the headers to send (with
    ``X-Sdk-Date``, ``Host``, maybe ``X-Sdk-Content-Sha256``, and ``Authorization``) and the
    request target ``path[?canonical query]``.

    An ``X-Sdk-Date`` or ``Host`` already in ``headers`` wins over ``sdk_date``/``host``; a
    ``Content-Type`` other than JSON/BSON makes the payload ``UNSIGNED-PAYLOAD``.
    """
    out = {name: str(value) for name, value in headers.items()}
    content_type = out.get("Content-Type")
    if content_type and not content_type.startswith(("application/json", "application/bson")):
        out["X-Sdk-Content-Sha256"] = UNSIGNED_PAYLOAD
    if _find(out, "X-Sdk-Date") is None:
        out["X-Sdk-Date"] = sdk_date
    if _find(out, "Host") is None:
        out["Host"] = host
    data = body.encode("utf-8") if isinstance(body, str) else (body or b"")
    parts = sign_parts(
        method=method,
        raw_path=raw_path,
        pairs=pairs,
        headers=out,
        body=data,
        access_key=access_key,
        secret_key=secret_key,
    )
    out = {name: value.strip() for name, value in out.items()}
    out["Authorization"] = parts.authorization
    query = canonical_query(pairs)
    return out, raw_path + (f"?{query}" if query else "")


def parse_authorization(value: str) -> dict[str, str] | None:
    """The ``Access``, ``SignedHeaders`` and ``Signature`` of an ``SDK-HMAC-SHA256``
    Authorization header, or None when it is not one (for verifiers)."""
    prefix = ALGORITHM + " "
    if not value.startswith(prefix):
        return None
    fields = {}
    for item in value[len(prefix) :].split(", "):
        key, sep, val = item.partition("=")
        if not sep:
            return None
        fields[key] = val
    if set(fields) != {"Access", "SignedHeaders", "Signature"}:
        return None
    return fields


def _raw_path(url: httpx.URL) -> str:
    return url.raw_path.split(b"?", 1)[0].decode("ascii")


class AkSkAuth(httpx.Auth):
    """AK/SK signing (``SDK-HMAC-SHA256``) as an ``httpx.Auth``.

    Each attempt gets ``X-Project-Id``, ``X-Security-Token`` (temporary credentials only), a fresh
    ``X-Sdk-Date`` from ``clock`` and the ``Authorization`` header. Every header on the request
    is signed except transport headers (:data:`UNSIGNED_HEADERS`) and names containing ``_``.
    Neither the keys nor the signature ever appear in ``repr``.
    """

    requires_request_body = True

    def __init__(
        self,
        access_key: str,
        secret_key: str,
        project_id: str | None = None,
        *,
        security_token: str | None = None,
        clock: Clock | None = None,
    ) -> None:
        if not access_key:
            raise ValueError("access_key is required")
        if not secret_key:
            raise ValueError("secret_key is required")
        self._access_key = access_key
        self._secret_key = secret_key
        self._security_token = security_token
        self.project_id = project_id
        self._clock: Clock = clock if clock is not None else SystemClock()

    def __repr__(self) -> str:
        token = ", security_token=***" if self._security_token else ""
        return f"AkSkAuth(ak=***, sk=***, project_id={self.project_id!r}{token})"

    def sign_request(self, request: httpx.Request) -> SignedParts:
        """Add the auth headers to ``request`` in place; returns what was signed."""
        headers = request.headers
        if self.project_id and "X-Project-Id" not in headers:
            headers["X-Project-Id"] = self.project_id
        if self._security_token:
            headers["X-Security-Token"] = self._security_token
        headers["X-Sdk-Date"] = format_sdk_date(self._clock.now())
        headers.pop("Authorization", None)
        to_sign = {
            name: value for name, value in headers.items() if name.lower() not in UNSIGNED_HEADERS
        }
        parts = sign_parts(
            method=request.method,
            raw_path=_raw_path(request.url),
            pairs=query_pairs(request.url.query.decode("ascii")),
            headers=to_sign,
            body=request.content,
            access_key=self._access_key,
            secret_key=self._secret_key,
        )
        headers["Authorization"] = parts.authorization
        return parts

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        self.sign_request(request)
        yield request


class TokenAuth(httpx.Auth):
    """IAM token authentication: ``X-Auth-Token`` instead of a signature (no ``X-Sdk-Date``,
    no ``X-Project-Id``; the project id stays in the path). The token never appears in repr."""

    def __init__(self, token: str) -> None:
        if not token:
            raise ValueError("token is required")
        self._token = token

    def __repr__(self) -> str:
        return "TokenAuth(token=***)"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers.pop("Authorization", None)
        request.headers["X-Auth-Token"] = self._token
        yield request
