"""The cattrs converter that owns the ICE wire format of the typed requests and replies.

Field names map to wire names through the ``wire_field`` metadata. Structuring is strict about
types (a number where text belongs is an error, not a silent ``str()``); the caller turns every
failure into ``ProviderResponseError``. Unstructuring a request gives wire names to values,
``None`` included (``voiceclone_ice._calls`` drops them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, get_args, get_origin

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from voiceclone_ice._fields import WIRE_NAME

__all__ = ["converter", "structure", "unstructure"]

T = TypeVar("T")

converter = cattrs.Converter(detailed_validation=False)


def _strict(kind: type[Any]) -> Callable[[Any, Any], Any]:
    def structure(value: Any, _: Any) -> Any:
        if type(value) is bool and kind is not bool:
            raise TypeError(f"expected {kind.__name__}, got a boolean")
        if not isinstance(value, kind):
            raise TypeError(f"expected {kind.__name__}, got {type(value).__name__}")
        return value

    return structure


for _kind in (str, int, bool):
    converter.register_structure_hook(_kind, _strict(_kind))


def _is_tuple(cls: Any) -> bool:
    return get_origin(cls) is tuple


def _tuple_hook(cls: Any) -> Callable[[Any, Any], tuple[Any, ...]]:
    item_type = get_args(cls)[0]

    def structure(value: Any, _: Any) -> tuple[Any, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise TypeError(f"expected a list, got {type(value).__name__}")
        return tuple(converter.structure(item, item_type) for item in value)

    return structure


converter.register_structure_hook_factory(_is_tuple, _tuple_hook)


def _renames(cls: type[Any]) -> dict[str, Any]:
    return {
        field.name: override(rename=field.metadata[WIRE_NAME])
        for field in attrs.fields(cls)
        if WIRE_NAME in field.metadata
    }


def _has_wire_names(cls: Any) -> bool:
    return attrs.has(cls) and any(WIRE_NAME in f.metadata for f in attrs.fields(cls))


converter.register_structure_hook_factory(
    _has_wire_names, lambda cls: make_dict_structure_fn(cls, converter, **_renames(cls))
)
converter.register_unstructure_hook_factory(
    _has_wire_names, lambda cls: make_dict_unstructure_fn(cls, converter, **_renames(cls))
)


def structure(value: Any, cls: type[T]) -> T:
    """``value`` (decoded JSON) as ``cls``; raises on a missing field or a wrong type."""
    if not isinstance(value, dict):
        raise TypeError(f"expected an object, got {type(value).__name__}")
    return converter.structure(value, cls)


def unstructure(request: Any) -> dict[str, Any]:
    """A request's parameters by wire name."""
    result: dict[str, Any] = converter.unstructure(request)
    return result
