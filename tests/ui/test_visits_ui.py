"""The patient's appointments by taps: a ticket again, then cancel (asked twice), on the real demo registry."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.demo_registry import DEMO_PATIENTS
from kiosk.domain import PatientKey
from screens.pilot import Pilot
from screens.walkthrough import identify_by_keypad

pytestmark = pytest.mark.ui
SERGEY = DEMO_PATIENTS[1]  # has three upcoming appointments in the demo polyclinic


def _appointment_rows(screen: object) -> list[object]:
    """The upcoming appointments' rows (past visits, home visits and the waiting list have test ids)."""
    return [row for row in screen.ids.rows.children if not getattr(row, "test_id", "")]  # type: ignore[attr-defined]


def test_reprint_then_cancel(pilot: Pilot) -> None:
    identify_by_keypad(pilot, SERGEY.policy, SERGEY.birth_date, errand="visits")
    session, screen = pilot.app.session, pilot.screen("visits")
    first, last = session.visits.state.visits[0], session.visits.state.visits[-1]
    assert len(_appointment_rows(screen)) == len(session.visits.state.visits) == 3

    pilot.tap(screen.button(f"ticket-{first.appointment_id}"))
    pilot.wait_step("done")
    done = pilot.screen("done")
    assert done.title == "Ваш талон" and Path(done.ticket_image).stat().st_size > 1_000

    pilot.tap_id("more", "done")
    pilot.wait_step("menu")
    pilot.tap_id("visits", "menu")
    pilot.wait_step("visits")
    pilot.tap(screen.button(f"cancel-{last.appointment_id}"))
    pilot.pump(2)
    assert screen.cancel_text.startswith("Отменить эту запись?")
    pilot.tap_id("cancel_yes", "visits")
    pilot.wait_until(lambda: not session.status.busy and session.visits.state.notice is not None, "the cancellation")
    pilot.pump(2)
    assert screen.notice_text.startswith("Запись отменена")
    assert len(_appointment_rows(screen)) == 2
    key = PatientKey(SERGEY.policy, SERGEY.birth_date)
    remaining = {a.appointment_id for a in pilot.app.services.registry.appointments(key)}
    assert last.appointment_id not in remaining and first.appointment_id in remaining
