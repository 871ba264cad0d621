"""What became of a ticket, and what the patient's errands need of the ticket desk."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from kiosk.domain import Appointment, Patient


@dataclass(frozen=True)
class PrintOutcome:
    """What became of the ticket: printed, or shown on screen instead (``message`` says why)."""

    printed: bool
    image: Path | None
    message: str | None = None
    queue_number: str | None = None  # walk-in tickets


class Tickets(Protocol):
    """What the journeys need from the ticket desk (kiosk.ticket_desk.TicketDesk)."""

    def print_for(self, appointment: Appointment, patient: Patient) -> PrintOutcome: ...

    def print_walk_in(self, reason: str) -> PrintOutcome: ...
