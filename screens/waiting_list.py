"""«Лист ожидания»: the reason from a short list, then the contact phone on the keypad."""

from __future__ import annotations

from functools import partial

from kivy.properties import StringProperty

from kiosk.domain import WAITING_REASONS
from kiosk.i18n import _, ngettext
from kiosk.journeys.waiting_list import PHONE_DIGITS, REASON_LABELS
from kiosk.session.kernel import Session
from screens.base import KioskScreen
from screens.choice_list import ChoiceListScreen
from screens.kv import load_kv
from screens.moving import with_whose


def format_phone(digits: str) -> str:
    """``916123`` → ``+7 (916) 123-__-__``: what is typed, and the places still to type."""
    padded = (digits + "_" * PHONE_DIGITS)[:PHONE_DIGITS]
    return f"+7 ({padded[:3]}) {padded[3:6]}-{padded[6:8]}-{padded[8:]}"


class WaitingReasonScreen(ChoiceListScreen):
    def show(self, session: Session) -> None:
        super().show(session)
        specialty = session.waiting_list.state.specialty
        self.title = _("Waiting list: %(specialty)s") % {"specialty": specialty.name if specialty else ""}
        self.subtitle = with_whose(session, _(
            "The registry will call you when time with this specialist is free. Why are you asking?"))
        self.set_choices([(f"reason-{code}", _(REASON_LABELS[code]), partial(session.waiting_list.choose_reason, code))
                          for code in WAITING_REASONS])


class WaitingPhoneScreen(KioskScreen):
    keypad = True
    digits = StringProperty("")
    display = StringProperty(format_phone(""))
    subtitle = StringProperty("")

    def clear(self) -> None:
        super().clear()
        self.digits = self.subtitle = ""

    def show(self, session: Session) -> None:
        super().show(session)
        state = session.waiting_list.state
        reason = _(REASON_LABELS[state.reason]) if state.reason else ""
        specialty = state.specialty.name if state.specialty else ""
        self.subtitle = with_whose(session, f"{specialty}: {reason}")

    def on_digits(self, _instance: object, digits: str) -> None:
        self.display = format_phone(digits)

    def press_digit(self, digit: str) -> None:
        self.error_text = ""
        if len(self.digits) < PHONE_DIGITS:
            self.digits += digit

    def press_erase(self) -> None:
        self.digits = self.digits[:-1]

    def submit(self) -> None:
        problem = self.session.waiting_list.submit(self.digits)
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
