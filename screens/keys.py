"""Which key does what, as on accessible terminals' keypads (SDL key codes as Kivy gives them).

- arrows, Tab / Shift+Tab, and on screens without a keypad the number pad's 8 2 4 6: move the focus;
- Enter (either): press the focused button;
- digits (the top row, and the number pad on the keypad screen): type; Backspace erases;
- ``*``: speech on or off; the number pad's 5 (off the keypad screen) or ``.``: say the screen again.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence


class Action(enum.Enum):
    NEXT = "next"
    PREVIOUS = "previous"
    PRESS = "press"
    DIGIT = "digit"
    ERASE = "erase"
    TOGGLE_SPEECH = "toggle_speech"
    REPEAT = "repeat"


UP, DOWN, RIGHT, LEFT = 273, 274, 275, 276
TAB, ENTER, KEYPAD_ENTER, BACKSPACE = 9, 13, 271, 8
KEYPAD_DIGITS = {256 + n: str(n) for n in range(10)}  # numpad0 .. numpad9
KEYPAD_MULTIPLY, KEYPAD_PERIOD = 268, 266
_KEYPAD_MOVES = {264: Action.PREVIOUS, 258: Action.NEXT, 260: Action.PREVIOUS, 262: Action.NEXT}


def key_action(key: int, codepoint: str | None, modifiers: Sequence[str],
               typing: bool) -> tuple[Action, str] | None:
    """The action of one key, with the digit for ``DIGIT``; ``typing``: the screen has a keypad."""
    if key in (UP, LEFT):
        return Action.PREVIOUS, ""
    if key in (DOWN, RIGHT):
        return Action.NEXT, ""
    if key == TAB:
        return (Action.PREVIOUS if "shift" in modifiers else Action.NEXT), ""
    if key in (ENTER, KEYPAD_ENTER):
        return Action.PRESS, ""
    if key == KEYPAD_MULTIPLY or codepoint == "*":
        return Action.TOGGLE_SPEECH, ""
    if key == KEYPAD_PERIOD:
        return Action.REPEAT, ""
    if key in KEYPAD_DIGITS:
        if typing:
            return Action.DIGIT, KEYPAD_DIGITS[key]
        if key == 261:
            return Action.REPEAT, ""
        move = _KEYPAD_MOVES.get(key)
        return (move, "") if move is not None else None
    if typing and codepoint is not None and len(codepoint) == 1 and codepoint.isdigit() and codepoint.isascii():
        return Action.DIGIT, codepoint
    if typing and key == BACKSPACE:
        return Action.ERASE, ""
    return None
