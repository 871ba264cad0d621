"""Shared helpers of the registry integration tests (a real demo registry on loopback)."""

from __future__ import annotations

from kiosk.demo_registry import DEMO_PATIENTS
from kiosk.domain import Doctor, PatientKey, Slot
from kiosk.registry.emias import EmiasRegistry
from tests.pinned import TEST_NOW

#: the suite's pinned instant (KIOSK_TEST_NOW or the default Monday morning): never the wall clock
PINNED_NOW = TEST_NOW

ANNA, SERGEY, ELENA, MISHA, OLGA, DMITRY = range(6)


def key_of(index: int) -> PatientKey:
    patient = DEMO_PATIENTS[index]
    return PatientKey(patient.policy, patient.birth_date)


def first_free(
    registry: EmiasRegistry, key: PatientKey, doctors: list[Doctor], skip: int = 0
) -> tuple[Doctor, Slot]:
    """The first free slot (after ``skip`` others) of the first bookable doctor in ``doctors``."""
    bookable = [d for d in doctors if d.bookable]
    assert bookable, "no bookable doctor"
    schedule = registry.schedule(key, bookable[0])
    slots = [slot for day in schedule.days for slot in day.slots]
    assert len(slots) > skip, "not enough free time"
    return schedule.doctor, slots[skip]
