"""A contact phone typed on the keypad: the 10 digits after +7 (area or mobile code first). The one rule
the waiting list and home visits share."""

from __future__ import annotations

from kiosk.i18n import N_

#: digits after +7
PHONE_DIGITS = 10
PHONE_INCOMPLETE = N_("Type all 10 digits of the phone number after +7.")
PHONE_NOT_RUSSIAN = N_("A phone number after +7 starts with 3, 4, 8 or 9. Please check it.")


def phone_problem(digits: str) -> str | None:
    """What is wrong with the typed phone (msgid), or None."""
    if len(digits) != PHONE_DIGITS or not (digits.isascii() and digits.isdigit()):
        return PHONE_INCOMPLETE
    if digits[0] not in "3489":
        return PHONE_NOT_RUSSIAN
    return None
