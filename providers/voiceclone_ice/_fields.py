"""``wire_field``: an attrs field that knows its wire name, read by the adapter's converter."""

from __future__ import annotations

from typing import Any

import attrs

__all__ = ["WIRE_NAME", "wire_field"]

WIRE_NAME = "voiceclone_ice.wire"
"""The metadata key holding a field's name on the wire (``JobId`` for ``job_id``)."""


def wire_field(name: str, **kwargs: Any) -> Any:
    """An attrs field sent and received as ``name``."""
    return attrs.field(metadata={WIRE_NAME: name}, **kwargs)
