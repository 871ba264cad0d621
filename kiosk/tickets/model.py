"""What a printed ticket says: frozen values, built from domain objects.

Tickets carry the patient's surname and initials only: never a policy number,
SNILS or birth date (see docs/printing.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kiosk.domain import Appointment
from kiosk.tickets.sanitize import clean_code, clean_text


def _require_aware(name: str, moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime")


@dataclass(frozen=True)
class Ticket:
    """An appointment ticket («талон на приём»)."""

    clinic: str
    building: str
    address: str
    specialty: str
    doctor: str
    starts_at: datetime
    cabinet: str
    patient_name: str
    appointment_number: str
    appointment_id: int
    checkin_code: str
    footer: str
    kiosk_id: str
    printed_at: datetime
    #: the sealed check-in pass the QR code carries (kiosk.tickets.check_in_pass); "" = the id and code only
    check_in_pass: str = ""

    def __post_init__(self) -> None:
        _require_aware("starts_at", self.starts_at)
        _require_aware("printed_at", self.printed_at)


@dataclass(frozen=True)
class QueuedReceipt:
    """A receipt for an action taken offline and kept in the outbox (a cancel, a check-in)."""

    #: the outbox's number of the action, as the registry desk can look it up with the technician
    number: str
    #: what was accepted, in the patient's language («Отмена записи»)
    action: str
    kiosk_id: str
    printed_at: datetime

    def __post_init__(self) -> None:
        _require_aware("printed_at", self.printed_at)


@dataclass(frozen=True)
class WalkInTicket:
    """A queue ticket to the registry desk (offline or «без записи»)."""

    queue_number: str
    reason: str
    kiosk_id: str
    printed_at: datetime
    clinic: str = ""
    footer: str = ""

    def __post_init__(self) -> None:
        _require_aware("printed_at", self.printed_at)


def checkin_code_for(appointment_id: int) -> str:
    """A short code the registry desk can type: last 6 digits of the id plus a Luhn check digit."""
    digits = f"{abs(appointment_id) % 1_000_000:06d}"
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return digits + str((10 - total % 10) % 10)


def ticket_for(
    appointment: Appointment,
    patient_name: str,
    *,
    footer: str,
    kiosk_id: str,
    now: datetime,
    building: str = "",
    appointment_number: str = "",
    checkin_code: str = "",
    check_in_pass: str = "",
) -> Ticket:
    """The ticket for ``appointment``; every registry-sourced string is sanitised here.

    ``patient_name`` must already be surname + initials (``Patient.short_name``).
    ``appointment_number`` defaults to the appointment id, ``checkin_code`` to
    :func:`checkin_code_for` of it.
    """
    return Ticket(
        clinic=clean_text(appointment.clinic),
        building=clean_text(building),
        address=clean_text(appointment.address),
        specialty=clean_text(appointment.specialty_name),
        doctor=clean_text(appointment.doctor_name),
        starts_at=appointment.start,
        cabinet=clean_text(appointment.room, limit=40),
        patient_name=clean_text(patient_name, limit=80),
        appointment_number=clean_text(appointment_number or str(appointment.appointment_id), limit=40),
        appointment_id=int(appointment.appointment_id),
        checkin_code=clean_code(checkin_code) or checkin_code_for(appointment.appointment_id),
        footer=clean_text(footer, limit=1000),
        kiosk_id=clean_text(kiosk_id, limit=32),
        printed_at=now,
        check_in_pass=clean_code(check_in_pass, limit=80),
    )
