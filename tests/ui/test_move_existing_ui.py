"""A patient who already has an appointment with the specialist is offered to move it, and the
registry then holds one appointment with that specialist, at the new time."""

from __future__ import annotations

import pytest

from kiosk.demo_registry import DEMO_PATIENTS
from kiosk.domain import PatientKey
from screens.pilot import Pilot
from screens.walkthrough import open_schedule, start_booking

pytestmark = pytest.mark.ui
PATIENT = DEMO_PATIENTS[0]  # has an ophthalmologist visit in the demo polyclinic


def test_booking_the_same_specialist_offers_to_move(pilot: Pilot) -> None:
    registry = pilot.app.services.registry
    key = PatientKey(PATIENT.policy, PATIENT.birth_date)
    before = [a for a in registry.appointments(key) if a.specialty_id == "6"]
    assert len(before) == 1
    start_booking(pilot, PATIENT.policy, PATIENT.birth_date)
    open_schedule(pilot, "6")
    day = pilot.app.session.book.state.day
    assert day is not None
    chosen = next(s for s in day.slots if s.start != before[0].start)
    pilot.tap(pilot.screen("slot").button(f"slot-{chosen.start.strftime('%H%M')}"))
    pilot.wait_step("confirm")
    pilot.tap_id("confirm", "confirm")
    pilot.wait_until(lambda: pilot.app.session.book.state.existing is not None and not pilot.app.session.status.busy,
                     "the offer to move the existing appointment")
    pilot.pump(2)
    confirm = pilot.screen("confirm")
    assert "уже есть запись" in confirm.error_text
    assert confirm.existing_text.startswith("Ваша запись сейчас")
    pilot.tap_id("move", "confirm")
    pilot.wait_step("done")
    after = [a for a in registry.appointments(key) if a.specialty_id == "6"]
    assert len(after) == 1
    assert after[0].start == chosen.start and after[0].appointment_id != before[0].appointment_id
    receipt = pilot.app.session.receipt
    assert receipt is not None and receipt.appointment is not None
    assert receipt.appointment.appointment_id == after[0].appointment_id
