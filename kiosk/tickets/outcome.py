"""What became of a ticket, and what the patient's errands need of the ticket desk."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from devices.printer.ports import Delivery
from kiosk.domain import Appointment, HomeVisit, Patient
from kiosk.i18n import N_

#: what the screen says about the paper, whatever else it says (msgids)
PAPER_NOTES: dict[Delivery, str] = {
    Delivery.PRINTED: N_("Your ticket is printed."),
    Delivery.UNKNOWN: N_("The printer did not confirm that your ticket is printed."),
    Delivery.NOT_PRINTED: N_("Your ticket is not printed."),
}


@dataclass(frozen=True)
class PrintOutcome:
    """What became of the ticket on paper (``delivery``: printed only when the printer confirmed it),
    the picture the screen shows (a ticket not known printed is always shown), and what the patient
    should do (``message``, a msgid)."""

    delivery: Delivery
    image: Path | None
    message: str | None = None
    queue_number: str | None = None  # walk-in tickets

    @property
    def printed(self) -> bool:
        return self.delivery is Delivery.PRINTED


class Tickets(Protocol):
    """What the journeys need from the ticket desk (kiosk.ticket_desk.TicketDesk)."""

    def print_for(self, appointment: Appointment, patient: Patient) -> PrintOutcome: ...

    def print_walk_in(self, reason: str) -> PrintOutcome: ...

    def print_queued(self, action_id: int, action: str) -> PrintOutcome: ...
    def print_home_visit(self, visit: HomeVisit, patient: Patient) -> PrintOutcome: ...
