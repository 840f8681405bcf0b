"""The cattrs converter that owns the MetaStudio wire format of the typed vendor models.

Structuring is strict about JSON types (a number is not a string, a string is not a list, a
boolean is not an integer) and lenient about what the vendor adds (unknown keys are ignored;
enum-valued fields are plain strings). Any mismatch becomes a ``ProviderResponseError`` naming
the path of the bad value. Unstructuring leaves out fields that are None.

The per-job fast path of listings does not come through here (see ``_jobs.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar, get_args, get_origin

import attrs
import cattrs
import httpx
from cattrs.gen import make_dict_structure_fn

from voiceclone_metastudio._errors import malformed

__all__ = ["converter", "structure", "to_body"]

T = TypeVar("T")

converter = cattrs.Converter(detailed_validation=True, forbid_extra_keys=False)
"""The converter of the MetaStudio wire models."""


def _exact(kind: type, name: str, *also: type) -> Callable[[Any, Any], Any]:
    accepted = (kind, *also)

    def hook(value: Any, _: Any) -> Any:
        if type(value) not in accepted:
            raise TypeError(f"expected {name}, got {type(value).__name__}")
        return value

    return hook


converter.register_structure_hook(str, _exact(str, "a string"))
converter.register_structure_hook(int, _exact(int, "an integer"))
converter.register_structure_hook(bool, _exact(bool, "a boolean"))
converter.register_structure_hook(float, _exact(float, "a number", int))


def _is_tuple(cls: Any) -> bool:
    return get_origin(cls) is tuple


def _tuple_hook(cls: Any) -> Callable[[Any, Any], Any]:
    item_type = get_args(cls)[0]

    def hook(value: Any, _: Any) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise TypeError(f"expected an array, got {type(value).__name__}")
        return tuple(converter.structure(item, item_type) for item in value)

    return hook


def _attrs_hook(cls: Any) -> Callable[[Any, Any], Any]:
    inner = make_dict_structure_fn(cls, converter)

    def hook(value: Any, _: Any) -> Any:
        if not isinstance(value, Mapping):
            raise TypeError(f"expected an object, got {type(value).__name__}")
        return inner(value, cls)

    return hook


converter.register_structure_hook_factory(_is_tuple, _tuple_hook)
converter.register_structure_hook_factory(attrs.has, _attrs_hook)
converter.register_unstructure_hook_func(_is_tuple, lambda items: list(items))


def _describe(exc: Exception) -> str:
    if isinstance(exc, cattrs.BaseValidationError):
        return "; ".join(cattrs.transform_error(exc, path="$"))[:500]
    return str(exc)[:500]


def structure(data: Any, cls: type[T], response: httpx.Response) -> T:
    """``data`` (parsed JSON) as ``cls``; a mismatch is a ``ProviderResponseError``."""
    try:
        return converter.structure(data, cls)
    except (cattrs.BaseValidationError, TypeError, ValueError, KeyError, AttributeError) as exc:
        raise malformed(response, f"{cls.__name__}: {_describe(exc)}") from None


def to_body(model: Any) -> dict[str, Any]:
    """A request-body model as a JSON object, without the fields that are None."""
    data = converter.unstructure(model)
    return {key: value for key, value in data.items() if value is not None}
