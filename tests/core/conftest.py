"""Lets the core tests import ``vc_fake_vendor`` (the in-test adapter beside them)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
