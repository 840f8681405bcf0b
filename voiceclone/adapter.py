"""The kit for adapter authors: everything a provider package implements or uses.

A provider package exposes a :class:`ProviderSpec` through the ``voiceclone.providers``
entry-point group. Its adapter builds :class:`Call` objects (sans-I/O), declares
:class:`Capabilities` and a paging scheme, maps vendor states to :class:`~voiceclone.JobStatus`,
and translates vendor errors into the neutral error classes. ``docs/plugins.md`` is the guide.
"""

from voiceclone._arguments import check_identifier
from voiceclone._call import Call, Operation
from voiceclone._capabilities import Capabilities, SortOrder
from voiceclone._clock import Clock, EmulatorClock, SystemClock
from voiceclone._emulator import Emulator
from voiceclone._endpoints import check_endpoint
from voiceclone._http_errors import error_class_for_status, retry_after_of
from voiceclone._paging import (
    CursorToken,
    CursorWindow,
    NumberedWindow,
    OffsetLimit,
    OffsetWindow,
    PageNumber,
    PagingScheme,
    Window,
)
from voiceclone._provider import ListRequest, Provider, ProviderBase, ProviderSpec
from voiceclone._time import format_utc, from_epoch, parse_utc

__all__ = [
    "Call",
    "Capabilities",
    "Clock",
    "CursorToken",
    "CursorWindow",
    "Emulator",
    "EmulatorClock",
    "ListRequest",
    "NumberedWindow",
    "OffsetLimit",
    "OffsetWindow",
    "Operation",
    "PageNumber",
    "PagingScheme",
    "Provider",
    "ProviderBase",
    "ProviderSpec",
    "SortOrder",
    "SystemClock",
    "Window",
    "check_endpoint",
    "check_identifier",
    "error_class_for_status",
    "format_utc",
    "from_epoch",
    "parse_utc",
    "retry_after_of",
]
