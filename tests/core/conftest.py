"""Lets the core tests import ``vc_fake_vendor`` (the in-test adapter beside them), and gives
the ``fake_provider`` fixture that registers it for one test only.
"""

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture
def fake_provider() -> Iterator[None]:
    import vc_fake_vendor

    vc_fake_vendor.register()
    yield
    vc_fake_vendor.unregister()
