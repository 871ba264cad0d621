"""What a screen says aloud, read from the widgets every screen already has.

A screen's *intro* is the text of its labels outside buttons and scrolled lists — the title, the prompt,
the error — in the order the .kv declares them (top to bottom). A *choice* is a button's text, after the
text of the row it sits in (a widget with a non-empty ``text`` of its own that is not a label, such as an
appointment row). A screen may override ``KioskScreen.spoken_intro`` / ``spoken_choice`` (the identify
screen does, so the typed policy number and birth date are never said). ``kiosk.speech`` masks every
long number again before it is spoken.
"""

from __future__ import annotations

from collections.abc import Iterator

from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.label import Label
from kivy.uix.scrollview import ScrollView
from kivy.uix.widget import Widget


def shown(widget: Widget) -> bool:
    """Visible to a patient: not transparent, not collapsed to nothing."""
    node: Widget | None = widget
    while node is not None and isinstance(node, Widget):
        if node.opacity <= 0.01:
            return False
        node = node.parent
    return widget.width > 1 and widget.height > 1


def _labels(widget: Widget) -> Iterator[Label]:
    if isinstance(widget, (ButtonBehavior, ScrollView)):
        return
    if isinstance(widget, Label):
        yield widget
    for child in reversed(widget.children):  # kv declaration order
        yield from _labels(child)


def intro_lines(widget: Widget) -> list[str]:
    """The texts of the shown labels outside buttons and scrolled lists, top to bottom."""
    return [label.text for label in _labels(widget) if label.text.strip() and shown(label)]


def choice_text(widget: Widget, stop: Widget | None = None) -> str:
    """What a button says: its row's text (if any), then its own text (or its labels' texts)."""
    own = getattr(widget, "text", "") or " ".join(
        child.text for child in widget.walk(restrict=True) if isinstance(child, Label) and child.text)
    node = widget.parent
    while node is not None and node is not stop and isinstance(node, Widget):
        context = getattr(node, "text", "")
        if isinstance(context, str) and context.strip() and not isinstance(node, (Label, ButtonBehavior)):
            return f"{context}. {own}"
        node = node.parent
    return str(own)
