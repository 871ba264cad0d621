"""The ticket of a home-visit request: its number and when the doctor is expected (no address, policy
or birth date: the patient may leave it behind)."""

from __future__ import annotations

from datetime import datetime

from devices.printer.document import Cut, Document, Feed, Rule
from kiosk.domain import HomeVisit
from kiosk.format import clock, long_date
from kiosk.i18n import N_, _
from kiosk.tickets.layout import _Builder, _printed_line
from kiosk.tickets.sanitize import clean_text

TITLE = N_("HOME VISIT")
NUMBER = N_("Request number")
PATIENT = N_("Patient")
EXPECTED = N_("The doctor is expected")
EXPECTED_WHEN = N_("%(day)s, from %(start)s to %(end)s")
STAY_HOME = N_("Please stay at home and keep your phone on: the doctor may call before coming.")


def home_visit_document(visit: HomeVisit, patient_name: str, kiosk_id: str, now: datetime,
                        columns: int = 48) -> Document:
    b = _Builder(columns)
    b.big(_(TITLE))
    b.add(Feed(1))
    b.lines(_(NUMBER), align="center")
    b.big(str(visit.visit_id), size=3 if columns >= 40 else 2)
    b.add(Feed(1))
    b.field(_(PATIENT), clean_text(patient_name))
    b.field(_(EXPECTED), _(EXPECTED_WHEN) % {"day": long_date(visit.expected_from.date()),
                                              "start": clock(visit.expected_from), "end": clock(visit.expected_to)})
    b.lines(_(STAY_HOME))
    b.add(Rule())
    _printed_line(b, kiosk_id, now.strftime("%d.%m.%Y ") + clock(now))
    b.add(Cut())
    return b.document()
