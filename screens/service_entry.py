"""The hidden entry: a finger held still in one corner of the screen for ``seconds`` calls ``action``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kivy.clock import Clock
from kivy.metrics import dp
from kivy.uix.widget import Widget

CORNER_SIZE = 120  # dp: a square a finger finds without looking, away from every button


def in_corner(widget: Widget, corner: str, x: float, y: float) -> bool:
    size = dp(CORNER_SIZE)
    left, bottom = widget.x, widget.y
    right, top = widget.right, widget.top
    horizontal = x <= left + size if corner.endswith("left") else x >= right - size
    vertical = y >= top - size if corner.startswith("top") else y <= bottom + size
    return horizontal and vertical


def watch_corner(widget: Widget, corner: str, seconds: float, action: Callable[[], None]) -> None:
    held: dict[int, Any] = {}

    def down(_widget: Widget, touch: Any) -> bool:
        if in_corner(widget, corner, touch.x, touch.y):
            held[touch.uid] = Clock.schedule_once(lambda _dt: fire(touch.uid), seconds)
        return False

    def fire(uid: int) -> None:
        if held.pop(uid, None) is not None:
            action()

    def up(_widget: Widget, touch: Any) -> bool:
        event = held.pop(touch.uid, None)
        if event is not None:
            event.cancel()
        return False

    def move(_widget: Widget, touch: Any) -> bool:
        if touch.uid in held and not in_corner(widget, corner, touch.x, touch.y):
            held.pop(touch.uid).cancel()
        return False

    widget.bind(on_touch_down=down, on_touch_up=up, on_touch_move=move)
