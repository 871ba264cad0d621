"""What the demo patients bring along: attachments, referrals, assignments and standing appointments.

Dates are relative to "today" at the time of the request, so an active referral stays
active and an expired one stays expired however long the demo database lives.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kiosk.demo_registry import patients as p
from kiosk.demo_registry.clinic import UMBRELLA_DISTRICT, Building, Clinic


@dataclass(frozen=True)
class ReferralDef:
    referral_id: int
    policy: str
    number: str
    kind: str  # REF_TO_DOCTOR or REF_TO_LDP
    target: str  # specialty code or ldp type code
    reception_type_id: int
    starts_in: int  # days from today (negative: in the past)
    ends_in: int
    completed: int = 0
    comment: str = ""

    def valid_from(self, today: date) -> date:
        return date.fromordinal(today.toordinal() + self.starts_in)

    def valid_to(self, today: date) -> date:
        return date.fromordinal(today.toordinal() + self.ends_in)

    def usable_on(self, today: date) -> bool:
        return self.valid_from(today) <= today <= self.valid_to(today) and self.completed == 0


@dataclass(frozen=True)
class AssignmentDef:
    assignment_id: int
    policy: str
    name: str
    starts_in: int
    ends_in: int
    laboratory: str
    diagnosis: tuple[str, str]
    doctor: str


@dataclass(frozen=True)
class StandingAppointment:
    """An appointment the demo patient already has; re-created when the previous one has passed."""

    origin: str
    policy: str
    menu_code: str  # specialty code or ldp type code
    days_ahead: int  # earliest day (0 = today, from the next free slot)
    referral_id: int | None = None


_ANNA, _SERGEY, _ELENA, _MISHA, _OLGA, _DMITRY = (patient.policy for patient in p.DEMO_PATIENTS)

REFERRALS = (
    ReferralDef(
        173_456_789_001,
        _ANNA,
        "7799-0012301",
        "REF_TO_DOCTOR",
        "14",
        1802,
        -7,
        23,
        comment="ИБС, контроль ЭКГ",
    ),
    ReferralDef(173_456_789_002, _ANNA, "7799-0012302", "REF_TO_LDP", "105", 105, -7, 7),
    ReferralDef(
        173_456_789_003, _ANNA, "7799-0012303", "REF_TO_DOCTOR", "11", 1802, -60, -30, comment="Головные боли"
    ),
    ReferralDef(173_456_789_004, _SERGEY, "7799-0012304", "REF_TO_LDP", "106", 106, -5, 25),
    ReferralDef(173_456_789_005, _SERGEY, "7799-0012305", "REF_TO_DOCTOR", "112", 1802, -20, 10, completed=1),
    ReferralDef(173_456_789_006, _MISHA, "7799-0012306", "REF_TO_DOCTOR", "11", 1802, -3, 27),
)

ASSIGNMENTS = (
    AssignmentDef(
        190_011_223_001,
        _ANNA,
        "Общий (клинический) анализ крови",
        -3,
        25,
        "КДЛ ГП",
        ("I20.8", "Другие формы стенокардии"),
        "Захарова Д. Е.",
    ),
    AssignmentDef(
        190_011_223_002,
        _SERGEY,
        "Исследование уровня глюкозы в крови",
        -1,
        14,
        "КДЛ ГП",
        ("E11.9", "Сахарный диабет 2 типа без осложнений"),
        "Григорьев Л. А.",
    ),
)

STANDING = (
    StandingAppointment("seed:anna:6", _ANNA, "6", 3),
    StandingAppointment("seed:sergey:200", _SERGEY, UMBRELLA_DISTRICT, 1),
    StandingAppointment("seed:sergey:2017", _SERGEY, "2017", 0),
    StandingAppointment("seed:sergey:106", _SERGEY, "106", 4, referral_id=173_456_789_004),
)


def referrals_of(policy: str) -> list[ReferralDef]:
    return [ref for ref in REFERRALS if ref.policy == policy]


def referral(referral_id: int) -> ReferralDef | None:
    return next((ref for ref in REFERRALS if ref.referral_id == referral_id), None)


def assignments_of(policy: str) -> list[AssignmentDef]:
    return [item for item in ASSIGNMENTS if item.policy == policy]


def attachment_of(patient: p.DemoPatient, clinic: Clinic) -> Building | None:
    """The polyclinic the patient is attached to (None: not attached anywhere in the city)."""
    if patient.kind == p.OTHER_REGION:
        return None
    if patient.kind == p.ATTACHED_ELSEWHERE:
        return clinic.other_clinic
    if patient.kind == p.CHILD:
        return clinic.buildings[2]
    return clinic.head


def attached_here(patient: p.DemoPatient, clinic: Clinic) -> bool:
    building = attachment_of(patient, clinic)
    return building is not None and building in clinic.buildings
