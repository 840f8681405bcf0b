"""Reading and validating one request's business parameters, with the vendor's error codes.

Parameters the API metadata marks required are checked as the gateway does (``Missing{Name}``);
parameters the service needs though the metadata leaves them optional answer IMS's
``MissingParameter``. An empty value counts as absent, as the SDKs never send one on purpose.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from voiceclone_ice._emulator_wire import invalid_parameter, missing, missing_parameter

__all__ = ["Params"]

_INTEGER = re.compile(r"^[+-]?\d{1,18}$")


class Params:
    """The decoded request parameters of one call."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self._values = values

    def required(self, name: str) -> str:
        """A parameter the API metadata marks required."""
        value = self._values.get(name)
        if not value:
            raise missing(name)
        return value

    def needed(self, name: str) -> str:
        """A parameter the service needs although the metadata leaves it optional."""
        value = self._values.get(name)
        if not value:
            raise missing_parameter(name)
        return value

    def optional(self, name: str) -> str | None:
        return self._values.get(name) or None

    def text(self, name: str, max_length: int, *, required: bool = False) -> str | None:
        """A free-text parameter of at most ``max_length`` characters."""
        value = self.required(name) if required else self.optional(name)
        if value is not None and len(value) > max_length:
            raise invalid_parameter(name, f"It must be at most {max_length} characters long.")
        return value

    def integer(self, name: str, default: int, low: int, high: int | None = None) -> int:
        """An integer parameter in ``low..high`` (no upper bound when ``high`` is None)."""
        raw = self.optional(name)
        if raw is None:
            return default
        if not _INTEGER.match(raw):
            raise invalid_parameter(name, "It must be an integer.")
        value = int(raw)
        if value < low or (high is not None and value > high):
            bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
            raise invalid_parameter(name, f"It must be {bounds}.")
        return value

    def enum(self, name: str, allowed: Collection[str]) -> str | None:
        """An optional parameter that must be one of ``allowed`` (case-sensitive, as documented)."""
        value = self.optional(name)
        if value is not None and value not in allowed:
            raise invalid_parameter(name, f"Valid values: {', '.join(allowed)}.")
        return value

    def choice(self, name: str, allowed: Collection[str]) -> str:
        """A required parameter that must be one of ``allowed``."""
        self.required(name)
        value = self.enum(name, allowed)
        return value if value is not None else self.required(name)
