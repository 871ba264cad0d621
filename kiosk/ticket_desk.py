"""Turn a booked appointment into a ticket on the printer (or on the screen).

Runs on a worker thread (inside the booking job); never raises for printer
trouble: the patient then gets the ticket on screen with a message. "Printed" only
when the printer confirmed it; a ticket the printer did not confirm is shown on
screen too, with «Если талон не вышел, сфотографируйте его».
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable

from devices.printer.document import Document
from devices.printer.ports import Delivery, Printer, PrinterStatus, PrintResult
from kiosk.clock import Clock
from kiosk.domain import Appointment, HomeVisit, Patient
from kiosk.i18n import N_, _
from kiosk.queue_numbers import QueueNumbers
from kiosk.tickets.check_in_pass import can_seal, seal
from kiosk.tickets.config import TicketConfig
from kiosk.tickets.home_visit import home_visit_document
from kiosk.tickets.layout import queued_document, ticket_document, walkin_document
from kiosk.tickets.model import QueuedReceipt, WalkInTicket, ticket_for
from kiosk.tickets.outcome import PrintOutcome

log = logging.getLogger(__name__)

PREVIEW_NOTE = N_("Demo kiosk: this is the ticket a printer would give you.")
TAKE_TICKET = N_("Take your ticket.")
UNCONFIRMED = N_("Take your ticket. If the ticket did not come out, take a photo of it.")
NOT_PRINTED = N_("The printer cannot print right now. Take a photo of your ticket on the screen.")
NO_TICKET = N_("The ticket could not be made. Your appointment is kept: the registry desk can print it.")

class TicketDesk:
    def __init__(self, printer: Printer, ticket: TicketConfig, kiosk_id: str, columns: int,
                 preview_only: bool, queue: QueueNumbers, clock: Clock, *, ticket_key: bytes | None = None) -> None:
        """``ticket_key``: seals the check-in pass in each ticket's QR code (kiosk.tickets.check_in_pass)."""
        self._printer = printer
        self._ticket_key = ticket_key
        self._clock = clock
        self._queue = queue
        self._ticket = ticket
        self._kiosk_id = kiosk_id
        self._columns = columns
        self._preview_only = preview_only
        #: the printer's state after the last ticket, for the technician's status view (None before any)
        self.last_status: PrinterStatus | None = None

    def print_walk_in(self, reason: str) -> PrintOutcome:
        """A queue ticket to the registry desk; ``reason`` is a msgid, printed in the patient's language."""
        now = self._clock.now()
        number = self._queue.next(now.date())
        ticket = WalkInTicket(queue_number=number, reason=_(reason), kiosk_id=self._kiosk_id,
                              printed_at=now, footer="")
        log.info("walk-in ticket %s (%s)", number, reason)
        outcome = self._print(lambda: walkin_document(ticket, self._columns), f"walk-in {number}")
        return dataclasses.replace(outcome, queue_number=number)

    def print_queued(self, action_id: int, action: str) -> PrintOutcome:
        """The receipt for an action kept in the outbox («Принято, будет передано в регистратуру»);
        ``action`` is a msgid (kiosk.tickets.messages QUEUED_CANCEL, QUEUED_CHECK_IN)."""
        receipt = QueuedReceipt(number=str(action_id), action=_(action), kiosk_id=self._kiosk_id,
                                printed_at=self._clock.now())
        log.info("receipt for outbox action %s", action_id)
        return self._print(lambda: queued_document(receipt, self._columns), f"outbox action {action_id}")

    def print_home_visit(self, visit: HomeVisit, patient: Patient) -> PrintOutcome:
        """The ticket of a home-visit request just made (kiosk.tickets.home_visit)."""
        return self._print(lambda: home_visit_document(visit, patient.short_name, self._kiosk_id, self._clock.now(),
                                                       self._columns), f"home visit {visit.visit_id}")

    def print_for(self, appointment: Appointment, patient: Patient) -> PrintOutcome:
        def layout() -> Document:
            sealed = (seal(self._ticket_key, patient.key, appointment.appointment_id, appointment.start.date())
                      if self._ticket_key is not None and can_seal(appointment.appointment_id) else "")
            ticket = ticket_for(appointment, patient.short_name, footer=self._ticket.footer, kiosk_id=self._kiosk_id,
                                now=self._clock.now(), building=self._ticket.building, check_in_pass=sealed)
            return ticket_document(ticket, self._columns)

        return self._print(layout, f"appointment {appointment.appointment_id}")

    def _print(self, layout: Callable[[], Document], what: str) -> PrintOutcome:
        """Lay out and print; whatever goes wrong here, the booking already made stands."""
        try:
            result = self._printer.print_document(layout())
        except Exception:  # a printer adapter or layout bug must not turn a booking into an error
            log.exception("ticket for %s could not be made", what)
            return PrintOutcome(Delivery.NOT_PRINTED, image=None, message=NO_TICKET)
        return self._outcome(result, what)

    def _outcome(self, result: PrintResult, what: str) -> PrintOutcome:
        self.last_status = result.status_after or result.status_before
        if result.warning:
            log.warning("printer needs attention soon: %s", result.warning)
        if self._preview_only:
            return PrintOutcome(Delivery.NOT_PRINTED, image=result.png_path, message=PREVIEW_NOTE)
        if result.delivery is Delivery.PRINTED:
            return PrintOutcome(Delivery.PRINTED, image=result.png_path, message=TAKE_TICKET)
        if result.delivery is Delivery.UNKNOWN:
            log.warning("ticket for %s sent, not confirmed: %s", what, result.reason)
            return PrintOutcome(Delivery.UNKNOWN, image=result.png_path, message=UNCONFIRMED)
        log.warning("ticket for %s not printed: %s", what, result.reason)
        return PrintOutcome(Delivery.NOT_PRINTED, image=result.png_path, message=NOT_PRINTED)
