"""A focus ring for keys: a numeric or arrow keypad moves a visible ring between the buttons of whatever is
on top (the idle dialog, the busy overlay, else the screen and the bar below it); Enter presses.

The ring is drawn above everything (the window's ``canvas.after``): a thick yellow frame inside a black
one, visible on the blue buttons and on the white background alike, and it differs by shape, not only
by colour.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from kivy.clock import Clock
from kivy.graphics import Color, InstructionGroup, Line
from kivy.metrics import dp
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.scrollview import ScrollView
from kivy.uix.widget import Widget

from screens.speech import shown


def buttons_in(containers: Sequence[Widget]) -> list[Widget]:
    """Every shown, enabled button in ``containers``, in kv declaration order (top to bottom)."""
    found: list[Widget] = []

    def visit(widget: Widget) -> None:
        if isinstance(widget, ButtonBehavior):
            if not widget.disabled and shown(widget):
                found.append(widget)
            return
        for child in reversed(widget.children):
            visit(child)

    for container in containers:
        visit(container)
    return found


class FocusRing:
    """The focused button of ``containers()`` (asked anew at each key, as screens change)."""

    def __init__(self, window: Widget, containers: Callable[[], Sequence[Widget]]) -> None:
        self._window = window
        self._containers = containers
        self.focused: Widget | None = None
        self._group = InstructionGroup()
        self._outer = Line(width=dp(5))
        self._inner = Line(width=dp(2.5))
        for part in (Color(0, 0, 0, 1), self._outer, Color(1, 0.85, 0, 1), self._inner):
            self._group.add(part)
        self._event = Clock.schedule_interval(self._draw, 1 / 15)
        self._shown = False

    @property
    def visible(self) -> bool:
        """The ring is drawn on the window (a button has the focus and is on the screen)."""
        return self._shown

    def items(self) -> list[Widget]:
        return buttons_in(self._containers())

    def move(self, step: int) -> Widget | None:
        """Focus the next (``step`` 1) or previous (-1) button; from nothing, the first (or the last)."""
        items = self.items()
        if not items:
            self.clear()
            return None
        if self.focused in items:
            index = (items.index(self.focused) + step) % len(items)
        else:
            index = 0 if step > 0 else len(items) - 1
        self.focus(items[index])
        return self.focused

    def first(self) -> Widget | None:
        """Focus the first button (a new screen while the patient uses keys)."""
        self.focused = None
        return self.move(1)

    def focus(self, widget: Widget) -> None:
        self.focused = widget
        node = widget.parent
        while node is not None and isinstance(node, Widget):
            if isinstance(node, ScrollView):
                node.scroll_to(widget, padding=dp(12), animate=False)
                break
            node = node.parent
        self._draw()

    def press(self) -> Widget | None:
        """Enter: press the focused button (as a tap would: on_press, then on_release)."""
        widget = self.focused
        if widget is None or widget not in self.items():
            return None
        widget.trigger_action(duration=0)
        return widget

    def clear(self) -> None:
        self.focused = None
        self._draw()

    def close(self) -> None:
        self._event.cancel()
        self.clear()

    def _draw(self, _dt: float = 0) -> None:
        widget = self.focused
        visible = widget is not None and widget.get_root_window() is not None and shown(widget)
        if visible and widget is not None:
            x, y = widget.to_window(widget.x, widget.y)
            rect = (x + dp(4), y + dp(4), max(widget.width - dp(8), 1), max(widget.height - dp(8), 1))
            self._outer.rectangle = rect
            self._inner.rectangle = rect
        if visible and not self._shown:
            self._window.canvas.after.add(self._group)
        elif not visible and self._shown:
            self._window.canvas.after.remove(self._group)
        self._shown = visible
