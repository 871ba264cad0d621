"""One tap for the nearest free time: the earliest slot over every doctor of the specialty."""

from __future__ import annotations

import pytest

from kiosk.demo_registry import DEMO_PATIENTS
from screens.pilot import Pilot
from screens.walkthrough import start_booking

pytestmark = pytest.mark.ui
PATIENT = next(p for p in DEMO_PATIENTS if p.kind == "attached")


def test_nearest_free_time_is_the_earliest_over_all_doctors(pilot: Pilot) -> None:
    start_booking(pilot, PATIENT.policy, PATIENT.birth_date)
    session = pilot.app.session
    code = session.book.state.specialties[0].code
    pilot.tap(pilot.screen("specialty").choice(f"specialty-{code}"))
    pilot.wait_step("doctor")
    registry, key = pilot.app.services.registry, session.patient.key  # type: ignore[union-attr]
    earliest = min(slot.start for doctor in session.book.state.doctors if doctor.bookable
                   for day in registry.schedule(key, doctor).days for slot in day.slots)
    pilot.tap_id("action", "doctor")
    pilot.wait_step("confirm")
    assert session.book.state.slot is not None and session.book.state.slot.start == earliest
    pilot.tap_id("confirm", "confirm")
    pilot.wait_step("done")
    receipt = session.receipt
    assert receipt is not None and receipt.appointment is not None and receipt.appointment.start == earliest
