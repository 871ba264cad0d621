"""The booking is made: the ticket (printed, or shown here when it could not be printed).

The screen says whether the ticket is on paper: printed (the printer confirmed it), not
confirmed (shown here too, «Если талон не вышел, сфотографируйте его») or not printed.
"""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from kiosk.domain import HomeVisit, WaitingListEntry
from kiosk.format import clock, long_date
from kiosk.i18n import N_, _
from kiosk.journeys.waiting_list import REASON_LABELS
from kiosk.session.journey import Done, Receipt
from kiosk.session.kernel import Session
from kiosk.ticket_desk import TAKE_TICKET
from kiosk.tickets.home_visit import EXPECTED, EXPECTED_WHEN
from kiosk.tickets.outcome import PAPER_NOTES, Delivery
from screens.base import KioskScreen
from screens.kv import load_kv

TITLES = {
    Done.BOOKED: N_("You are booked"),
    Done.MOVED: N_("Your appointment is moved"),
    Done.CHECKED_IN: N_("Your arrival is confirmed"),
    Done.CHECK_IN_QUEUED: N_("Accepted: your arrival will be passed on to the registry"),
    Done.REPRINT: N_("Your ticket"),
}


class DoneScreen(KioskScreen):
    title = StringProperty("")
    can_do_more = BooleanProperty(False)
    summary = StringProperty("")
    ticket_image = StringProperty("")
    ticket_state = StringProperty("")  # whether the ticket is on paper
    ticket_message = StringProperty("")  # what the patient should do about it
    ticket_printed = BooleanProperty(False)

    def clear(self) -> None:
        super().clear()
        self.title = self.summary = self.ticket_image = self.ticket_state = self.ticket_message = ""
        self.can_do_more = self.ticket_printed = False

    def show(self, session: Session) -> None:
        super().show(session)
        self.can_do_more = session.patient is not None
        receipt = session.receipt
        if receipt is None:  # the final screen always has a receipt, but never show a stale one
            self.clear()
            return
        if receipt.done is Done.WALK_IN:
            self.show_walk_in(receipt)
            return
        if receipt.waiting is not None:
            self.show_waiting(receipt.waiting)
            return
        if receipt.home_visit is not None:
            self.show_home_visit(receipt, receipt.home_visit)
            return
        self.title = _(TITLES[receipt.done])
        appointment = receipt.appointment
        if appointment is None:  # a check-in by ticket whose details were not read, or queued offline
            self.summary = _(receipt.notice) if receipt.notice else ""
            self.show_ticket(receipt)
            return
        self.summary = "\n".join([
            f"{appointment.specialty_name}, {appointment.doctor_name}".strip(", "),
            f"{long_date(appointment.start.date())}, {clock(appointment.start)}",
            _("cabinet %(room)s") % {"room": appointment.room},
            _("Appointment number: %(number)s") % {"number": receipt.booking.appointment_number
                                                    if receipt.booking else appointment.appointment_id},
        ] + ([_(receipt.notice)] if receipt.notice else []))
        self.show_ticket(receipt)

    def show_walk_in(self, receipt: Receipt) -> None:
        self.title = _("Your number: %(number)s") % {"number": receipt.walk_in_number}
        self.summary = _("Please wait until the registry desk calls your number.")
        self.show_ticket(receipt)

    def show_waiting(self, entry: WaitingListEntry) -> None:
        """On the waiting list: nothing is printed; the screen says what happens next."""
        self.title = _("You are on the waiting list")
        self.summary = "\n".join([
            entry.specialty_name, _(REASON_LABELS.get(entry.reason, entry.reason)),
            _("Request number: %(number)s") % {"number": entry.entry_id},
            _("The registry will call you on the number ending in %(tail)s when time is free.")
            % {"tail": entry.phone_tail},
            _("You can see the request in «My appointments»."),
        ])
        self.ticket_image = self.ticket_state = self.ticket_message = ""
        self.ticket_printed = False

    def show_home_visit(self, receipt: Receipt, visit: HomeVisit) -> None:
        self.title = _("The doctor is called home")
        self.summary = "\n".join([
            _("Request number: %(number)s") % {"number": visit.visit_id},
            _(EXPECTED) + ": " + _(EXPECTED_WHEN) % {"day": long_date(visit.expected_from.date()),
                                                    "start": clock(visit.expected_from),
                                                    "end": clock(visit.expected_to)},
            _("You can cancel the request in «My appointments»."),
        ])
        self.show_ticket(receipt)

    def show_ticket(self, receipt: Receipt) -> None:
        ticket = receipt.ticket
        self.ticket_image = str(ticket.image) if ticket and ticket.image else ""
        self.ticket_printed = ticket is not None and ticket.printed
        by_ticket_qr = ticket is None and receipt.done is Done.CHECKED_IN  # the patient holds the ticket
        self.ticket_state = "" if by_ticket_qr else _(PAPER_NOTES[ticket.delivery if ticket else Delivery.NOT_PRINTED])
        if by_ticket_qr:
            self.ticket_message = ""
        elif ticket is None:
            self.ticket_message = _("The ticket could not be made. Please ask at the registry desk.")
        elif ticket.message:
            self.ticket_message = _(ticket.message)
        else:
            self.ticket_message = _(TAKE_TICKET) if ticket.printed else _("Take a photo of your ticket on the screen.")


load_kv(__file__)
