"""The provider registry: entry points in the ``voiceclone.providers`` group, plus runtime
registrations. Nothing is imported until a provider is asked for (fsspec's pattern).
"""

from __future__ import annotations

import difflib
import importlib
import threading
from typing import TYPE_CHECKING

from voiceclone._errors import ProviderNotFound, ValidationError
from voiceclone._provider import ProviderSpec

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

__all__ = ["ENTRY_POINT_GROUP", "providers", "register_provider", "resolve_provider"]

ENTRY_POINT_GROUP = "voiceclone.providers"

_lock = threading.RLock()
_runtime: dict[str, ProviderSpec | str] = {}
_loaded: dict[str, ProviderSpec] = {}


def _entry_points() -> dict[str, EntryPoint]:
    from importlib.metadata import entry_points  # on first lookup: keeps the import cheap

    return {ep.name.lower(): ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def _load_dotted(path: str) -> object:
    module_name, _, attribute = path.partition(":")
    target: object = importlib.import_module(module_name)
    for part in attribute.split(".") if attribute else ():
        target = getattr(target, part)
    return target


def _as_spec(name: str, value: object) -> ProviderSpec:
    if not isinstance(value, ProviderSpec):
        raise ProviderNotFound(f"provider {name!r} is registered to {value!r}, not a ProviderSpec")
    return value


def _load(name: str) -> ProviderSpec | None:
    """The spec registered under ``name`` (an id, not an alias), importing it if needed."""
    if name in _loaded:
        return _loaded[name]
    if name in _runtime:
        value = _runtime[name]
        spec = _as_spec(name, _load_dotted(value) if isinstance(value, str) else value)
    else:
        ep = _entry_points().get(name)
        if ep is None:
            return None
        try:
            spec = _as_spec(name, ep.load())
        except ImportError as exc:
            package = ep.dist.name if ep.dist is not None else ep.module.split(".")[0]
            raise ProviderNotFound(
                f"provider {name!r} is registered but cannot be imported ({exc}); "
                f"reinstall it: pip install {package}"
            ) from exc
    _loaded[name] = spec
    return spec


def _all_names() -> list[str]:
    return sorted(set(_runtime) | set(_entry_points()))


def providers() -> list[ProviderSpec]:
    """Every installed provider (entry points and runtime registrations), sorted by id."""
    with _lock:
        specs = {spec.id: spec for name in _all_names() if (spec := _load(name)) is not None}
    return [specs[key] for key in sorted(specs)]


def resolve_provider(name: str) -> ProviderSpec:
    """The provider whose id or alias is ``name`` (any case).

    Raises ``ProviderNotFound`` with a "did you mean" suggestion when there is none.
    """
    if not isinstance(name, str) or not name.strip():
        raise ValidationError("provider", "must be a provider id or alias such as 'huawei'")
    wanted = name.strip().lower()
    with _lock:
        spec = _load(wanted)
        if spec is not None:
            return spec
        known: list[str] = []
        for spec in providers():
            if wanted in (n.lower() for n in spec.names):
                return spec
            known.extend(spec.names)
    hint = difflib.get_close_matches(wanted, known, n=1, cutoff=0.5)
    suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
    installed = ", ".join(sorted(known)) or "none"
    raise ProviderNotFound(f"no provider named {name!r}{suggestion} (installed: {installed})")


def register_provider(name: str, factory: ProviderSpec | str, clobber: bool = False) -> None:
    """Register a provider at runtime under ``name``.

    ``factory`` is a :class:`ProviderSpec` or a ``"module:attribute"`` path to one, imported on
    first use. An existing name (id or alias, built in or not) is refused unless ``clobber``.
    """
    if not isinstance(name, str) or not name.strip():
        raise ValidationError("name", "must be a non-empty provider id")
    key = name.strip().lower()
    with _lock:
        if not clobber:
            names = {key}
            if isinstance(factory, ProviderSpec):
                names |= {alias.lower() for alias in factory.aliases}
            clash = sorted(n for n in names if _is_known(n))
            if clash:
                raise ValidationError(
                    "name", f"{clash[0]!r} is already registered; pass clobber=True to replace it"
                )
        _runtime[key] = factory
        _loaded.pop(key, None)


def _is_known(name: str) -> bool:
    try:
        resolve_provider(name)
    except ProviderNotFound:
        return False
    return True


def unregister_provider(name: str) -> None:
    """Remove a runtime registration (entry points stay). Mostly for tests."""
    with _lock:
        _runtime.pop(name.lower(), None)
        _loaded.pop(name.lower(), None)
