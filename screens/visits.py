"""The patient's upcoming appointments, each with what can be done with it."""

from __future__ import annotations

from collections.abc import Callable

from kivy.factory import Factory
from kivy.properties import StringProperty
from kivy.uix.widget import Widget

from kiosk.domain import Appointment, HomeVisit, PastVisit, WaitingListEntry
from kiosk.format import clock, long_date
from kiosk.i18n import N_, _
from kiosk.journeys.waiting_list import REASON_LABELS
from kiosk.offline.notice import offline_note
from kiosk.session.kernel import Session
from kiosk.tickets.home_visit import EXPECTED_WHEN
from screens.base import KioskScreen
from screens.kv import load_kv


def describe(visit: Appointment) -> str:
    what = ", ".join(part for part in (visit.specialty_name, visit.doctor_name) if part)
    when = f"{long_date(visit.start.date())}, {clock(visit.start)}"
    where = _("cabinet %(room)s") % {"room": visit.room}
    return f"{what}\n{when}\n{where}"


PAST_STATUSES = {"VISITED": N_("The visit took place"), "NO_SHOW": N_("The patient did not come"),
                 "CANCELLED_BY_PATIENT": N_("Cancelled by the patient"),
                 "CANCELLED_BY_CLINIC": N_("Cancelled by the polyclinic")}
HOME_STATUSES = {"PENDING": N_("The doctor will come"), "DONE": N_("The doctor came"),
                 "CANCELLED": N_("Cancelled")}


def describe_home(visit: HomeVisit) -> str:
    when = _(EXPECTED_WHEN) % {"day": long_date(visit.expected_from.date()), "start": clock(visit.expected_from),
                               "end": clock(visit.expected_to)}
    return "\n".join(line for line in (_("Home visit no. %(number)s") % {"number": visit.visit_id}, when,
                                        visit.address, _(HOME_STATUSES.get(visit.status, visit.status))) if line)


class VisitsScreen(KioskScreen):
    notice_text = StringProperty("")
    cancel_text = StringProperty("")
    #: «Нет связи с регистратурой…: список может быть неполным» when the list came from the offline cache
    offline_text = StringProperty("")

    def clear(self) -> None:
        super().clear()
        self.notice_text = self.cancel_text = self.offline_text = ""
        self.ids.rows.clear_widgets()

    def show(self, session: Session) -> None:
        super().show(session)
        state = session.visits.state
        self.offline_text = offline_note(session.registry)
        self.notice_text = _(state.notice) if state.notice else ""
        asked = state.cancel_asked
        self.cancel_text = _("Cancel this appointment?") + "\n" + describe(asked) if asked else ""
        if state.cancel_home_asked is not None:
            self.cancel_text = _("Cancel the home visit?") + "\n" + describe_home(state.cancel_home_asked)
        rows = self.ids.rows
        rows.clear_widgets()
        for visit in state.visits:
            rows.add_widget(self._row(visit))
        for entry in state.waiting:
            rows.add_widget(self._waiting_row(entry))
        for home in state.home_visits:
            rows.add_widget(self._home_row(home))
        for past in state.past:
            rows.add_widget(self._past_row(past))

    def _past_row(self, visit: PastVisit) -> Widget:
        """A visit of the last 30 days with its status; a no-show says what to do and offers the desk's ticket."""
        row = Factory.VisitRow()
        row.test_id = f"past-{visit.appointment_id}"
        what = ", ".join(part for part in (visit.specialty_name, visit.doctor_name) if part)
        lines = [f"{long_date(visit.start.date())}, {clock(visit.start)}", what,
                 _(PAST_STATUSES.get(visit.status, visit.status)), visit.note]
        if visit.status == "NO_SHOW":
            lines.append(_("If you were at the appointment, please ask at the registry desk."))
            button = Factory.BigButton(text=_("Queue ticket"), font_size="34sp")
            button.test_id = f"no-show-ticket-{visit.appointment_id}"
            button.bind(on_release=lambda _b: self.session.visits.no_show_ticket())
            row.ids.buttons.add_widget(button)
        else:
            row.ids.buttons.height = 0
        row.text = "\n".join(line for line in lines if line)
        return row

    def _home_row(self, visit: HomeVisit) -> Widget:
        """A home-visit request: when the doctor is expected and its status; a pending one can be cancelled."""
        row = Factory.VisitRow()
        row.test_id = f"home-{visit.visit_id}"
        row.text = describe_home(visit)
        if visit.pending:
            button = Factory.BigButton(text=_("Cancel the home visit"), font_size="34sp")
            button.test_id = f"cancel-home-{visit.visit_id}"
            button.bind(on_release=lambda _b, vid=visit.visit_id: self.session.visits.ask_cancel_home_visit(vid))
            row.ids.buttons.add_widget(button)
        else:
            row.ids.buttons.height = 0
        return row

    @staticmethod
    def _waiting_row(entry: WaitingListEntry) -> Widget:
        """A waiting-list request: what, why and the phone the registry calls (its last digits only)."""
        row = Factory.VisitRow()
        row.test_id = f"waiting-{entry.entry_id}"
        row.text = "\n".join([
            _("Waiting list: %(specialty)s") % {"specialty": entry.specialty_name},
            _(REASON_LABELS.get(entry.reason, entry.reason)),
            _("The registry will call you on the number ending in %(tail)s when time is free.")
            % {"tail": entry.phone_tail},
        ])
        row.ids.buttons.height = 0
        return row

    def _row(self, visit: Appointment) -> Widget:
        row = Factory.VisitRow()  # kv's own properties can only be set after construction
        row.text = describe(visit) + ("\n" + _("Arrival confirmed") if visit.checked_in else "")
        visits = self.session.visits
        actions: list[tuple[str, str, Callable[[int], None]]] = []
        if visits.can_check_in(visit):
            actions.append(("arrived", _("I have arrived"), visits.check_in))
        actions.append(("ticket", _("Ticket"), visits.reprint))
        if visits.can_change(visit):  # once the arrival is marked, only the ticket again
            if visit.can_reschedule:
                actions.append(("move", _("Move"), visits.move))
            actions.append(("cancel", _("Cancel"), visits.ask_cancel))
        for name, text, action in actions:
            button = Factory.BigButton(text=text, font_size="34sp")
            button.test_id = f"{name}-{visit.appointment_id}"
            button.bind(on_release=lambda _b, act=action, vid=visit.appointment_id: act(vid))
            row.ids.buttons.add_widget(button)
        return row

    def button(self, test_id: str) -> Widget:
        """The button with this test id (for tests and the walk-through)."""
        for row in self.ids.rows.children:
            for widget in row.ids.buttons.children:
                if getattr(widget, "test_id", None) == test_id:
                    return widget
        raise LookupError(test_id)


load_kv(__file__)
