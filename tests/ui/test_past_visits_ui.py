"""Past visits in «Мои записи» by taps on the real window against the demo registry: the statuses the
polyclinic set, and beside «Пациент не пришёл» its note, what to do and the desk's queue ticket."""

from __future__ import annotations

import pytest

from kiosk.demo_registry import DEMO_PATIENTS
from screens.pilot import Pilot
from screens.walkthrough import identify_by_keypad

pytestmark = pytest.mark.ui
ELENA = DEMO_PATIENTS[2]


def test_past_visits_with_their_status_and_the_queue_ticket_beside_a_no_show(pilot: Pilot) -> None:
    identify_by_keypad(pilot, ELENA.policy, ELENA.birth_date, errand="visits")
    session, screen = pilot.app.session, pilot.screen("visits")
    past = session.visits.state.past
    assert [v.status for v in past] == ["VISITED", "NO_SHOW", "CANCELLED_BY_CLINIC"]
    rows = {getattr(row, "test_id", ""): row.text for row in screen.ids.rows.children}
    visited, no_show, cancelled = (rows[f"past-{v.appointment_id}"] for v in past)
    assert "Приём состоялся" in visited and "Отменена поликлиникой" in cancelled
    assert "Пациент не пришёл" in no_show and past[1].note in no_show
    assert "Если вы были на приёме, обратитесь в регистратуру" in no_show
    with pytest.raises(LookupError):
        screen.button(f"no-show-ticket-{past[0].appointment_id}")
    pilot.tap(screen.button(f"no-show-ticket-{past[1].appointment_id}"))
    pilot.wait_step("done")
    assert pilot.screen("done").title.startswith("Ваш номер: Р-")
