"""The line the move screens show: which time is being moved."""

from __future__ import annotations

from kiosk.domain import Appointment
from kiosk.format import clock, weekday_date
from kiosk.i18n import _


def moving_line(visit: Appointment) -> str:
    """«Сейчас: пт, 4 декабря, 14:40 → новое время» while an appointment is being moved."""
    return _("Now: %(when)s → new time") % {"when": f"{weekday_date(visit.start.date())}, {clock(visit.start)}"}
