"""Referrals, moving, cancelling, check-in and the registry's rules, through the client over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.clock import ManualClock
from kiosk.demo_registry import CheckInWindow, DemoRegistryHandle, start_demo_registry
from kiosk.errors import (
    AppointmentExists,
    AppointmentNotFound,
    CheckInNotSupported,
    CheckInTooEarly,
    CheckInTooLate,
    NotAttached,
    ReferralNotValid,
    ReferralRequired,
)
from kiosk.registry.emias import EmiasRegistry
from kiosk.registry.nearest import nearest_free_slot
from kiosk.registry.parse import DISTRICT_CODES
from tests.registry.support import (
    ANNA,
    DMITRY,
    ELENA,
    MISHA,
    OLGA,
    PINNED_NOW,
    SERGEY,
    first_free,
    key_of,
)


@pytest.fixture
def demo(tmp_path: Path, clock: ManualClock) -> Iterator[DemoRegistryHandle]:
    handle = start_demo_registry(
        tmp_path / "registry.sqlite",
        seed=11,
        clock=clock,
        check_in=CheckInWindow(minutes_before=60, minutes_after=5),
    )
    yield handle
    handle.stop()


@pytest.fixture
def registry(demo: DemoRegistryHandle) -> Iterator[EmiasRegistry]:
    client = EmiasRegistry(demo.url, connect_timeout=2, read_timeout=5, read_retries=0)
    yield client
    client.close()


def test_referral_booking_counts_and_refuses_a_second_one(registry: EmiasRegistry) -> None:
    key = key_of(ANNA)
    referrals = {r.target_id: r for r in registry.referrals(key)}
    cardio = referrals["14"]
    assert cardio.kind == "REF_TO_DOCTOR" and cardio.active_appointments == 0
    doctors = registry.doctors_by_referral(key, cardio.referral_id)
    assert doctors and all(d.specialty_id == "14" and d.referral_id == cardio.referral_id for d in doctors)
    booking = registry.book(key, *first_free(registry, key, doctors))
    listed = {a.appointment_id: a for a in registry.appointments(key)}
    assert listed[booking.appointment_id].referral_id == cardio.referral_id
    assert {r.target_id: r for r in registry.referrals(key)}["14"].active_appointments == 1
    with pytest.raises(AppointmentExists):
        registry.book(key, *first_free(registry, key, doctors, skip=1))


def test_diagnostic_by_referral_has_no_doctor(registry: EmiasRegistry) -> None:
    key = key_of(ANNA)
    ecg = next(r for r in registry.referrals(key) if r.kind == "REF_TO_LDP")
    rooms = registry.doctors_by_referral(key, ecg.referral_id)
    assert rooms and all(room.kind == "diagnostic" and room.reception_type_id is None for room in rooms)
    booking = registry.book(key, *first_free(registry, key, rooms))
    made = next(a for a in registry.appointments(key) if a.appointment_id == booking.appointment_id)
    assert made.kind == "LDP" and made.specialty_id == ecg.target_id


def test_expired_referral_and_referral_only_specialty(registry: EmiasRegistry) -> None:
    key = key_of(ANNA)
    expired = next(r for r in registry.referrals(key) if r.target_id == "11")
    assert not expired.is_valid_on(PINNED_NOW.date())
    with pytest.raises(ReferralNotValid):
        registry.doctors_by_referral(key, expired.referral_id)
    with pytest.raises(ReferralRequired):
        registry.doctors(key, "14")


def test_used_referral_is_not_valid(registry: EmiasRegistry) -> None:
    key = key_of(SERGEY)
    used = next(r for r in registry.referrals(key) if r.completed_appointments)
    with pytest.raises(ReferralNotValid):
        registry.doctors_by_referral(key, used.referral_id)


def test_reschedule_moves_atomically_and_frees_the_old_slot(registry: EmiasRegistry) -> None:
    key = key_of(SERGEY)
    district = next(a for a in registry.appointments(key) if a.specialty_id in DISTRICT_CODES)
    doctors = registry.doctors_for_reschedule(key, district)
    assert doctors and all(d.shift_appointment_id == district.appointment_id for d in doctors)
    doctor, slot = first_free(registry, key, doctors)
    moved = registry.reschedule(key, district.appointment_id, doctor, slot)
    assert moved.appointment_id != district.appointment_id
    after = {a.appointment_id: a for a in registry.appointments(key)}
    assert district.appointment_id not in after and after[moved.appointment_id].start == slot.start
    with pytest.raises(AppointmentNotFound):  # the old id is retired
        registry.cancel(key, district.appointment_id)


def test_cancel_frees_the_slot(registry: EmiasRegistry) -> None:
    key = key_of(ELENA)
    doctor, slot = first_free(registry, key, registry.doctors(key, "6"))
    booking = registry.book(key, doctor, slot)
    registry.cancel(key, booking.appointment_id)
    assert booking.appointment_id not in {a.appointment_id for a in registry.appointments(key)}
    free = registry.schedule(key, doctor)
    assert slot.start_raw in {s.start_raw for day in free.days for s in day.slots}
    with pytest.raises(AppointmentNotFound):
        registry.cancel(key, booking.appointment_id)


def test_check_in_window(registry: EmiasRegistry, clock: ManualClock) -> None:
    key = key_of(SERGEY)
    assert registry.supports_check_in()
    upcoming = registry.appointments(key)
    today = upcoming[0]  # the kiosk and the registry share the clock: its day is made "today" below
    later = next(a for a in upcoming if a.start.date() > today.start.date())
    with pytest.raises(CheckInTooEarly):
        registry.check_in(key, later.appointment_id)
    clock.set(today.start - timedelta(minutes=30))
    arrived = registry.check_in(key, today.appointment_id)
    assert arrived.appointment_id == today.appointment_id and arrived.arrived_at == clock.now()
    assert next(a for a in registry.appointments(key) if a.appointment_id == today.appointment_id).checked_in
    clock.set(today.start + timedelta(minutes=6))
    assert registry.check_in(key, today.appointment_id).arrived_at == arrived.arrived_at  # idempotent


def test_check_in_too_late(registry: EmiasRegistry, clock: ManualClock) -> None:
    key = key_of(SERGEY)
    today = registry.appointments(key)[0]
    clock.set(today.start + timedelta(minutes=6))
    with pytest.raises(CheckInTooLate):
        registry.check_in(key, today.appointment_id)


def test_check_in_not_supported_by_a_registry_without_it(tmp_path: Path) -> None:
    with start_demo_registry(
        tmp_path / "plain.sqlite", seed=11, clock=ManualClock(PINNED_NOW), check_in=None
    ) as plain:
        client = EmiasRegistry(plain.url, 2, 5)
        assert client.supports_check_in() is False
        appointment = client.appointments(key_of(SERGEY))[0]
        with pytest.raises(CheckInNotSupported):
            client.check_in(key_of(SERGEY), appointment.appointment_id)
        client.close()


@pytest.mark.parametrize("who", [OLGA, DMITRY])
def test_not_attached_patients_can_identify_but_not_book(registry: EmiasRegistry, who: int) -> None:
    key = key_of(who)
    patient = registry.identify(key)
    assert patient.last_name
    with pytest.raises(NotAttached):
        registry.specialties(key)
    with pytest.raises(NotAttached):
        registry.doctors(key, "6")


def test_child_sees_paediatricians(registry: EmiasRegistry) -> None:
    key = key_of(MISHA)
    codes = {s.code for s in registry.specialties(key)}
    assert "200" in codes and "2" not in codes and "21" not in codes
    assert {d.specialty_id for d in registry.doctors(key, "200")} == {"68"}


def test_multi_organization_specialty(registry: EmiasRegistry) -> None:
    key = key_of(ANNA)
    assert any(s.code == "21" for s in registry.specialties(key))
    lpus = registry.lpus_for_specialty(key, "21")
    assert len(lpus) >= 2
    everywhere = {d.resource_id for d in registry.doctors(key, "21")}
    per_lpu = [{d.resource_id for d in registry.doctors(key, "21", lpu_id=lpu.lpu_id)} for lpu in lpus]
    assert all(found <= everywhere for found in per_lpu) and set().union(*per_lpu) == everywhere


def test_assignments_are_listed(registry: EmiasRegistry) -> None:
    assignments = registry.assignments(key_of(ANNA))
    assert assignments and assignments[0].name and assignments[0].bookable
    assert registry.assignments(key_of(ELENA)) == []


def test_a_diagnostic_booked_by_referral_can_be_moved(registry: EmiasRegistry) -> None:
    key = key_of(SERGEY)
    ultrasound = next(a for a in registry.appointments(key) if a.kind == "LDP")
    rooms = registry.doctors_for_reschedule(key, ultrasound)
    assert rooms and all(room.kind == "diagnostic" for room in rooms)
    room, slot = first_free(registry, key, rooms, skip=3)
    moved = registry.reschedule(key, ultrasound.appointment_id, room, slot)
    after = next(a for a in registry.appointments(key) if a.appointment_id == moved.appointment_id)
    assert after.referral_id == ultrasound.referral_id is not None and after.start == slot.start


def test_nearest_free_slot_is_the_earliest_over_all_doctors(registry: EmiasRegistry) -> None:
    key = key_of(ELENA)
    found = nearest_free_slot(registry, key, "6")
    assert found is not None
    doctor, slot = found
    every = [
        s
        for d in registry.doctors(key, "6")
        if d.bookable
        for day in registry.schedule(key, d).days
        for s in day.slots
    ]
    assert slot.start == min(s.start for s in every)
    assert registry.book(key, doctor, slot).appointment_id
    assert nearest_free_slot(registry, key_of(MISHA), "2") is None  # adults only: nothing for a child


def test_past_visits_leave_the_list_and_standing_ones_come_back_after_a_restart(tmp_path: Path) -> None:
    clock = ManualClock(PINNED_NOW)
    db = tmp_path / "days.sqlite"
    key = key_of(SERGEY)
    with start_demo_registry(db, seed=11, clock=clock) as first:
        client = EmiasRegistry(first.url, 2, 5)
        before = client.appointments(key)
        assert len(before) == 3
        clock.set(PINNED_NOW + timedelta(days=20))
        assert client.appointments(key) == []  # upcoming only
        client.close()
    with start_demo_registry(db, seed=11, clock=clock) as second:
        client = EmiasRegistry(second.url, 2, 5)
        after = client.appointments(key)
        assert len(after) == 3 and all(a.start > clock.now() for a in after)
        assert not {a.appointment_id for a in after} & {a.appointment_id for a in before}
        client.close()
