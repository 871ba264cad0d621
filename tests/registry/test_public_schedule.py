"""The schedule reads that need no patient: the demo registry's extension over HTTP through the real
client, its detection, and hostile answers read as domain errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.clock import ManualClock
from kiosk.demo_registry import DemoRegistryHandle, start_demo_registry
from kiosk.errors import RegistryError, UnexpectedAnswer
from kiosk.registry.emias import EmiasRegistry
from kiosk.registry.jsonrpc import MethodNotFound


@pytest.fixture
def demo(tmp_path: Path, clock: ManualClock) -> Iterator[DemoRegistryHandle]:
    with start_demo_registry(tmp_path / "registry.sqlite", seed=2026, clock=clock) as handle:
        yield handle


def test_specialties_doctors_and_two_weeks_of_hours_without_a_patient(demo: DemoRegistryHandle,
                                                                       clock: ManualClock) -> None:
    client = EmiasRegistry(demo.url, 2, 5)
    assert client.supports_public_schedules()
    specialties = client.public_specialties()
    assert specialties and all(s.code and s.name for s in specialties)
    code = next(s.code for s in specialties if client.public_doctors(s.code))
    doctors = client.public_doctors(code)
    assert all(d.cabinet and d.name and "_" not in d.name for d in doctors)
    days = client.working_hours(doctors[0].resource_id, 14)
    today = clock.today()
    assert days and all(today <= d.day < today + timedelta(days=14) and d.start < d.end for d in days)
    assert all(d.free_slots >= 0 for d in days)


def test_a_booked_slot_is_one_free_slot_less(demo: DemoRegistryHandle, clock: ManualClock) -> None:
    from tests.registry.support import ELENA, first_free, key_of

    client = EmiasRegistry(demo.url, 2, 5)
    key = key_of(ELENA)
    doctor, slot = first_free(client, key, client.doctors(key, "6"))
    before = {d.day: d.free_slots for d in client.working_hours(doctor.resource_id, 14)}
    client.book(key, doctor, slot)
    after = {d.day: d.free_slots for d in client.working_hours(doctor.resource_id, 14)}
    assert after[slot.start.date()] == before[slot.start.date()] - 1


def test_a_registry_without_the_reads_is_detected(tmp_path: Path, clock: ManualClock) -> None:
    with start_demo_registry(tmp_path / "plain.sqlite", seed=2026, clock=clock, public_schedule=False) as plain:
        client = EmiasRegistry(plain.url, 2, 5)
        assert not client.supports_public_schedules()
        with pytest.raises(MethodNotFound):
            client.public_specialties()


def test_a_wrong_doctor_or_day_count_is_a_registry_error(demo: DemoRegistryHandle) -> None:
    client = EmiasRegistry(demo.url, 2, 5)
    with pytest.raises(RegistryError):
        client.working_hours(1, 14)
    doctor = next(d for s in client.public_specialties() for d in client.public_doctors(s.code))
    with pytest.raises(RegistryError):
        client.working_hours(doctor.resource_id, 99)


@pytest.mark.parametrize("answer", [
    [{"date": "2026-12-01", "start": "25:00", "end": "14:00", "freeSlots": 3}],
    [{"date": "2026-12-01", "start": "14:00", "end": "08:00", "freeSlots": 3}],
    [{"date": "2026-12-01", "start": "08:00", "end": "14:00", "freeSlots": -1}],
    [{"date": "not a date", "start": "08:00", "end": "14:00", "freeSlots": 1}],
    [{"date": "2026-12-01", "start": "08:00", "end": "14:00", "freeSlots": 1}] * 40,
    "a string",
    [42],
])
def test_hostile_working_hours_are_a_domain_error(scripted, answer: object) -> None:  # type: ignore[no-untyped-def]
    scripted.script.raw(200, json.dumps({"jsonrpc": "2.0", "id": "<echo>", "result": answer}).encode())
    client = EmiasRegistry(scripted.url, 2, 5, read_retries=0)
    with pytest.raises(UnexpectedAnswer):
        client.working_hours(5, 14)


@pytest.mark.parametrize("answer", [[{"code": "", "name": "x"}], [{"name": "Терапевт"}], {"code": 1}])
def test_hostile_specialties_are_a_domain_error(scripted, answer: object) -> None:  # type: ignore[no-untyped-def]
    scripted.script.raw(200, json.dumps({"jsonrpc": "2.0", "id": "<echo>", "result": answer}).encode())
    client = EmiasRegistry(scripted.url, 2, 5, read_retries=0)
    with pytest.raises(UnexpectedAnswer):
        client.public_specialties()


def test_bookings_made_here_carry_the_infomat_channel(demo: DemoRegistryHandle) -> None:
    from tests.registry.support import ELENA, first_free, key_of

    client = EmiasRegistry(demo.url, 2, 5, booking_channel="infomat")
    key = key_of(ELENA)
    doctor, slot = first_free(client, key, client.doctors(key, "6"))
    booked = client.book(key, doctor, slot)
    stored = demo.service.store.get(booked.appointment_id)
    assert stored is not None and stored.origin == "infomat"
    other, later = first_free(client, key, client.doctors(key, "6"), skip=1)
    moved = client.reschedule(key, booked.appointment_id, other, later)
    stored = demo.service.store.get(moved.appointment_id)
    assert stored is not None and stored.origin == "infomat"


def test_a_client_without_a_channel_sends_none(demo: DemoRegistryHandle) -> None:
    from tests.registry.support import ELENA, first_free, key_of

    client = EmiasRegistry(demo.url, 2, 5)
    key = key_of(ELENA)
    doctor, slot = first_free(client, key, client.doctors(key, "6"))
    stored = demo.service.store.get(client.book(key, doctor, slot).appointment_id)
    assert stored is not None and stored.origin == "kiosk"


def test_the_shipped_ini_sends_the_infomat_channel() -> None:
    from kiosk.config import load_config

    root = Path(__file__).resolve().parents[2]
    assert load_config(root / "kiosk.ini", environ={}).registry.booking_channel == "infomat"
