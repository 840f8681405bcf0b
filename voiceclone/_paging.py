"""Paging schemes: how a vendor's list operation is windowed.

An adapter declares one scheme in its ``Capabilities``; the client plans every requested
``(offset, limit)`` onto it and slices the result. One request of a scheme is a *window*:
``OffsetWindow`` for offset/limit APIs, ``NumberedWindow`` for page-number APIs and
``CursorWindow`` for next-token APIs.
"""

from __future__ import annotations

import attrs

__all__ = [
    "CursorToken",
    "CursorWindow",
    "NumberedWindow",
    "OffsetLimit",
    "OffsetWindow",
    "PageNumber",
    "PagingScheme",
    "Window",
]


@attrs.frozen(slots=True)
class OffsetLimit:
    """``offset`` + ``limit`` query parameters (Huawei MetaStudio). ``max_limit`` caps a page."""

    max_limit: int = 100


@attrs.frozen(slots=True)
class PageNumber:
    """Page number + page size (Alibaba ICE). Pages are numbered from ``first``."""

    max_size: int = 100
    first: int = 1


@attrs.frozen(slots=True)
class CursorToken:
    """An opaque next-page token returned with each page; pages can only be walked in order."""

    max_size: int = 100


PagingScheme = OffsetLimit | PageNumber | CursorToken


@attrs.frozen(slots=True)
class OffsetWindow:
    """One offset/limit request: items ``offset`` .. ``offset + limit - 1``."""

    offset: int
    limit: int


@attrs.frozen(slots=True)
class NumberedWindow:
    """One page-number request: page ``number`` of pages holding ``size`` items."""

    number: int
    size: int


@attrs.frozen(slots=True)
class CursorWindow:
    """One cursor request: ``size`` items after ``token`` (None for the first page)."""

    token: str | None
    size: int


Window = OffsetWindow | NumberedWindow | CursorWindow
