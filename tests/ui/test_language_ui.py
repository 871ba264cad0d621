"""English as the second language: one tap on the start screen, for this patient only."""

from __future__ import annotations

import pytest

from kiosk.demo_registry import DEMO_PATIENTS
from screens.pilot import Pilot
from screens.walkthrough import start_booking

pytestmark = pytest.mark.ui
PATIENT = next(p for p in DEMO_PATIENTS if p.kind == "attached")


def test_english_for_one_session_then_russian_again(pilot: Pilot) -> None:
    welcome = pilot.screen("welcome")
    assert welcome.button("errand-book").text == "Записаться к врачу" and welcome.ids.language.text == "English"
    pilot.tap_id("language", "welcome")
    assert welcome.button("errand-book").text == "Book a visit to a doctor" and welcome.ids.language.text == "Русский"
    assert welcome.button("errand-check_in").text == "I have come for my appointment"
    start_booking(pilot, PATIENT.policy, PATIENT.birth_date)
    specialty = pilot.screen("specialty")
    assert specialty.title == "Choose a specialist"
    assert pilot.screen("identify").ids.next.text == "Next"
    pilot.tap(pilot.screen("specialty").choice(f"specialty-{pilot.app.session.book.state.specialties[0].code}"))
    pilot.wait_step("doctor")
    whose = f"Appointment for: {pilot.app.session.patient.short_name}"  # type: ignore[union-attr]
    assert pilot.screen("doctor").subtitle == f"{whose}\nChoose a doctor"
    from screens.widgets import NavBar

    bar = next(w for w in pilot.screen("doctor").walk() if isinstance(w, NavBar))
    assert bar.ids.home.text == "Start over"
    pilot.tap(bar.ids.home)
    pilot.wait_step("welcome")
    assert welcome.button("errand-book").text == "Записаться к врачу"  # the next patient gets Russian
