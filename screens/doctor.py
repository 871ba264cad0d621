"""Step 2 of booking: which doctor (only those with free time can be chosen)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from kiosk.format import short_date
from kiosk.i18n import _
from kiosk.session.kernel import Session
from screens.choice_list import ChoiceListScreen
from screens.moving import moving_line, with_whose


class DoctorScreen(ChoiceListScreen):
    def show(self, session: Session) -> None:
        super().show(session)
        state = session.book.state
        self.title = state.specialty.name if state.specialty else ""
        bookable = [d for d in state.doctors if d.bookable]
        # one tap for the earliest time: when booking by specialty (referrals and moves list their own doctors)
        by_specialty = state.by_specialty
        self.action_text = _("Nearest free time with any doctor") if bookable and by_specialty else ""
        if session.book.offers_duty_doctor():
            self.action_text = _("Queue ticket to the duty doctor today")
        self.subtitle = _("Choose a doctor") if bookable else _(
            "There is no free time with these doctors now. The registry desk will help: take a queue ticket.")
        if state.moving is not None:
            self.subtitle = moving_line(state.moving) + "\n" + self.subtitle
        choices: list[tuple[str, str, Callable[[], None]]] = []
        for doctor in bookable:
            room = doctor.rooms[0]
            details = _("cabinet %(room)s") % {"room": room.number}
            if room.nearest_date is not None:
                details += " · " + _("from %(date)s") % {"date": short_date(room.nearest_date)}
            choices.append((f"doctor-{doctor.resource_id}", f"{doctor.name}\n{details}",
                            partial(session.book.choose_doctor, doctor.resource_id)))
        if session.book.offers_waiting_list():  # the registry calls back when time is free
            choices.append(("waiting-list", _("Waiting list: the registry will call you back"),
                            session.book.join_waiting_list))
        self.subtitle = with_whose(session, self.subtitle)
        self.set_choices(choices)

    def on_action(self) -> None:
        if self.session.book.offers_duty_doctor():
            self.session.book.duty_doctor_ticket()
        else:
            self.session.book.choose_nearest()
