"""``Timeout``: how long one HTTP attempt may take, as an immutable value (httpx's model)."""

from __future__ import annotations

from typing import Any

import attrs
import httpx

from voiceclone._errors import ValidationError

__all__ = ["Timeout"]


def _positive(instance: Any, attribute: attrs.Attribute[Any], value: float | None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ValidationError(f"timeout.{attribute.name}", "must be a number of seconds above 0")


@attrs.frozen(slots=True)
class Timeout:
    """Per-attempt limits in seconds: ``connect`` to open a connection, ``read`` between bytes
    of the reply, ``write`` between bytes of the request, ``pool`` to wait for a free
    connection. None means no limit for that phase. Retries get a fresh budget each.
    """

    connect: float | None = attrs.field(default=5.0, validator=_positive)
    read: float | None = attrs.field(default=30.0, validator=_positive)
    write: float | None = attrs.field(default=30.0, validator=_positive)
    pool: float | None = attrs.field(default=5.0, validator=_positive)

    @classmethod
    def from_httpx(cls, timeout: httpx.Timeout) -> Timeout:
        """The same limits as an ``httpx.Timeout`` (for a user's injected client)."""
        return cls(
            connect=timeout.connect, read=timeout.read, write=timeout.write, pool=timeout.pool
        )

    def to_httpx(self) -> httpx.Timeout:
        """These limits as an ``httpx.Timeout``."""
        return httpx.Timeout(connect=self.connect, read=self.read, write=self.write, pool=self.pool)

    def as_extension(self) -> dict[str, float | None]:
        """The ``request.extensions["timeout"]`` form httpx transports read."""
        return {"connect": self.connect, "read": self.read, "write": self.write, "pool": self.pool}
