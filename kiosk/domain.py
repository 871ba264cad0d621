"""Domain values shared by the flow, the registry port, the cache and the screens.

Frozen dataclasses only; no I/O, no kivy. Times are timezone-aware datetimes in
Moscow time; the registry's raw slot strings are kept beside them because the
protocol wants them back unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from devices.card.enp import mask_enp

#: ``7700000000000017`` → ``7700 **** **** 0017`` (the only form that may be logged or shown);
#: one implementation, in devices.card.enp, shared with the card reader
mask_policy = mask_enp


@dataclass(frozen=True)
class PatientKey:
    """What identifies the patient to the registry. Never logged: repr is masked."""

    policy: str
    birth_date: date

    def __repr__(self) -> str:
        return f"PatientKey({mask_policy(self.policy)}, birth date hidden)"

    __str__ = __repr__


@dataclass(frozen=True)
class Attachment:
    lpu_id: int
    name: str
    address: str


@dataclass(frozen=True)
class Patient:
    key: PatientKey = field(repr=False)
    last_name: str
    first_name: str
    middle_name: str
    attachments: tuple[Attachment, ...] = ()

    @property
    def short_name(self) -> str:
        """Surname and initials: «Иванова А. С.» (what screens and tickets show)."""
        initials = " ".join(f"{part[0]}." for part in (self.first_name, self.middle_name) if part)
        return f"{self.last_name} {initials}".strip()


@dataclass(frozen=True)
class Specialty:
    code: str
    name: str
    by_referral_only: bool = False
    #: a therapeutic specialty: without free time the duty doctor sees the patient the same day
    therapeutic: bool = False


@dataclass(frozen=True)
class Room:
    """A cabinet where a doctor receives (EMIAS complexResource with its room)."""

    complex_resource_id: int
    number: str
    lpu_short_name: str = ""
    address: str = ""
    nearest_date: date | None = None


@dataclass(frozen=True)
class Doctor:
    """A bookable schedule owner (EMIAS availableResource): a doctor or a diagnostic room."""

    resource_id: int
    name: str
    specialty_id: str
    specialty_name: str
    reception_type_id: str | None
    rooms: tuple[Room, ...]
    #: "doctor" or "diagnostic" (a room offering a procedure, no person)
    kind: str = "doctor"
    #: the head organization of the resource
    lpu_id: int | None = None
    #: set when listed for a referral: schedule and booking then go by this referral
    referral_id: int | None = None
    #: set when listed as a target for moving this appointment (reschedule)
    shift_appointment_id: int | None = None
    #: the specialty code the patient chose (e.g. umbrella "200" while specialty_id is "69")
    query_specialty_id: str | None = None

    @property
    def bookable(self) -> bool:
        return bool(self.rooms)


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime
    start_raw: str
    end_raw: str
    complex_resource_id: int
    cabinet: str


@dataclass(frozen=True)
class DaySchedule:
    day: date
    slots: tuple[Slot, ...]


@dataclass(frozen=True)
class Schedule:
    doctor: Doctor
    days: tuple[DaySchedule, ...]


@dataclass(frozen=True)
class Booking:
    appointment_id: int
    appointment_number: str


@dataclass(frozen=True)
class Appointment:
    appointment_id: int
    kind: str  # RECEPTION or LDP
    start: datetime
    end: datetime | None
    clinic: str
    address: str
    room: str
    specialty_id: str | None
    specialty_name: str
    doctor_name: str = ""
    referral_id: int | None = None
    #: the registry confirmed the patient's arrival (demo registry check-in extension)
    checked_in: bool = False
    #: the appointment may be moved (successor-API field; True when the registry does not say)
    can_reschedule: bool = True


# --- Additions for the complete registry (referrals, rescheduling, check-in) ---------------


@dataclass(frozen=True)
class Referral:
    """A doctor's referral (направление) to a specialist (REF_TO_DOCTOR) or a diagnostic (REF_TO_LDP)."""

    referral_id: int
    number: str
    kind: str  # REF_TO_DOCTOR or REF_TO_LDP
    valid_from: date | None
    valid_to: date | None
    lpu_id: int
    lpu_name: str
    target_id: str  # specialityId or ldpTypeId
    target_name: str
    reception_type_id: str | None = None
    active_appointments: int = 0
    completed_appointments: int = 0
    comment: str = ""

    def is_valid_on(self, day: date) -> bool:
        """Within its validity window and not used up (a referral is for one visit)."""
        if self.valid_from is not None and day < self.valid_from:
            return False
        if self.valid_to is not None and day > self.valid_to:
            return False
        return self.completed_appointments == 0


@dataclass(frozen=True)
class Assignment:
    """A doctor's assignment (назначение), e.g. a lab test; display only."""

    assignment_id: int
    name: str
    date_from: date | None
    date_to: date | None
    bookable: bool
    laboratory: str = ""


@dataclass(frozen=True)
class Lpu:
    """An organization (or branch) where a multi-organization specialty can be booked."""

    lpu_id: int
    name: str
    short_name: str
    address: str


@dataclass(frozen=True)
class CheckIn:
    """The registry's confirmation that the patient has arrived for an appointment."""

    appointment_id: int
    arrived_at: datetime | None


# --- Schedules without identification (demo-registry extension, docs/registry-protocol.md) -------


@dataclass(frozen=True)
class PublicDoctor:
    """A doctor as anyone may see them: name, specialty and cabinet, no patient involved."""

    resource_id: int
    name: str
    specialty_code: str
    specialty_name: str
    cabinet: str


@dataclass(frozen=True)
class WorkingDay:
    """One day of a doctor's working hours and how many of its slots are still free."""

    day: date
    start: time
    end: time
    free_slots: int


# --- The waiting list (demo-registry extension, docs/registry-protocol.md) ------------------------

#: why a patient asks to be called back: no free slots / no convenient time / the specialist is absent
WAITING_REASONS = ("NO_SLOTS", "NO_CONVENIENT_TIME", "SPECIALIST_ABSENT")


@dataclass(frozen=True)
class WaitingListEntry:
    """The patient is on a specialty's waiting list; the registry calls back on ``phone_tail``."""

    entry_id: int
    specialty_id: str
    specialty_name: str
    #: one of WAITING_REASONS
    reason: str
    created: datetime
    #: the last two digits of the contact phone, all the kiosk shows of it
    phone_tail: str


# --- Home visits («Вызов врача на дом», demo-registry extension, docs/registry-protocol.md) ----------

#: why the doctor is called (the short list on the screen)
HOME_VISIT_REASONS = ("FEVER", "CANNOT_WALK", "CHRONIC_WORSE")
#: the temperature, as a band the patient picks
HOME_VISIT_TEMPERATURES = ("NOT_MEASURED", "UP_TO_37", "FROM_37_TO_38", "FROM_38_TO_39", "ABOVE_39")


@dataclass(frozen=True)
class HomeVisitRequest:
    """What the patient tells the registry: where, why, how high the temperature, and a phone (11 digits)."""

    address: str
    reason: str
    temperature: str
    phone: str


@dataclass(frozen=True)
class HomeVisit:
    """A home-visit request as the registry keeps it: the doctor is expected between the two times."""

    visit_id: int
    #: PENDING (the doctor will come), DONE, CANCELLED
    status: str
    expected_from: datetime
    expected_to: datetime
    address: str = ""
    reason: str = ""

    @property
    def pending(self) -> bool:
        return self.status == "PENDING"


# --- Past visits (demo-registry extension, docs/registry-protocol.md) -------------------------------

#: the statuses the polyclinic sets on a past visit
PAST_VISIT_STATUSES = ("VISITED", "NO_SHOW", "CANCELLED_BY_PATIENT", "CANCELLED_BY_CLINIC")


@dataclass(frozen=True)
class PastVisit:
    """A visit of the last 30 days and what the polyclinic recorded of it."""

    appointment_id: int
    start: datetime
    specialty_name: str
    doctor_name: str
    #: one of PAST_VISIT_STATUSES
    status: str
    #: the polyclinic's note ("" when none)
    note: str = ""
