"""The generated demo polyclinic: deterministic from the seed, and as rich as the issue asks."""

from __future__ import annotations

from datetime import date, timedelta

from devices.card.enp import is_valid_enp
from kiosk.demo_registry import DEMO_PATIENTS, generated_patients
from kiosk.demo_registry.generator import build_clinic
from kiosk.demo_registry.patients import CHILD

MONDAY = date(2026, 11, 23)


def test_same_seed_same_polyclinic_other_seed_another() -> None:
    assert build_clinic(7) == build_clinic(7)
    assert build_clinic(7).head != build_clinic(8).head
    assert [r.label for r in build_clinic(7).resources] != [r.label for r in build_clinic(8).resources]


def test_size_and_variety() -> None:
    clinic = build_clinic(2026)
    doctors = [r for r in clinic.resources if r.kind == "doctor"]
    rooms = [r for r in clinic.resources if r.kind == "ldp"]
    assert len(clinic.specialties) >= 10 and len(doctors) >= 30 and rooms
    assert len({b.address for b in clinic.buildings}) >= 3
    assert {s.self_booking for s in clinic.specialties} == {True, False}
    assert len({r.resource_id for r in clinic.resources}) == len(clinic.resources)
    cabinets = [c.complex_resource_id for r in clinic.resources for c in r.cabinets]
    assert len(set(cabinets)) == len(cabinets)
    assert any(len(r.cabinets) > 1 and len({c.building for c in r.cabinets}) > 1 for r in doctors)


def test_working_hours_breaks_and_days_off() -> None:
    clinic = build_clinic(2026)
    for res in clinic.resources:
        days = [MONDAY + timedelta(days=d) for d in range(7)]
        week = [res.slots_on(day) for day in days]
        for day, slots in zip(days, week, strict=True):
            hours = res.works_on(day)
            for start, end in slots:
                assert 15 <= (end - start).total_seconds() / 60 <= 30
                assert start.utcoffset() == timedelta(hours=3)
                assert hours is not None and hours.start <= start.time() and end.time() <= hours.end
                if hours.break_start and hours.break_end:
                    assert not (start.time() < hours.break_end and end.time() > hours.break_start)
        if res.kind == "doctor" and res.menu_code != "2017":
            assert week[6] == []  # Sunday off
            assert sum(1 for slots in week[:5] if not slots) >= 1  # a weekday off (or on leave)
    assert any(r.vacation for r in clinic.resources)  # someone is on leave: listed, not bookable


def test_patients_have_valid_policies_and_the_cast_is_varied() -> None:
    assert all(is_valid_enp(p.policy) for p in (*DEMO_PATIENTS, *generated_patients(50)))
    kinds = {p.kind for p in DEMO_PATIENTS}
    assert {CHILD, "attached elsewhere", "other region"} <= kinds
    assert len({p.policy for p in generated_patients(300)}) == 300
