"""Checking an ``endpoint`` setting, the same way for every provider."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from voiceclone._errors import ValidationError

__all__ = ["check_endpoint"]

_HOST_LABEL = re.compile(r"(?!-)[A-Za-z0-9_-]{1,63}(?<!-)")


def check_endpoint(value: str, provider: str | None = None) -> str:
    """``value`` if it is an absolute http(s) URL with a valid host, without the trailing
    slash; else a ``ValidationError`` naming ``endpoint`` and what is wrong.

    The host must be a DNS name (letters, digits, ``-``, ``_``; dot-separated labels of at most
    63 characters) or an IP address; no spaces or control characters anywhere, no
    ``user:password@``, no query and no fragment (adapters append paths and queries to it).
    """

    def invalid(rule: str) -> ValidationError:
        return ValidationError("endpoint", rule, provider=provider)

    if any(char.isspace() or unicodedata.category(char) == "Cc" for char in value):
        raise invalid("must not contain spaces or control characters")
    scheme, _, rest = value.partition("://")
    if "@" in rest.split("/", 1)[0]:
        raise invalid("must not carry user:password@ (credentials are settings)")
    if scheme.lower() not in ("http", "https"):
        raise invalid(f"{value!r} is not an http(s) URL with a host")
    if "?" in value or "#" in value:
        raise invalid("must not carry a query or a fragment")
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:
        raise invalid(f"{value!r} is not a URL ({exc})") from exc
    if not _valid_host(parts.hostname or ""):
        raise invalid(f"{value!r} has no valid host name or IP address")
    if port == 0:
        raise invalid("port must be between 1 and 65535")
    return value.rstrip("/")


def _valid_host(host: str) -> bool:
    import ipaddress  # only needed here; keeps imports cheap

    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    labels = ascii_host.removesuffix(".").split(".")
    return len(ascii_host) <= 253 and all(_HOST_LABEL.fullmatch(label) for label in labels)
