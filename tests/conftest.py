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
