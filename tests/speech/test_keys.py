"""Which key does what: arrows and Tab move, Enter presses, digits type only on the keypad screen."""

from __future__ import annotations

from screens.keys import (
    BACKSPACE,
    DOWN,
    ENTER,
    KEYPAD_ENTER,
    KEYPAD_MULTIPLY,
    TAB,
    UP,
    Action,
    key_action,
)


def test_moves_and_press() -> None:
    assert key_action(DOWN, None, [], typing=False) == (Action.NEXT, "")
    assert key_action(UP, None, [], typing=True) == (Action.PREVIOUS, "")
    assert key_action(TAB, None, ["shift"], typing=False) == (Action.PREVIOUS, "")
    assert key_action(ENTER, None, [], typing=False) == (Action.PRESS, "")
    assert key_action(KEYPAD_ENTER, None, [], typing=True) == (Action.PRESS, "")
    assert key_action(KEYPAD_MULTIPLY, "*", [], typing=False) == (Action.TOGGLE_SPEECH, "")


def test_the_number_pad_types_on_the_keypad_screen_and_moves_elsewhere() -> None:
    assert key_action(264, "8", [], typing=True) == (Action.DIGIT, "8")
    assert key_action(264, None, [], typing=False) == (Action.PREVIOUS, "")
    assert key_action(258, None, [], typing=False) == (Action.NEXT, "")
    assert key_action(261, None, [], typing=False) == (Action.REPEAT, "")
    assert key_action(ord("7"), "7", [], typing=True) == (Action.DIGIT, "7")
    assert key_action(ord("7"), "7", [], typing=False) is None
    assert key_action(BACKSPACE, None, [], typing=True) == (Action.ERASE, "")
    assert key_action(ord("a"), "a", [], typing=True) is None
    assert key_action(ord("٣"), "٣", [], typing=True) is None  # a digit, but not one the keypad has
