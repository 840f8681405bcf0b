"""The provider registry: entry points, aliases, runtime registration, suggestions."""

from collections.abc import Iterator
from importlib.metadata import entry_points

import pytest

import voiceclone
from voiceclone import ProviderNotFound, ValidationError
from voiceclone._registry import ENTRY_POINT_GROUP, unregister_provider
from voiceclone.adapter import Capabilities, ProviderSpec


def _never(**settings: object) -> voiceclone.adapter.Provider:
    raise AssertionError("not built in these tests")


def spec(id: str, *aliases: str) -> ProviderSpec:
    return ProviderSpec(id=id, aliases=aliases, create=_never, capabilities=Capabilities())


@pytest.fixture
def registered() -> Iterator[list[str]]:
    names: list[str] = []
    yield names
    for name in names:
        unregister_provider(name)


def test_built_in_providers_are_entry_points() -> None:
    names = {ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)}
    assert {"huawei-metastudio", "alibaba-ice"} <= names


def test_providers_lists_the_built_ins_with_capabilities() -> None:
    found = {p.id: p for p in voiceclone.providers()}
    assert {"huawei-metastudio", "alibaba-ice"} <= set(found)
    assert all(isinstance(p.capabilities, Capabilities) for p in found.values())


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("huawei-metastudio", "huawei-metastudio"),
        ("HUAWEI-MetaStudio", "huawei-metastudio"),
        ("alibaba-ice", "alibaba-ice"),
    ],
)
def test_resolve_by_id_in_any_case(name: str, expected: str) -> None:
    assert voiceclone.resolve_provider(name).id == expected


def test_resolve_by_alias(registered: list[str]) -> None:
    voiceclone.register_provider("zeta-voice", spec("zeta-voice", "zeta", "av"))
    registered.append("zeta-voice")
    assert voiceclone.resolve_provider("zeta").id == "zeta-voice"
    assert voiceclone.resolve_provider(" AV ").id == "zeta-voice"


def test_unknown_name_suggests_the_closest(registered: list[str]) -> None:
    voiceclone.register_provider("zeta-voice", spec("zeta-voice", "zeta"))
    registered.append("zeta-voice")
    with pytest.raises(ProviderNotFound) as caught:
        voiceclone.resolve_provider("zetaa")
    assert "did you mean 'zeta'" in str(caught.value)
    assert "zeta-voice" in str(caught.value)


def test_nothing_close_gives_no_suggestion() -> None:
    with pytest.raises(ProviderNotFound) as caught:
        voiceclone.resolve_provider("zzzzzzzzzz")
    assert "did you mean" not in str(caught.value)
    assert "huawei-metastudio" in str(caught.value)


def test_clobber_is_refused_by_default(registered: list[str]) -> None:
    voiceclone.register_provider("zeta-voice", spec("zeta-voice"))
    registered.append("zeta-voice")
    with pytest.raises(ValidationError, match="already registered"):
        voiceclone.register_provider("zeta-voice", spec("zeta-voice"))
    with pytest.raises(ValidationError, match="already registered"):
        voiceclone.register_provider("huawei-metastudio", spec("huawei-metastudio"))


def test_an_alias_clash_is_refused(registered: list[str]) -> None:
    voiceclone.register_provider("zeta-voice", spec("zeta-voice", "zeta"))
    registered.append("zeta-voice")
    with pytest.raises(ValidationError, match="'zeta'"):
        voiceclone.register_provider("other", spec("other", "zeta"))


def test_clobber_replaces(registered: list[str]) -> None:
    voiceclone.register_provider("zeta-voice", spec("zeta-voice", "a1"))
    registered.append("zeta-voice")
    voiceclone.register_provider("zeta-voice", spec("zeta-voice", "a2"), clobber=True)
    assert voiceclone.resolve_provider("zeta-voice").aliases == ("a2",)


def test_dotted_path_is_imported_on_first_use(registered: list[str]) -> None:
    voiceclone.register_provider("lazy-one", f"{__name__}:LAZY")
    registered.append("lazy-one")
    assert voiceclone.resolve_provider("lazy-one") is LAZY


def test_a_registration_that_is_not_a_spec_is_reported(registered: list[str]) -> None:
    voiceclone.register_provider("broken", f"{__name__}:NOT_A_SPEC")
    registered.append("broken")
    with pytest.raises(ProviderNotFound, match="not a ProviderSpec"):
        voiceclone.resolve_provider("broken")


@pytest.mark.parametrize("bad", ["", "   "])
def test_empty_names_are_validation_errors(bad: str) -> None:
    with pytest.raises(ValidationError):
        voiceclone.resolve_provider(bad)
    with pytest.raises(ValidationError):
        voiceclone.register_provider(bad, spec("x"))


LAZY = spec("lazy-one")
NOT_A_SPEC = object()
