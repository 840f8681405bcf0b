"""What the MetaStudio adapter can do, as data (cheap to import: the spec needs it)."""

from __future__ import annotations

from voiceclone.adapter import Capabilities, OffsetLimit, SortOrder

__all__ = ["CAPABILITIES", "MAX_LIMIT", "PUSHED_DOWN_FILTERS"]

MAX_LIMIT = 100
"""The largest page MetaStudio serves (``limit`` 1..100)."""

PUSHED_DOWN_FILTERS = frozenset(
    {
        "statuses",
        "edition",
        "voice_name",
        "created_since",
        "created_until",
        "updated_since",
        "updated_until",
    }
)
"""``JobQuery`` filters sent to MetaStudio (``state``, ``job_type``, ``voice_name``,
``create_since`` ...). ``statuses`` is sent unless it asks for UNKNOWN; the client re-checks all."""

CAPABILITIES = Capabilities(
    paging=OffsetLimit(max_limit=MAX_LIMIT),
    pushed_down_filters=PUSHED_DOWN_FILTERS,
    orders=(SortOrder.NEWEST_FIRST, SortOrder.OLDEST_FIRST),
    # every job_type a job may report; only the first four have a create operation
    editions=("BASIC", "MIDDLE", "ADVANCE", "THIRD_PARTY", "THIRD_PARTY_LJZN", "FLEXUS"),
    default_edition="BASIC",
    regions=("cn-north-4", "cn-east-3"),
    languages=("zh", "en"),
    can_create=True,
    can_submit=True,
    can_delete=True,
    segment_upload=True,
    client_chosen_voice_id=False,
)
"""The capabilities of ``huawei-metastudio``."""
