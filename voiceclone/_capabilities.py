"""``Capabilities``: what an adapter can do, as data the client and users can read."""

from __future__ import annotations

import enum

import attrs

from voiceclone._paging import OffsetLimit, PagingScheme

__all__ = ["Capabilities", "SortOrder"]


class SortOrder(str, enum.Enum):
    """The order a listing comes back in, by creation time (ties broken by job id)."""

    NEWEST_FIRST = "newest_first"
    OLDEST_FIRST = "oldest_first"


@attrs.frozen(slots=True)
class Capabilities:
    """Typed facts about one adapter.

    ``pushed_down_filters`` names the ``JobQuery`` filters the vendor applies itself (the client
    re-checks them all and applies the rest). ``editions`` are every edition value the vendor's
    jobs may report (the adapter says which of them ``NewJob.edition`` can create). ``orders``
    lists the sort orders the adapter can ask for; the first is its default.
    ``client_chosen_voice_id`` is True when ``NewJob.voice_id`` is honoured, which makes a create
    safe to retry.
    """

    paging: PagingScheme = attrs.field(factory=OffsetLimit)
    pushed_down_filters: frozenset[str] = frozenset()
    orders: tuple[SortOrder, ...] = (SortOrder.NEWEST_FIRST,)
    editions: tuple[str, ...] = ()
    default_edition: str | None = None
    regions: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    can_create: bool = True
    can_submit: bool = True
    can_delete: bool = True
    segment_upload: bool = False
    client_chosen_voice_id: bool = False
    max_voice_name_length: int | None = None
