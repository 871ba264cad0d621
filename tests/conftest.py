"""Test-wide set-up. Kivy's environment must be set before anything imports kivy."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("KIVY_HOME", tempfile.mkdtemp(prefix="kivy-home-"))
os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_NO_FILELOG", "1")
os.environ.setdefault("KIVY_NO_CONFIG", "1")
os.environ.setdefault("KIVY_USE_DEFAULTCONFIG", "1")
os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
# UI tests use a 540x960 window, half the kiosk's 1080x1920 panel: halve dp/sp to keep the same layout
os.environ.setdefault("KIVY_METRICS_DENSITY", "0.5")
if not os.environ.get("DISPLAY"):
    os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")

from kiosk.i18n import set_language

set_language("ru")


# -- time: one pinned instant for the whole suite (tests/pinned.py) ----------------------------------

import pytest  # noqa: E402

from kiosk.clock import TEST_NOW_VARIABLE, ManualClock  # noqa: E402
from tests.pinned import TEST_NOW  # noqa: E402

# every kiosk a test starts as a process (the run command, the CLI) runs at the same instant
os.environ[TEST_NOW_VARIABLE] = TEST_NOW.isoformat()


@pytest.fixture
def clock() -> ManualClock:
    """The kiosk's clock (and its demo registry's), standing at TEST_NOW until a test moves it."""
    return ManualClock(TEST_NOW)
