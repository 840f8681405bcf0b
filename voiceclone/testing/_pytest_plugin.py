"""pytest plugin (entry point ``pytest11``): fixtures that run the vendors' emulators.

Loaded in every pytest run where voiceclone is installed, so importing it is cheap and does
nothing: providers are resolved only when a test asks for an emulator.

Fixtures:

``voiceclone_emulate``
    A factory, ``voiceclone_emulate(provider, **options)``, taking :func:`emulate`'s options;
    everything it starts is stopped after the test.
``voiceclone_provider``
    The provider id under test. A test that uses it (directly, or through the fixtures below)
    runs once per installed provider with an emulator, unless it parametrizes
    ``voiceclone_provider`` itself or ``voiceclone_emulated`` indirectly.
``voiceclone_emulated``
    An :class:`Emulated` for ``voiceclone_provider``, configured by the
    ``@pytest.mark.voiceclone_emulator(jobs=..., faults=..., loopback=..., seed=...)`` marker.
``voiceclone_client``
    A ``voiceclone.Client`` pointed at ``voiceclone_emulated``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from voiceclone import Client
    from voiceclone.testing._factory import Emulated

__all__ = [
    "pytest_configure",
    "pytest_generate_tests",
    "voiceclone_client",
    "voiceclone_emulate",
    "voiceclone_emulated",
    "voiceclone_provider",
]

_MARKER = "voiceclone_emulator"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{_MARKER}(**options): options for the voiceclone_emulated fixture "
        "(jobs, seed, faults, loopback, clock_speed, and the emulator's own)",
    )


def _parametrized(metafunc: pytest.Metafunc) -> set[str]:
    names: set[str] = set()
    for marker in metafunc.definition.iter_markers("parametrize"):
        argnames = marker.args[0] if marker.args else marker.kwargs.get("argnames", ())
        if isinstance(argnames, str):
            argnames = [name.strip() for name in argnames.split(",")]
        names.update(argnames)
    return names


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run tests that use ``voiceclone_provider`` once per installed emulator."""
    if "voiceclone_provider" not in metafunc.fixturenames:
        return
    if _parametrized(metafunc) & {"voiceclone_provider", "voiceclone_emulated"}:
        return
    from voiceclone.testing._factory import emulator_providers

    ids = emulator_providers()
    metafunc.parametrize("voiceclone_provider", ids, ids=ids)


@pytest.fixture
def voiceclone_provider(request: pytest.FixtureRequest) -> str | None:
    """The provider id under test (parametrized over installed emulators by default)."""
    return getattr(request, "param", None)


@pytest.fixture
def voiceclone_emulate() -> Iterator[Callable[..., Emulated]]:
    """``voiceclone_emulate(provider, **options) -> Emulated``; stops everything afterwards."""
    from voiceclone.testing._factory import emulate

    started: list[Emulated] = []

    def factory(provider: str, **options: Any) -> Emulated:
        emulated = emulate(provider, **options)
        started.append(emulated)
        return emulated

    yield factory
    for emulated in reversed(started):
        emulated.close()


@pytest.fixture
def voiceclone_emulated(
    request: pytest.FixtureRequest,
    voiceclone_provider: str | None,
    voiceclone_emulate: Callable[..., Emulated],
) -> Emulated:
    """The emulator for ``voiceclone_provider`` (or the indirect parameter), configured by
    the ``voiceclone_emulator`` marker."""
    provider = getattr(request, "param", None) or voiceclone_provider
    if provider is None:
        pytest.fail("voiceclone_emulated needs a provider: parametrize voiceclone_provider")
    marker = request.node.get_closest_marker(_MARKER)
    options = dict(marker.kwargs) if marker is not None else {}
    return voiceclone_emulate(provider, **options)


@pytest.fixture
def voiceclone_client(voiceclone_emulated: Emulated) -> Client:
    """A ``voiceclone.Client`` for ``voiceclone_emulated`` (closed after the test)."""
    return voiceclone_emulated.client()
