"""The registry commits the booking and the answer is lost on the way: the patient is told the
truth (booked), and the registry holds exactly one appointment. Also: a slot taken in the last
second sends the patient back to a fresh schedule."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.app.pilot import open_pilot
from kiosk.clock import ManualClock
from kiosk.demo_registry import DEMO_PATIENTS, DemoRegistryHandle, start_demo_registry
from kiosk.domain import PatientKey
from screens.pilot import Pilot
from screens.walkthrough import book_first_free_slot, open_schedule, start_booking
from tests.ui.conftest import demo_config

pytestmark = pytest.mark.ui
PATIENT = next(p for p in DEMO_PATIENTS if p.kind == "attached")


@pytest.fixture
def registry(tmp_path: Path, clock: ManualClock) -> Iterator[DemoRegistryHandle]:
    with start_demo_registry(tmp_path / "registry.sqlite", 2026, clock=clock) as handle:
        yield handle


@pytest.fixture
def remote_pilot(tmp_path: Path, window_ready: None, registry: DemoRegistryHandle,
                 clock: ManualClock) -> Iterator[Pilot]:
    """The kiosk as in production: kind = emias, talking to a registry it did not start."""

    config = demo_config(tmp_path, registry__kind="emias", registry__url=registry.url,
                         registry__retry_backoff="0")
    pilot = open_pilot(config, clock)
    yield pilot
    pilot.close()


def test_lost_answer_after_commit_still_ends_booked(remote_pilot: Pilot, registry: DemoRegistryHandle) -> None:
    registry.set_faults(drop_next=1, drop_methods=["createAppointment"])
    result = book_first_free_slot(remote_pilot, PATIENT.policy, PATIENT.birth_date, None)
    key = PatientKey(PATIENT.policy, PATIENT.birth_date)
    listed = remote_pilot.app.services.registry.appointments(key)
    assert [a.appointment_id for a in listed] == [result.appointment.appointment_id]
    assert remote_pilot.screen("done").summary != ""


def test_slot_stolen_at_the_last_moment_returns_to_a_fresh_schedule(
        remote_pilot: Pilot, registry: DemoRegistryHandle) -> None:
    pilot = remote_pilot
    start_booking(pilot, PATIENT.policy, PATIENT.birth_date)
    open_schedule(pilot)
    day = pilot.app.session.book.state.day
    assert day is not None
    taken = day.slots[0]
    pilot.tap(pilot.screen("slot").button(f"slot-{taken.start.strftime('%H%M')}"))
    pilot.wait_step("confirm")
    registry.set_faults(steal_next=1)
    pilot.tap_id("confirm", "confirm")
    pilot.wait_step("slot")
    state = pilot.app.session.book.state
    assert "заняли" in pilot.screen("slot").error_text
    assert state.day is not None and all(s.start != taken.start for d in state.schedule.days for s in d.slots)
