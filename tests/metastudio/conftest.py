"""Fixtures for the MetaStudio adapter tests."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest

from voiceclone_metastudio import PROVIDER, MetaStudioProvider

AK = "HPUAEXAMPLEAK0000001"
SK = "exampleSecretKey0123456789abcdefghijklmn"
PROJECT_ID = "0123456789abcdef0123456789abcdef"
FROZEN = 1704164645.0  # 2024-01-02T03:04:05Z, the oracle's frozen clock


class FixedClock:
    """A clock that says what it is told."""

    def __init__(self, now: float = FROZEN) -> None:
        self.value = now

    def now(self) -> float:
        return self.value


@pytest.fixture(scope="session")
def hw_sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ModuleType]]:
    """The official SDK's signer modules, imported with HOME pointed at a throw-away directory
    (importing huaweicloudsdkcore.auth writes $HOME/.huaweicloud/application_id)."""
    home = str(tmp_path_factory.mktemp("hw-home"))
    saved = {name: os.environ.get(name) for name in ("HOME", "USERPROFILE")}
    os.environ["HOME"] = os.environ["USERPROFILE"] = home
    try:
        modules = {
            name: importlib.import_module(name)
            for name in (
                "huaweicloudsdkcore.signer.signer",
                "huaweicloudsdkcore.auth.credentials",
                "huaweicloudsdkcore.sdk_request",
            )
        }
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    yield modules


def _make_provider(**settings: Any) -> MetaStudioProvider:
    values: dict[str, Any] = {"ak": AK, "sk": SK, "project_id": PROJECT_ID, "env": {}}
    values.update(settings)
    provider = PROVIDER.create(**values)
    assert isinstance(provider, MetaStudioProvider)
    return provider


@pytest.fixture
def make_provider() -> Callable[..., MetaStudioProvider]:
    """Build a provider with the oracle's credentials, no environment, and these settings."""
    return _make_provider


@pytest.fixture
def provider() -> MetaStudioProvider:
    return _make_provider()


@pytest.fixture
def fixed_clock() -> FixedClock:
    return FixedClock()
