"""MetaStudio job ``state`` values and the neutral :class:`~voiceclone.JobStatus` of each.

``docs/status-mapping.md`` gives the reasons. A state not in :data:`STATE_TO_STATUS` is
``UNKNOWN`` (the job keeps the vendor string in ``raw_status``); it is never an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from voiceclone import JobStatus

__all__ = ["DOCUMENTED_STATES", "STATE_TO_STATUS", "states_for", "status_of"]

STATE_TO_STATUS: Mapping[str, JobStatus] = MappingProxyType(
    {
        "CREATING": JobStatus.CREATED,
        "SYSTEM_AUDITING": JobStatus.REVIEWING,
        "AUDITING": JobStatus.REVIEWING,
        "WAITING_SPLIT": JobStatus.PREPROCESSING,
        "SPLITTING": JobStatus.PREPROCESSING,
        "ANNOTATING": JobStatus.PREPROCESSING,
        "WAITING": JobStatus.QUEUED,
        "PROCESSING": JobStatus.TRAINING,
        "UPLOADING": JobStatus.TRAINING,
        "RESULT_REVIEW": JobStatus.RESULT_REVIEW,
        "USER_RESULT_REVIEW": JobStatus.RESULT_REVIEW,
        "AUDIT_FAILED": JobStatus.ACTION_REQUIRED,
        "USER_REVIEW_REJECT": JobStatus.ACTION_REQUIRED,
        "SUCCEED": JobStatus.SUCCEEDED,
        "FAILED": JobStatus.FAILED,
        "SPLIT_FAILED": JobStatus.FAILED,
    }
)
"""Every documented ``JobState`` (16 values, SDK 3.1.219) and its neutral status."""

DOCUMENTED_STATES = frozenset(STATE_TO_STATUS)


def status_of(state: str) -> JobStatus:
    """The neutral status of a vendor state; UNKNOWN for a state not documented."""
    return STATE_TO_STATUS.get(state, JobStatus.UNKNOWN)


def states_for(statuses: Iterable[JobStatus]) -> tuple[str, ...] | None:
    """The vendor states to ask for (sorted), or None when the filter cannot be pushed down
    (UNKNOWN is asked for: unknown states cannot be named)."""
    wanted = frozenset(statuses)
    if JobStatus.UNKNOWN in wanted:
        return None
    return tuple(sorted(state for state, status in STATE_TO_STATUS.items() if status in wanted))
