"""Every errand from the start screen by taps on the real window and the demo registry: the ini's order,
check-in in one tap after identification, the queue ticket without identification, and a queue ticket on
the screen where the registry fails."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.app.pilot import open_pilot
from kiosk.clock import ManualClock
from kiosk.demo_registry import DEMO_PATIENTS, DemoRegistryHandle, start_demo_registry
from kiosk.domain import PatientKey
from screens.pilot import Pilot
from screens.walkthrough import identify_by_keypad, tap_errand, type_identity
from tests.ui.conftest import demo_config

pytestmark = pytest.mark.ui
SERGEY = DEMO_PATIENTS[1]  # the ARVI duty doctor today (check-in), and two more visits


def _nav_offer(pilot: Pilot, screen: str) -> object:
    from screens.widgets import NavBar

    return next(w for w in pilot.screen(screen).walk() if isinstance(w, NavBar)).ids.walk_in_offer


def test_the_start_screen_lists_the_errands_in_the_ini_order(pilot: Pilot) -> None:
    pilot.wait_step("welcome")
    welcome = pilot.screen("welcome")
    _schedules_button(pilot)  # shown once the registry says it has the schedule reads
    pilot.wait_until(lambda: pilot.app.session.home_visits_offered is True, "the registry's answer on home visits")
    pilot.pump(2)
    shown = [button.text for button in reversed(welcome.ids.errands.children)]
    assert shown == ["Записаться к врачу", "Мои записи: талон, отменить, перенести", "Я пришёл на приём",
                     "Расписание врачей", "Талон в регистратуру", "Вызов врача на дом", "Записаться по направлению"]


def test_a_technician_chooses_fewer_errands_in_another_order(tmp_path: Path, window_ready: None,
                                                               clock: ManualClock) -> None:
    driver = open_pilot(demo_config(tmp_path, ui__errands="walk_in, check_in"), clock)
    try:
        driver.wait_step("welcome")
        ids = [b.test_id for b in reversed(driver.screen("welcome").ids.errands.children)]
        assert ids == ["errand-walk_in", "errand-check_in"]
    finally:
        driver.close()


def test_check_in_from_the_start_screen_is_one_tap_after_identification(pilot: Pilot) -> None:
    lands = identify_by_keypad(pilot, SERGEY.policy, SERGEY.birth_date, errand="check_in")
    assert lands == "visits"
    session, screen = pilot.app.session, pilot.screen("visits")
    today = session.visits.state.visits
    assert len(today) == 1 and today[0].start.date() == pilot.app.services.clock.today()
    assert len(screen.ids.rows.children) == 1
    pilot.tap(screen.button(f"arrived-{today[0].appointment_id}"))  # the one tap
    pilot.wait_step("done")
    assert pilot.screen("done").title == "Ваш приход отмечен"
    key = PatientKey(SERGEY.policy, SERGEY.birth_date)
    listed = pilot.app.services.registry.appointments(key)
    marked = next(a for a in listed if a.appointment_id == today[0].appointment_id)
    assert marked.checked_in
    # the arrival is marked: the visit now offers the ticket only
    pilot.tap_id("more", "done")
    pilot.wait_step("menu")
    pilot.tap_id("visits", "menu")
    pilot.wait_step("visits")
    with pytest.raises(LookupError):
        screen.button(f"cancel-{marked.appointment_id}")
    with pytest.raises(LookupError):
        screen.button(f"move-{marked.appointment_id}")
    assert screen.button(f"ticket-{marked.appointment_id}")


def test_check_in_for_a_patient_without_a_visit_today_offers_the_queue_ticket(pilot: Pilot) -> None:
    clean = next(p for p in DEMO_PATIENTS if p.kind == "attached")
    identify_by_keypad(pilot, clean.policy, clean.birth_date, errand="check_in")
    offer = _nav_offer(pilot, "visits")
    assert "нет записей на сегодня" in pilot.screen("visits").notice_text
    assert offer.opacity == 1 and not offer.disabled
    pilot.tap(offer)
    pilot.wait_step("done")
    assert pilot.screen("done").title.startswith("Ваш номер: Р-")


def test_the_queue_ticket_is_one_tap_without_identification(pilot: Pilot) -> None:
    tap_errand(pilot, "walk_in")
    pilot.wait_step("done")
    done = pilot.screen("done")
    assert done.title == "Ваш номер: Р-001" and Path(done.ticket_image).stat().st_size > 1_000
    assert pilot.app.session.patient is None and not done.can_do_more


def test_visits_land_on_the_list(pilot: Pilot) -> None:
    identify_by_keypad(pilot, SERGEY.policy, SERGEY.birth_date, errand="visits")
    assert len(pilot.app.session.visits.state.visits) == 3


def test_booking_lands_on_the_specialties(pilot: Pilot) -> None:
    assert identify_by_keypad(pilot, SERGEY.policy, SERGEY.birth_date, errand="book") == "specialty"


def test_a_temporary_certificate_gets_the_queue_ticket_on_the_keypad(pilot: Pilot) -> None:
    tap_errand(pilot, "book")
    pilot.wait_step("identify")
    pilot.type_digits("123456789")
    pilot.tap_id("birth_field", "identify")
    pilot.type_digits(SERGEY.birth_date.strftime("%d%m%Y"))
    pilot.tap_id("next", "identify")
    pilot.pump(3)
    identify = pilot.screen("identify")
    assert "временного свидетельства" in identify.error_text and identify.walk_in_offered
    pilot.tap_id("walk_in", "identify")
    pilot.wait_step("done")
    assert pilot.screen("done").title.startswith("Ваш номер: Р-")


@pytest.fixture
def registry(tmp_path: Path, clock: ManualClock) -> Iterator[DemoRegistryHandle]:
    with start_demo_registry(tmp_path / "registry.sqlite", 2026, clock=clock) as handle:
        yield handle


@pytest.fixture
def remote_pilot(tmp_path: Path, window_ready: None, registry: DemoRegistryHandle,
                 clock: ManualClock) -> Iterator[Pilot]:
    # no cache: these tests are about the registry's failure itself (with the cache on, a read that gets
    # no answer is served from what the cache keeps: tests/ui/test_offline_ui.py)
    config = demo_config(tmp_path, registry__kind="emias", registry__url=registry.url, registry__retry_backoff="0",
                         cache__enabled="no")
    driver = open_pilot(config, clock)
    yield driver
    driver.close()


def test_the_registry_failing_after_identification_offers_the_queue_ticket_there(
        remote_pilot: Pilot, registry: DemoRegistryHandle) -> None:
    pilot = remote_pilot
    type_identity(pilot, SERGEY.policy, SERGEY.birth_date, errand="visits")
    registry.set_faults(fail_rate=1.0, methods=["getAppointmentReceptionsByPatient"])
    pilot.tap_id("next", "identify")
    session = pilot.app.session
    pilot.wait_until(lambda: session.status.error is not None and not session.status.busy, "the registry's failure")
    pilot.pump(2)
    identify = pilot.screen("identify")
    assert session.patient is not None and identify.error_text and identify.walk_in_offered
    pilot.tap_id("walk_in", "identify")
    pilot.wait_step("done")
    assert pilot.screen("done").title.startswith("Ваш номер: Р-")


def test_the_registry_failing_on_the_menu_offers_the_queue_ticket_there(
        remote_pilot: Pilot, registry: DemoRegistryHandle) -> None:
    pilot = remote_pilot
    pilot.wait_step("welcome")
    pilot.app.session.card_inserted(SERGEY.policy, SERGEY.birth_date)  # the card reader's event: the menu
    pilot.wait_step("menu")
    registry.set_faults(fail_rate=1.0, methods=["getAppointmentReceptionsByPatient"])
    pilot.tap_id("visits", "menu")
    session = pilot.app.session
    pilot.wait_until(lambda: session.status.error is not None and not session.status.busy, "the registry's failure")
    pilot.pump(2)
    offer = _nav_offer(pilot, "menu")
    assert pilot.screen("menu").error_text and offer.opacity == 1
    pilot.tap(offer)
    pilot.wait_step("done")
    assert pilot.screen("done").title.startswith("Ваш номер: Р-")


def test_an_expired_referral_is_listed_greyed_with_who_renews_it(pilot: Pilot) -> None:
    anna = DEMO_PATIENTS[0]  # a valid cardiologist and ECG referral, an expired neurologist one
    identify_by_keypad(pilot, anna.policy, anna.birth_date, errand="referrals")
    state = pilot.app.session.referral.state
    assert state.referrals and state.expired
    expired = state.expired[0]
    button = pilot.screen("referrals").choice(f"expired-{expired.referral_id}")
    assert button.disabled and "Направление истекло " + expired.valid_to.strftime("%d.%m.%Y") in button.text
    assert "обратитесь к врачу, который его выдал" in button.text


def test_moving_shows_the_time_being_moved(pilot: Pilot) -> None:
    identify_by_keypad(pilot, SERGEY.policy, SERGEY.birth_date, errand="visits")
    visits = pilot.app.session.visits.state.visits
    movable = next(v for v in visits if v.can_reschedule and not v.checked_in)
    pilot.tap(pilot.screen("visits").button(f"move-{movable.appointment_id}"))
    pilot.wait_step("doctor")
    subtitle = pilot.screen("doctor").subtitle
    assert "\nСейчас: " in subtitle and f"{movable.start:%H:%M} → новое время" in subtitle
    assert subtitle.startswith("Запись для: Петров С. Н.")


def test_a_second_card_mid_session_asks_before_replacing_the_patient(pilot: Pilot) -> None:
    identify_by_keypad(pilot, SERGEY.policy, SERGEY.birth_date, errand="visits")
    anna = DEMO_PATIENTS[0]
    pilot.app.session.card_inserted(anna.policy, anna.birth_date)  # what the card reader's event calls
    pilot.pump(3)
    dialog = pilot.app._switch
    assert dialog.parent is not None and dialog.question.startswith("Сейчас на приёме Петров С. Н.")
    pilot.tap(dialog.ids.switch_no)
    assert dialog.parent is None and pilot.app.session.patient.short_name == "Петров С. Н."
    pilot.app.session.card_inserted(anna.policy, anna.birth_date)
    pilot.pump(3)
    pilot.tap(dialog.ids.switch_yes)
    pilot.wait_step("menu")
    assert pilot.screen("menu").patient_name == "Иванова А. С."


def test_book_another_person_from_the_final_screen(pilot: Pilot) -> None:
    tap_errand(pilot, "check_in")
    pilot.wait_step("identify")
    pilot.type_digits(SERGEY.policy)
    pilot.type_digits(SERGEY.birth_date.strftime("%d%m%Y"))
    pilot.tap_id("next", "identify")
    pilot.wait_step("visits")
    visit = pilot.app.session.visits.state.visits[0]
    pilot.tap(pilot.screen("visits").button(f"ticket-{visit.appointment_id}"))
    pilot.wait_step("done")
    pilot.tap_id("another_person", "done")
    pilot.wait_step("identify")
    assert pilot.app.session.patient is None and pilot.screen("identify").policy_digits == ""
    anna = DEMO_PATIENTS[0]
    pilot.type_digits(anna.policy)
    pilot.type_digits(anna.birth_date.strftime("%d%m%Y"))
    pilot.tap_id("next", "identify")
    pilot.wait_step("specialty")
    assert pilot.app.session.patient.short_name == "Иванова А. С."


def _schedules_button(pilot: Pilot) -> object:
    welcome = pilot.screen("welcome")
    pilot.wait_until(lambda: any(getattr(b, "test_id", "") == "errand-schedules" for b in welcome.ids.errands.children),
                     "the registry's answer on the schedule reads")
    return welcome.button("errand-schedules")


def test_schedules_without_identification_then_book_this_doctor(pilot: Pilot) -> None:
    pilot.wait_step("welcome")
    pilot.tap(_schedules_button(pilot))
    pilot.wait_step("schedule_specialty")
    session = pilot.app.session
    assert session.patient is None
    therapist = next(s for s in session.schedules.state.specialties if s.name == "Офтальмолог")
    pilot.tap(pilot.screen("schedule_specialty").choice(f"specialty-{therapist.code}"))
    pilot.wait_step("schedule_doctor")
    doctor = session.schedules.state.doctors[0]
    assert f"кабинет {doctor.cabinet}" in pilot.screen("schedule_doctor").choice(f"doctor-{doctor.resource_id}").text
    pilot.tap(pilot.screen("schedule_doctor").choice(f"doctor-{doctor.resource_id}"))
    pilot.wait_step("schedule_hours")
    hours = pilot.screen("schedule_hours")
    days = session.schedules.state.days
    assert days and all(f"{d.start:%H:%M}–{d.end:%H:%M}" in hours.choice(f"day-{d.day.isoformat()}").text for d in days)
    assert any("свободно" in hours.choice(f"day-{d.day.isoformat()}").text for d in days)
    pilot.tap_id("action", "schedule_hours")  # «Записаться к этому врачу»
    pilot.wait_step("identify")
    elena = next(p for p in DEMO_PATIENTS if p.kind == "attached")
    pilot.type_digits(elena.policy)
    pilot.type_digits(elena.birth_date.strftime("%d%m%Y"))
    pilot.tap_id("next", "identify")
    pilot.wait_step("slot")
    assert session.book.state.doctor is not None and session.book.state.doctor.resource_id == doctor.resource_id


def test_a_registry_without_the_schedule_reads_hides_the_errand(tmp_path: Path, window_ready: None,
                                                                 clock: ManualClock) -> None:
    with start_demo_registry(tmp_path / "plain.sqlite", 2026, clock=clock, public_schedule=False) as plain:
        config = demo_config(tmp_path, registry__kind="emias", registry__url=plain.url, registry__retry_backoff="0")
        driver = open_pilot(config, clock)
        try:
            driver.wait_step("welcome")
            session = driver.app.session
            driver.wait_until(lambda: session.public_schedules is False, "the registry's answer")
            driver.pump(3)
            ids = [b.test_id for b in driver.screen("welcome").ids.errands.children]
            assert "errand-schedules" not in ids and "errand-book" in ids
        finally:
            driver.close()


def test_a_child_is_booked_with_the_childs_policy_and_every_step_says_whose(pilot: Pilot) -> None:
    from screens.walkthrough import open_schedule

    misha = next(p for p in DEMO_PATIENTS if p.kind == "child")
    identify_by_keypad(pilot, misha.policy, misha.birth_date, errand="book")
    assert pilot.screen("specialty").subtitle == "Смирнов М. А."
    open_schedule(pilot)
    assert pilot.screen("doctor").subtitle.startswith("Запись для: Смирнов М. А.")
    assert pilot.screen("slot").subtitle.startswith("Запись для: Смирнов М. А.")
    assert pilot.app.session.patient.key.policy == misha.policy
