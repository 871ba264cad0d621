"""«Лист ожидания»: the reason from a short list, then the contact phone on the keypad."""

from __future__ import annotations

from functools import partial

from kiosk.domain import WAITING_REASONS
from kiosk.i18n import _
from kiosk.journeys.waiting_list import REASON_LABELS
from kiosk.session.kernel import Session
from screens.choice_list import ChoiceListScreen
from screens.moving import with_whose
from screens.phone_keypad import PhoneKeypadScreen


class WaitingReasonScreen(ChoiceListScreen):
    def show(self, session: Session) -> None:
        super().show(session)
        specialty = session.waiting_list.state.specialty
        self.title = _("Waiting list: %(specialty)s") % {"specialty": specialty.name if specialty else ""}
        self.subtitle = with_whose(session, _(
            "The registry will call you when time with this specialist is free. Why are you asking?"))
        self.set_choices([(f"reason-{code}", _(REASON_LABELS[code]), partial(session.waiting_list.choose_reason, code))
                          for code in WAITING_REASONS])


class WaitingPhoneScreen(PhoneKeypadScreen):
    def show(self, session: Session) -> None:
        super().show(session)
        state = session.waiting_list.state
        reason = _(REASON_LABELS[state.reason]) if state.reason else ""
        specialty = state.specialty.name if state.specialty else ""
        self.subtitle = with_whose(session, f"{specialty}: {reason}")
        self.submit_text = _("Put me on the list")

    def send(self, digits: str) -> str | None:
        return self.session.waiting_list.submit(digits)


