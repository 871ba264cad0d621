"""Book through the real EMIAS client against the demo registry over loopback HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.clock import ManualClock
from kiosk.demo_registry import DEMO_PATIENTS, DemoRegistryHandle, start_demo_registry
from kiosk.domain import Doctor, PatientKey, Slot
from kiosk.errors import AppointmentExists, PatientNotFound, SlotTaken
from kiosk.registry.emias import EmiasRegistry
from tests.registry.support import ELENA, PINNED_NOW, key_of


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[DemoRegistryHandle]:
    handle = start_demo_registry(tmp_path / "registry.sqlite", seed=7, clock=ManualClock(PINNED_NOW))
    yield handle
    handle.stop()


@pytest.fixture
def registry(demo: DemoRegistryHandle) -> Iterator[EmiasRegistry]:
    client = EmiasRegistry(demo.url, connect_timeout=2, read_timeout=5, read_retries=0)
    yield client
    client.close()


def first_free(registry: EmiasRegistry, key: PatientKey, specialty: str) -> tuple[Doctor, Slot]:
    doctors = [d for d in registry.doctors(key, specialty) if d.bookable]
    assert doctors, f"no bookable doctor for {specialty}"
    schedule = registry.schedule(key, doctors[0], doctors[0].rooms[0].complex_resource_id)
    assert schedule.days, "the bookable doctor has no free day"
    return schedule.doctor, schedule.days[0].slots[0]


def test_book_then_the_appointment_is_listed(registry: EmiasRegistry) -> None:
    key = key_of(ELENA)
    patient = registry.identify(key)
    assert patient.short_name == "Морозова Е. П."
    codes = [s.code for s in registry.specialties(key)]
    assert "6" in codes and "14" not in codes  # cardiology is by referral only
    doctor, slot = first_free(registry, key, "6")

    booking = registry.book(key, doctor, slot)

    listed = {a.appointment_id: a for a in registry.appointments(key)}
    assert booking.appointment_id in listed
    made = listed[booking.appointment_id]
    assert made.start == slot.start
    assert made.room == slot.cabinet
    assert made.specialty_id == "6"
    assert made.doctor_name == doctor.name


def test_booked_slot_disappears_from_the_schedule(registry: EmiasRegistry) -> None:
    key = key_of(ELENA)
    doctor, slot = first_free(registry, key, "3")
    registry.book(key, doctor, slot)
    again = registry.schedule(key, doctor, slot.complex_resource_id)
    assert slot.start_raw not in {s.start_raw for day in again.days for s in day.slots}


def test_second_booking_of_the_same_specialty_is_refused(registry: EmiasRegistry) -> None:
    key = key_of(ELENA)
    doctor, slot = first_free(registry, key, "603")
    registry.book(key, doctor, slot)
    doctor, slot = first_free(registry, key, "603")
    with pytest.raises(AppointmentExists):
        registry.book(key, doctor, slot)


def test_a_taken_slot_is_refused_for_another_patient(registry: EmiasRegistry) -> None:
    doctor, slot = first_free(registry, key_of(ELENA), "200")
    registry.book(key_of(ELENA), doctor, slot)
    with pytest.raises(SlotTaken):
        registry.book(key_of(0), doctor, slot)


def test_wrong_birth_date_is_patient_not_found(registry: EmiasRegistry) -> None:
    patient = DEMO_PATIENTS[ELENA]
    with pytest.raises(PatientNotFound):
        registry.identify(PatientKey(patient.policy, patient.birth_date.replace(year=1999)))


def test_state_survives_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "registry.sqlite"
    key = key_of(ELENA)
    with start_demo_registry(db, seed=7, clock=ManualClock(PINNED_NOW)) as first:
        client = EmiasRegistry(first.url, 2, 5)
        booking = client.book(key, *first_free(client, key, "6"))
        client.close()
    with start_demo_registry(db, seed=7, clock=ManualClock(PINNED_NOW)) as second:
        client = EmiasRegistry(second.url, 2, 5)
        assert booking.appointment_id in {a.appointment_id for a in client.appointments(key)}
        client.close()
