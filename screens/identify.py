"""Typed identification: the policy number and the birth date on an on-screen keypad."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.widget import Widget

from kiosk.i18n import _, ngettext
from kiosk.scan_messages import NUMBER_SCANNED
from kiosk.session.kernel import Session
from kiosk.speech.privacy import sentences
from kiosk.typed_identity import POLICY_DIGITS
from screens.base import KioskScreen
from screens.kv import load_kv

BIRTH_DIGITS = 8


def group_policy(digits: str) -> str:
    """``7700123`` → ``7700 123_ ____ ____``: the layout printed on the policy itself."""
    padded = digits.ljust(POLICY_DIGITS, "_")
    return " ".join(padded[i:i + 4] for i in range(0, POLICY_DIGITS, 4))


def mask_birth(digits: str) -> str:
    """``120419`` → ``12.04.19__``; the mask shows where the next digit goes."""
    template = "ДД.ММ.ГГГГ"
    out, used = [], 0
    for char in template:
        if char == ".":
            out.append(".")
        elif used < len(digits):
            out.append(digits[used])
            used += 1
        else:
            out.append(char)
    return "".join(out)


class IdentifyScreen(KioskScreen):
    keypad = True
    field = StringProperty("policy")
    policy_digits = StringProperty("")
    birth_digits = StringProperty("")
    policy_display = StringProperty(group_policy(""))
    policy_hint = StringProperty("")
    birth_display = StringProperty(mask_birth(""))
    walk_in_offered = BooleanProperty(False)
    navbar_walk_in = False  # the keypad has its own, larger button
    #: the scanned policy number already put into the field (so a redraw does not undo the patient's edits)
    _scanned: str | None = None

    def show(self, session: Session) -> None:
        super().show(session)
        state = session.identify.state
        self.walk_in_offered = state.walk_in_reason is not None or session.status.walk_in is not None
        if state.scanned_policy and state.scanned_policy != self._scanned:
            self._scanned = state.scanned_policy
            self.policy_digits, self.birth_digits, self.field = state.scanned_policy, "", "birth"
            self.policy_hint = _(NUMBER_SCANNED)

    def clear(self) -> None:
        super().clear()
        self.walk_in_offered = False
        self._scanned = None
        self.press_clear_all()

    # -- keypad ----------------------------------------------------------------------------------

    def select_field(self, name: str) -> None:
        self.field = name

    def press_digit(self, digit: str) -> None:
        self.error_text = ""
        if self.field == "policy":
            if len(self.policy_digits) < POLICY_DIGITS:
                self.policy_digits += digit
            if len(self.policy_digits) == POLICY_DIGITS and len(self.birth_digits) < BIRTH_DIGITS:
                self.field = "birth"
        elif len(self.birth_digits) < BIRTH_DIGITS:
            self.birth_digits += digit

    def press_erase(self) -> None:
        if self.field == "policy":
            self.policy_digits = self.policy_digits[:-1]
        elif self.birth_digits:
            self.birth_digits = self.birth_digits[:-1]
        else:
            self.field = "policy"

    def press_clear(self) -> None:
        if self.field == "policy":
            self.policy_digits = ""
        else:
            self.birth_digits = ""

    def press_clear_all(self) -> None:
        self.policy_digits = ""
        self.birth_digits = ""
        self.field = "policy"
        self.error_text = ""

    def on_policy_digits(self, _instance: object, digits: str) -> None:
        self.policy_display = group_policy(digits)
        left = POLICY_DIGITS - len(digits)
        self.policy_hint = (
            ngettext("%(n)d digit left", "%(n)d digits left", left) % {"n": left} if left else ""
        )

    def on_birth_digits(self, _instance: object, digits: str) -> None:
        self.birth_display = mask_birth(digits)

    def submit(self) -> None:
        result = self.session.identify.submit_typed(self.policy_digits, self.birth_digits)
        if result is not None and result.problem is not None:  # shown at the field, nothing sent
            self.error_text = _(result.problem)
            self.field = result.field or self.field

    # -- speech: what was typed is never said, only how much of it there is ---------------------

    def spoken_field(self, name: str) -> str:
        if name == "policy":
            left = POLICY_DIGITS - len(self.policy_digits)
            state = self.policy_hint if left else _("all digits typed")
            return f"{_('Policy number (16 digits)')}. {state}"
        typed = len(self.birth_digits)
        return f"{_('Birth date (day, month, year)')}. " + (
            ngettext("%(n)d digit typed of 8", "%(n)d digits typed of 8", typed) % {"n": typed})

    def spoken_intro(self) -> str:
        # what is asked, not how much is typed: the intro is not said again at every digit
        return sentences([super().spoken_intro(), _("Policy number (16 digits)"), _("Birth date (day, month, year)")])

    def spoken_choice(self, widget: Widget) -> str:
        if widget is self.ids.policy_field.__self__:  # ids are weak proxies
            return self.spoken_field("policy")
        if widget is self.ids.birth_field.__self__:
            return self.spoken_field("birth")
        return super().spoken_choice(widget)

    def type_key(self, digit: str | None) -> str:
        before = self.field
        if digit is None:
            self.press_erase()
        else:
            self.press_digit(digit)
        said = self.spoken_field(before)
        return said if self.field == before else f"{said}. {self.spoken_field(self.field)}"


load_kv(__file__)
