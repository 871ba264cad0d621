"""A patient books a visit by tapping through the real window; the registry then holds it."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from kiosk.demo_registry import DEMO_PATIENTS
from screens.pilot import Pilot
from screens.walkthrough import book_first_free_slot, start_booking, type_identity

pytestmark = pytest.mark.ui

PATIENT = next(p for p in DEMO_PATIENTS if p.kind == "attached")


def rpc(url: str, method: str, **params: object) -> object:
    body = {"jsonrpc": "2.0", "id": "ui-test", "method": method,
            "params": {"omsNumber": PATIENT.policy, "birthDate": PATIENT.birth_date.isoformat(), **params}}
    answer = requests.post(url, json=body, timeout=10).json()
    assert "error" not in answer, answer
    return answer["result"]


def test_tap_from_welcome_to_done_books_in_the_registry(pilot: Pilot, tmp_path: Path) -> None:
    result = book_first_free_slot(pilot, PATIENT.policy, PATIENT.birth_date, tmp_path / "shots")
    receipt, chosen = pilot.app.session.receipt, pilot.app.session.book.state.slot
    assert receipt is not None and receipt.booking is not None and chosen is not None
    live = pilot.app.services.registry.inner  # the EMIAS client behind the offline cache
    listed = rpc(live.rpc.url, "getAppointmentReceptionsByPatient")
    assert [a["id"] for a in listed] == [receipt.booking.appointment_id]  # type: ignore[index]
    assert listed[0]["roomNumber"] == chosen.cabinet  # type: ignore[index]
    # welcome, identify, specialty, doctor, slot, confirm, done: «Записаться к врачу» skips the menu
    assert len(result.screenshots) == 7 and all(p.stat().st_size > 10_000 for p in result.screenshots)
    assert result.ticket is not None and result.ticket.stat().st_size > 1_000
    done = pilot.screen("done")
    assert PATIENT.policy not in done.summary  # nothing identifying beyond what the patient needs


def test_start_over_forgets_the_patient(pilot: Pilot) -> None:
    start_booking(pilot, PATIENT.policy, PATIENT.birth_date)
    assert pilot.app.session.patient is not None
    pilot.tap(_nav_button(pilot, "specialty", "home"))
    pilot.wait_step("welcome")
    assert pilot.app.session.patient is None
    identify = pilot.screen("identify")
    assert identify.policy_digits == "" and identify.birth_digits == ""


def test_mistyped_policy_gets_a_russian_message_and_stays(pilot: Pilot) -> None:
    wrong = PATIENT.policy[:-1] + str((int(PATIENT.policy[-1]) + 1) % 10)
    type_identity(pilot, wrong, PATIENT.birth_date)
    pilot.tap_id("next", "identify")
    pilot.pump(3)
    screen = pilot.screen("identify")
    assert pilot.app.session.screen == "identify"
    assert "номер" in screen.error_text.lower()
    assert screen.field == "policy"


def _nav_button(pilot: Pilot, screen: str, name: str) -> object:
    from screens.widgets import NavBar

    bar = next(w for w in pilot.screen(screen).walk() if isinstance(w, NavBar))
    return bar.ids[name]


def test_reset_leaves_nothing_personal_on_any_screen(pilot: Pilot) -> None:
    book_first_free_slot(pilot, PATIENT.policy, PATIENT.birth_date, None)
    pilot.tap_id("finish", "done")
    pilot.wait_step("welcome")
    from kivy.uix.label import Label

    texts = [w.text for name in pilot.app.manager.screen_names for w in pilot.screen(name).walk()
             if isinstance(w, Label)]
    assert texts, "no labels found"
    shown = "\n".join(texts)
    assert PATIENT.last_name not in shown
    assert PATIENT.policy[-4:] not in shown.replace(" ", "")
    assert PATIENT.birth_date.strftime("%d.%m.%Y") not in shown
    assert pilot.screen("done").ticket_image == ""


@pytest.mark.parametrize(("kind", "words"), [
    ("attached elsewhere", "прикреплены к другой поликлинике: ГБУЗ «Городская поликлиника № 326 ДЗМ»"),
    ("other region", "выдан в другом регионе"),
])
def test_patients_who_cannot_book_here_are_told_why(pilot: Pilot, kind: str, words: str) -> None:
    patient = next(p for p in DEMO_PATIENTS if p.kind == kind)
    type_identity(pilot, patient.policy, patient.birth_date)
    pilot.tap_id("next", "identify")
    pilot.wait_until(lambda: pilot.app.session.status.error is not None and not pilot.app.session.status.busy,
                     "the registry's answer")
    pilot.pump(2)
    assert pilot.app.session.screen == "identify"
    assert words in pilot.screen("identify").error_text


def test_other_region_patient_takes_a_queue_ticket_to_the_desk(pilot: Pilot) -> None:
    patient = next(p for p in DEMO_PATIENTS if p.kind == "other region")
    type_identity(pilot, patient.policy, patient.birth_date)
    pilot.tap_id("next", "identify")
    identify = pilot.screen("identify")
    pilot.wait_until(lambda: identify.walk_in_offered and not pilot.app.session.status.busy, "the queue ticket offer")
    pilot.tap_id("walk_in", "identify")
    pilot.wait_step("done")
    done = pilot.screen("done")
    assert done.title == "Ваш номер: Р-001"
    assert done.ticket_image and Path(done.ticket_image).stat().st_size > 1_000
    assert pilot.app.session.receipt.walk_in_number  # type: ignore[union-attr] == "Р-001"
