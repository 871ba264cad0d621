"""The idle timeout: a visible countdown, "I need more time", then the patient is forgotten."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.app.pilot import open_pilot
from kiosk.clock import ManualClock
from kiosk.demo_registry import DEMO_PATIENTS
from screens.pilot import Pilot
from screens.walkthrough import start_booking
from tests.ui.conftest import demo_config

pytestmark = pytest.mark.ui
PATIENT = DEMO_PATIENTS[0]


@pytest.fixture
def clocked(tmp_path: Path, window_ready: None, clock: ManualClock) -> Iterator[tuple[Pilot, ManualClock]]:
    config = demo_config(tmp_path, ui__idle_timeout="60", ui__idle_warning="20")
    pilot = open_pilot(config, clock)
    yield pilot, clock
    pilot.close()


def identified(pilot: Pilot) -> None:
    start_booking(pilot, PATIENT.policy, PATIENT.birth_date)


def let_time_pass(pilot: Pilot, clock: ManualClock, seconds: float) -> None:
    clock.advance(seconds)
    pilot.app.check_idle()  # what the Kivy clock calls twice a second
    pilot.pump(3)


def test_countdown_then_more_time_keeps_the_patient(clocked: tuple[Pilot, ManualClock]) -> None:
    pilot, clock = clocked
    identified(pilot)
    let_time_pass(pilot, clock, 59)
    dialog = pilot.app._idle
    assert dialog.parent is None  # not yet
    let_time_pass(pilot, clock, 2)
    pilot.wait_until(lambda: dialog.parent is not None, "the idle dialog")
    let_time_pass(pilot, clock, 5)
    pilot.wait_until(lambda: "15" in dialog.countdown_text, "the countdown to show 15 seconds")
    assert "секунд" in dialog.countdown_text
    pilot.tap(dialog.ids["more_time"])
    pilot.wait_until(lambda: dialog.parent is None, "the dialog to close")
    assert pilot.app.session.screen == "specialty" and pilot.app.session.patient is not None


def test_no_answer_forgets_the_patient(clocked: tuple[Pilot, ManualClock]) -> None:
    pilot, clock = clocked
    identified(pilot)
    let_time_pass(pilot, clock, 61)
    pilot.wait_until(lambda: pilot.app._idle.parent is not None, "the idle dialog")
    let_time_pass(pilot, clock, 21)
    pilot.wait_step("welcome")
    assert pilot.app.session.patient is None
    assert pilot.screen("specialty").subtitle == ""
