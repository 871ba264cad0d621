"""No way out of the kiosk for a patient: what the window and the app refuse (the window's settings,
set before it exists, are ``kiosk.app.lockdown_config``).

- ``lock_app(root, stopping, fullscreen)``, once the app is built: the window refuses to close (Esc, Alt+F4, the
  compositor's close) unless the kiosk itself is stopping; F1 (Kivy's settings panel), Esc and the
  inspector's Ctrl+E are swallowed; a second finger while one is down is ignored, so a two-finger tap
  fires one action.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kivy.uix.widget import Widget

ESCAPE, F1, KEY_E = 27, 282, 101
SWALLOWED_KEYS = frozenset({ESCAPE, F1})


def refuse_close(stopping: Callable[[], bool]) -> Callable[..., bool]:
    def on_request_close(*_args: Any, **_kwargs: Any) -> bool:
        return not stopping()  # True = handled: the window stays

    return on_request_close


def swallow_keys(_window: Any, key: int, _scancode: int, _codepoint: str | None, modifiers: list[str]) -> bool:
    return key in SWALLOWED_KEYS or (key == KEY_E and "ctrl" in modifiers)


def one_finger(root: Widget) -> None:
    """While one finger is down, every other touch is swallowed (down, move and up)."""
    active: set[Any] = set()
    swallowed: set[Any] = set()

    def down(_widget: Widget, touch: Any) -> bool:
        if active:
            swallowed.add(touch.uid)
            return True
        active.add(touch.uid)
        return False

    def move(_widget: Widget, touch: Any) -> bool:
        return touch.uid in swallowed

    def up(_widget: Widget, touch: Any) -> bool:
        active.discard(touch.uid)
        if touch.uid in swallowed:
            swallowed.discard(touch.uid)
            return True
        return False

    root.bind(on_touch_down=down, on_touch_move=move, on_touch_up=up)


def lock_app(root: Widget, stopping: Callable[[], bool], fullscreen: bool) -> Callable[[], None]:
    """Lock the window and ``root``; the returned function takes the window's bindings off again (the
    window outlives an app: the UI tests build many on one)."""
    from kivy.core.window import Window  # the window exists by now (the app is being built)

    bindings = [("on_request_close", Window.fbind("on_request_close", refuse_close(stopping))),
                ("on_keyboard", Window.fbind("on_keyboard", swallow_keys))]
    if fullscreen:
        Window.show_cursor = False
    one_finger(root)

    def unlock() -> None:
        for event, uid in bindings:
            Window.unbind_uid(event, uid)

    return unlock
