"""A contact phone on the on-screen keypad: 10 digits after +7, shown as they are typed."""

from __future__ import annotations

from kivy.properties import StringProperty

from kiosk.contact_phone import PHONE_DIGITS
from kiosk.i18n import _, ngettext
from screens.base import KioskScreen
from screens.kv import load_kv


def format_phone(digits: str) -> str:
    """``916123`` → ``+7 (916) 123-__-__``: what is typed, and the places still to type."""
    padded = (digits + "_" * PHONE_DIGITS)[:PHONE_DIGITS]
    return f"+7 ({padded[:3]}) {padded[3:6]}-{padded[6:8]}-{padded[8:]}"


class PhoneKeypadScreen(KioskScreen):
    """A contact phone on the keypad (10 digits after +7); ``send(digits)`` returns the problem or None."""

    keypad = True
    digits = StringProperty("")
    display = StringProperty(format_phone(""))
    subtitle = StringProperty("")
    submit_text = StringProperty("")

    def send(self, digits: str) -> str | None:
        raise NotImplementedError

    def clear(self) -> None:
        super().clear()
        self.digits = self.subtitle = ""

    def on_digits(self, _instance: object, digits: str) -> None:
        self.display = format_phone(digits)

    def press_digit(self, digit: str) -> None:
        self.error_text = ""
        if len(self.digits) < PHONE_DIGITS:
            self.digits += digit

    def press_erase(self) -> None:
        self.digits = self.digits[:-1]

    def submit(self) -> None:
        problem = self.send(self.digits)
        if problem is not None:  # shown at the field, nothing sent
            self.error_text = _(problem)

    def type_key(self, digit: str | None) -> str:
        """The digits typed are never said, only how many there are."""
        if digit is None:
            self.press_erase()
        else:
            self.press_digit(digit)
        typed = len(self.digits)
        return ngettext("%(n)d digit typed of 10", "%(n)d digits typed of 10", typed) % {"n": typed}


load_kv(__file__)
