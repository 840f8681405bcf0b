"""Keeping secrets out of other libraries' log records.

httpx logs every request's full URL at INFO (``HTTP Request: POST https://...``). Some vendors
sign in the query string (Alibaba's ``Signature``, ``AccessKeyId``, ``SecurityToken``) or pass
one-time tokens there, so the URL is a secret. Clients install :class:`RedactingFilter` on the
``httpx`` logger; it rewrites those query values to ``REDACTED`` and leaves the rest alone.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any

import httpx

__all__ = ["RedactingFilter", "install_log_redaction", "redact_url"]

SECRET_PARAMETER = re.compile(r"signature|access_?key|token|secret|credential|password", re.I)
"""Query parameter names whose values are never logged."""

_installed = threading.Lock()
_filter: RedactingFilter | None = None


def redact_url(url: httpx.URL | str) -> str:
    """``url`` with the values of secret-looking query parameters replaced by ``REDACTED``."""
    parsed = url if isinstance(url, httpx.URL) else httpx.URL(url)
    if not parsed.query:
        return str(parsed)
    pairs = [
        (name, "REDACTED" if SECRET_PARAMETER.search(name) else value)
        for name, value in parsed.params.multi_items()
    ]
    return str(parsed.copy_with(params=pairs))


class RedactingFilter(logging.Filter):
    """Rewrites URL arguments of log records so that no secret query value is kept."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and any(_is_url(arg) for arg in record.args):
            record.args = tuple(_safe(arg) for arg in record.args)
        return True


def _is_url(value: Any) -> bool:
    return isinstance(value, httpx.URL) or (
        isinstance(value, str) and value.startswith(("http://", "https://")) and "?" in value
    )


def _safe(value: Any) -> Any:
    return redact_url(value) if _is_url(value) else value


def install_log_redaction() -> None:
    """Add the filter to the ``httpx`` logger, once per process."""
    global _filter
    with _installed:
        if _filter is None:
            _filter = RedactingFilter()
            logging.getLogger("httpx").addFilter(_filter)
