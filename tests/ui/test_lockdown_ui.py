"""Lockdown on the real window: Esc, Alt+F4 and the compositor's close are refused, F1 opens no settings
panel and Ctrl+E no inspector, a two-finger tap fires one action; only the kiosk's own stop closes it."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.ui


def test_the_window_refuses_to_close_and_no_panel_opens(pilot: Any) -> None:
    from kivy.core.window import Window

    assert Window.dispatch("on_request_close") is True  # Alt+F4, the compositor's close button
    assert Window.dispatch("on_request_close", source="keyboard") is True  # Esc
    for key, modifiers in ((27, []), (282, []), (101, ["ctrl"])):  # Esc, F1 (settings), Ctrl+E (inspector)
        assert Window.dispatch("on_keyboard", key, 0, None, modifiers) is True
    pilot.pump(3)
    assert pilot.app.open_settings() is False
    assert pilot.app._app_settings is None
    assert not [w for w in Window.children if type(w).__name__ in ("Settings", "Inspector")]
    pilot.app.stopping = True  # what App.stop() sets: now the window may close
    assert not Window.dispatch("on_request_close")
    pilot.app.stopping = False


def test_a_two_finger_tap_fires_one_action(pilot: Any) -> None:
    from screens.pilot import Finger

    welcome = pilot.screen("welcome")
    start, language = welcome.button("errand-book"), welcome.ids.language
    first = Finger(*start.to_window(*start.center))
    second = Finger(*language.to_window(*language.center))
    first.down()
    second.down()
    pilot.pump(1)
    second.up()
    first.up()
    pilot.pump(3)
    assert pilot.app.session.language == "ru"  # the second finger's button did nothing
    pilot.wait_step("identify")  # the first finger's did


def test_the_window_config_is_locked() -> None:
    from kivy.config import Config

    from kiosk.app.lockdown_config import lock_config

    saved = {key: Config.get(section, key) for section, key in (("graphics", "borderless"),
                                                                 ("graphics", "show_cursor"),
                                                                 ("graphics", "fullscreen"))}
    try:
        lock_config(fullscreen=True)
        assert Config.get("graphics", "borderless") == "1"
        assert Config.get("graphics", "show_cursor") == "0"
        assert Config.get("graphics", "fullscreen") == "auto"
        assert Config.get("kivy", "exit_on_escape") == "0"
        assert "disable_multitouch" in Config.get("input", "mouse")
        assert not (Config.has_section("modules") and Config.options("modules"))
    finally:
        for key, value in saved.items():
            Config.set("graphics", key, value)
