"""Who, what, when and where, before the booking is made."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty
from kivy.utils import escape_markup

from kiosk.format import clock, long_date
from kiosk.i18n import _
from kiosk.session.kernel import Session
from screens.base import KioskScreen
from screens.kv import load_kv


class ConfirmScreen(KioskScreen):
    summary = StringProperty("")
    existing_text = StringProperty("")
    confirm_text = StringProperty("")
    #: the registry cannot book now (offline, an error the desk can solve): the session's queue-ticket
    #: offer (``Status.walk_in``) is shown here as a large button instead of the one in the navigation bar
    walk_in_offered = BooleanProperty(False)
    navbar_walk_in = False

    def clear(self) -> None:
        super().clear()
        self.summary = self.existing_text = ""
        self.walk_in_offered = False

    def show(self, session: Session) -> None:
        super().show(session)
        state, patient = session.book.state, session.patient
        moving = state.doctor is not None and state.doctor.shift_appointment_id is not None
        self.confirm_text = _("Move my appointment to this time") if moving else _("Book this time")
        self.walk_in_offered = session.status.walk_in is not None
        existing = state.existing
        self.existing_text = _("Your appointment now: %(date)s at %(time)s, cabinet %(room)s.") % {
            "date": long_date(existing.start.date()), "time": clock(existing.start), "room": existing.room,
        } if existing else ""
        if state.slot is None or state.doctor is None or patient is None:
            self.summary = ""
            return
        room = next((r for r in state.doctor.rooms if r.complex_resource_id == state.slot.complex_resource_id),
                    state.doctor.rooms[0] if state.doctor.rooms else None)
        lines = [
            (_("Patient"), patient.short_name),
            (_("Specialist"), state.specialty.name if state.specialty else state.doctor.specialty_name),
            (_("Doctor"), state.doctor.name),
            (_("Date"), long_date(state.slot.start.date())),
            (_("Time"), clock(state.slot.start)),
            (_("Cabinet"), state.slot.cabinet),
        ]
        if room is not None and room.address:
            lines.append((_("Address"), room.address))
        self.summary = "\n".join(f"[b]{escape_markup(label)}:[/b] {escape_markup(value)}" for label, value in lines)


load_kv(__file__)
