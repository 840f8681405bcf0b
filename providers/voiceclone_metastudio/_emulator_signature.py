"""The emulator's check of Huawei Cloud ``SDK-HMAC-SHA256`` signatures and IAM tokens.

The API gateway rebuilds the canonical request from what it received (method, path, query, the
headers named in ``SignedHeaders``, the body hash), signs it with the secret key of the access
key the request names, and compares. This module does the same from an ``httpx.Request``, on
purpose independent of the adapter's signer, so each checks the other. It never reveals the
expected signature or the secret in what it returns.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from datetime import datetime, timezone
from urllib.parse import quote, unquote

import attrs
import httpx

__all__ = [
    "ALGORITHM",
    "EMPTY_SHA256",
    "AuthFailure",
    "Credentials",
    "canonical_query",
    "canonical_request",
    "canonical_uri",
    "string_to_sign",
    "verify",
]

ALGORITHM = "SDK-HMAC-SHA256"
EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"
MAX_CLOCK_SKEW = 15 * 60.0


@attrs.frozen
class Credentials:
    """What the emulated account accepts: one AK/SK pair, one IAM token, one project."""

    ak: str
    sk: str = attrs.field(repr=False)
    project_id: str
    auth_token: str = attrs.field(repr=False)


@attrs.frozen
class AuthFailure:
    """Why a request was not authenticated: the gateway's message (never a secret)."""

    message: str


def _encode(text: str) -> str:
    return quote(text, safe="~")


def canonical_uri(raw_path: str) -> str:
    """The canonical URI: the decoded path re-encoded per segment, always ending in ``/``."""
    uri = "/".join(_encode(segment) for segment in unquote(raw_path).split("/"))
    return uri if uri.endswith("/") else uri + "/"


def canonical_query(raw_query: str) -> str:
    """The canonical query string: decoded pairs sorted by (key, value), each re-encoded."""
    pairs: list[tuple[str, str]] = []
    for part in raw_query.split("&"):
        if not part:
            continue
        key, _, value = part.partition("=")
        pairs.append((unquote(key), unquote(value)))
    return "&".join(f"{_encode(key)}={_encode(value)}" for key, value in sorted(pairs))


def _payload_hash(body: bytes, content_sha256: str | None) -> str:
    if not body:
        return EMPTY_SHA256
    if content_sha256 is not None:
        return content_sha256.strip()
    return hashlib.sha256(body).hexdigest()


def canonical_request(request: httpx.Request, signed_headers: Sequence[str]) -> str | None:
    """The canonical request the client must have signed, or None if a signed header is absent."""
    raw_path, _, raw_query = request.url.raw_path.decode("utf-8", "replace").partition("?")
    lines = []
    for name in signed_headers:
        value = request.headers.get(name)
        if value is None:
            return None
        lines.append(f"{name}:{value.strip()}\n")
    payload = _payload_hash(request.content, request.headers.get("x-sdk-content-sha256"))
    return "\n".join(
        [
            request.method.upper(),
            canonical_uri(raw_path),
            canonical_query(raw_query),
            "".join(lines),
            ";".join(signed_headers),
            payload,
        ]
    )


def string_to_sign(canonical: str, sdk_date: str) -> str:
    """``SDK-HMAC-SHA256\\n<date>\\n<sha256 of the canonical request>``."""
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return f"{ALGORITHM}\n{sdk_date}\n{digest}"


def _parse_authorization(value: str) -> dict[str, str] | None:
    algorithm, _, rest = value.strip().partition(" ")
    if algorithm != ALGORITHM:
        return None
    fields: dict[str, str] = {}
    for item in rest.split(","):
        key, sep, val = item.strip().partition("=")
        if sep:
            fields[key] = val
    if not {"Access", "SignedHeaders", "Signature"} <= fields.keys():
        return None
    return fields


def _check_date(text: str | None, real_now: float | None) -> AuthFailure | None:
    if text is None:
        return AuthFailure("Incorrect IAM authentication information: X-Sdk-Date not found")
    try:
        moment = datetime.strptime(text.strip(), DATE_FORMAT).replace(tzinfo=timezone.utc)
    except ValueError:
        return AuthFailure("Incorrect IAM authentication information: invalid X-Sdk-Date format")
    if real_now is not None and abs(moment.timestamp() - real_now) > MAX_CLOCK_SKEW:
        return AuthFailure(
            "Incorrect IAM authentication information: the request has expired "
            "(X-Sdk-Date is more than 15 minutes from the server time)"
        )
    return None


def _verify_signature(
    request: httpx.Request, header: str, credentials: Credentials, real_now: float | None
) -> AuthFailure | None:
    fields = _parse_authorization(header)
    if fields is None:
        return AuthFailure("Incorrect IAM authentication information: unsupported Authorization")
    if not hmac.compare_digest(fields["Access"].encode(), credentials.ak.encode()):
        return AuthFailure("Incorrect IAM authentication information: ak not exist")
    sdk_date = request.headers.get("x-sdk-date")
    failure = _check_date(sdk_date, real_now)
    if failure is not None or sdk_date is None:
        return failure
    signed = [name.lower() for name in fields["SignedHeaders"].split(";") if name]
    canonical = canonical_request(request, signed)
    if canonical is None:
        return AuthFailure("Incorrect IAM authentication information: signed header missing")
    expected = hmac.new(
        credentials.sk.encode("utf-8"),
        string_to_sign(canonical, sdk_date.strip()).encode("utf-8"),
        hashlib.sha256,
    ).hexdigest()
    if not hmac.compare_digest(expected.encode(), fields["Signature"].strip().encode()):
        return AuthFailure("Incorrect IAM authentication information: verify aksk signature fail")
    project = request.headers.get("x-project-id")
    if project is not None and project.strip() != credentials.project_id:
        return AuthFailure("Incorrect IAM authentication information: project id not match")
    return None


def verify(
    request: httpx.Request, credentials: Credentials, real_now: float | None
) -> AuthFailure | None:
    """None when ``request`` carries a valid AK/SK signature or IAM token, else the failure.

    ``real_now`` is the server's real time for the 15-minute ``X-Sdk-Date`` window, or None to
    skip that check. An ``Authorization`` header wins over ``X-Auth-Token`` when both are sent.
    """
    header = request.headers.get("authorization")
    if header is not None:
        return _verify_signature(request, header, credentials, real_now)
    token = request.headers.get("x-auth-token")
    if token is None:
        return AuthFailure(
            "Incorrect IAM authentication information: Authorization or X-Auth-Token not found"
        )
    if not hmac.compare_digest(token.strip().encode(), credentials.auth_token.encode()):
        return AuthFailure("Incorrect IAM authentication information: decrypt token fail")
    return None
