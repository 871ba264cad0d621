"""Lines the booking screens show: whose appointment it is, and which time is being moved."""

from __future__ import annotations

from kiosk.domain import Appointment
from kiosk.format import clock, weekday_date
from kiosk.i18n import _
from kiosk.session.kernel import Session


def moving_line(visit: Appointment) -> str:
    """«Сейчас: пт, 4 декабря, 14:40 → новое время» while an appointment is being moved."""
    return _("Now: %(when)s → new time") % {"when": f"{weekday_date(visit.start.date())}, {clock(visit.start)}"}


def whose(session: Session) -> str:
    """«Запись для: Смирнов М. А.» (a parent booking a child sees the child's name at every step)."""
    return _("Appointment for: %(name)s") % {"name": session.patient.short_name} if session.patient else ""


def with_whose(session: Session, text: str) -> str:
    return "\n".join(line for line in (whose(session), text) if line)
