"""The start screen's errands: the ini's order, identification only where needed, landing in the errand,
and a queue ticket offered beside every error the registry desk can sort out."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from kiosk.config import ConfigError, load_config
from kiosk.config.edit import ini_with
from kiosk.domain import Appointment
from kiosk.errands import DEFAULT, WALK_IN_REASON, Errand, parse_errands
from kiosk.errors import RegistryUnavailable
from kiosk.journeys.visits import NO_VISIT_TODAY_REASON
from kiosk.typed_identity import check_typed_identity
from tests.unit.test_session import BORN, POLICY, Harness

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def h() -> Harness:
    return Harness()


def visit(h: Harness, appointment_id: int, start: datetime, checked_in: bool = False) -> Appointment:
    return Appointment(appointment_id, "RECEPTION", start, start + timedelta(minutes=15), "ГП 999",
                       "ул. Примерная, 10", "214", "6", "Офтальмолог", "Петров П. П.", checked_in=checked_in)


def test_the_ini_order_is_kept_and_mistakes_are_named() -> None:
    assert parse_errands(" walk_in ,check_in,book") == (Errand.WALK_IN, Errand.CHECK_IN, Errand.BOOK)
    assert parse_errands(DEFAULT)[0] is Errand.BOOK
    for bad, words in (("", "no errand"), ("book, book", "twice"), ("book, shopping", "shopping")):
        with pytest.raises(ValueError, match=words):
            parse_errands(bad)


def test_a_bad_errands_line_stops_start_up_with_file_line_and_allowed_values(tmp_path: Path) -> None:
    text = (ROOT / "kiosk.ini").read_text(encoding="utf-8")
    ini = tmp_path / "kiosk.ini"
    ini.write_text(ini_with(text, {("kiosk", "data_dir"): str(tmp_path), ("ui", "errands"): "book, bok"}),
                   encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(ini)
    message = str(caught.value)
    line = next(n for n, row in enumerate(ini.read_text(encoding="utf-8").splitlines(), 1)
                if row.startswith("errands"))
    assert f"kiosk.ini:{line}" in message and "[ui] errands" in message
    assert "'bok'" in message and "check_in" in message and "walk_in" in message


def test_the_shipped_ini_offers_every_errand() -> None:
    assert set(parse_errands(load_config(ROOT / "kiosk.ini", environ={}).ui.errands)) == set(Errand)


def test_book_asks_who_and_then_lands_on_the_specialties(h: Harness) -> None:
    h.session.open_errand(Errand.BOOK)
    assert h.session.screen == "identify"
    h.session.identify.submit(POLICY, BORN)
    h.settle()
    assert h.session.screen == "specialty" and h.session.patient is not None


def test_visits_land_on_the_list_without_the_menu(h: Harness) -> None:
    h.session.open_errand(Errand.VISITS)
    h.session.identify.submit(POLICY, BORN)
    seen: list[str] = []
    h.session.subscribe(lambda: seen.append(h.session.screen))
    h.settle()
    assert h.session.screen == "visits" and "menu" not in seen


def test_check_in_lists_only_todays_visits_one_tap_each(h: Harness) -> None:
    now = h.clock.now()
    today = visit(h, 1, now.replace(hour=23, minute=0) if now.hour < 23 else now + timedelta(minutes=5))
    tomorrow = visit(h, 2, now + timedelta(days=1))
    h.registry.booked = [tomorrow, today]
    h.session.open_errand(Errand.CHECK_IN)
    h.session.identify.submit(POLICY, BORN)
    h.settle()
    state = h.session.visits.state
    assert h.session.screen == "visits" and state.today_only
    assert [v.appointment_id for v in state.visits] == [1] and h.session.visits.can_check_in(state.visits[0])


def test_check_in_without_a_visit_today_offers_the_queue_ticket(h: Harness) -> None:
    h.registry.booked = [visit(h, 2, h.clock.now() + timedelta(days=2))]
    h.session.open_errand(Errand.CHECK_IN)
    h.session.identify.submit(POLICY, BORN)
    h.settle()
    assert h.session.visits.state.visits == () and h.session.visits.state.notice is not None
    assert h.session.status.walk_in == NO_VISIT_TODAY_REASON
    h.session.take_offered_walk_in()
    h.settle()
    assert h.session.screen == "done" and h.walk_ins == [NO_VISIT_TODAY_REASON]


def test_the_queue_ticket_needs_no_identification(h: Harness) -> None:
    h.session.open_errand(Errand.WALK_IN)
    h.settle()
    assert h.session.screen == "done" and h.session.patient is None and h.walk_ins == [WALK_IN_REASON]


def test_a_card_on_the_keypad_keeps_the_chosen_errand(h: Harness) -> None:
    h.session.open_errand(Errand.VISITS)
    h.session.card_inserted(POLICY, BORN)
    h.settle()
    assert h.session.screen == "visits"


def test_a_card_on_the_start_screen_opens_the_menu(h: Harness) -> None:
    h.session.card_inserted(POLICY, BORN)
    h.settle()
    assert h.session.screen == "menu"


def test_a_registry_failure_after_identification_offers_the_queue_ticket_there(h: Harness) -> None:
    h.registry.appointments_down = True
    h.session.open_errand(Errand.VISITS)
    h.session.identify.submit(POLICY, BORN)
    h.settle()
    assert h.session.status.error == RegistryUnavailable.patient_message and h.session.status.walk_in
    reason = h.session.status.walk_in
    h.session.take_offered_walk_in()
    h.settle()
    assert h.session.screen == "done" and h.walk_ins == [reason]


def test_an_expired_card_offers_typing_and_the_queue_ticket(h: Harness) -> None:
    from kiosk.card_messages import CARD_MESSAGES, CARD_WALK_IN

    h.session.card_unreadable(CARD_MESSAGES["expired"], CARD_WALK_IN["expired"])
    assert h.session.screen == "identify" and h.session.status.walk_in == CARD_WALK_IN["expired"]
    h.session.take_offered_walk_in()
    h.settle()
    assert h.walk_ins == [CARD_WALK_IN["expired"]]


@pytest.mark.parametrize("number", ["123456789", "1234 567890"])  # a temporary certificate, an old policy
def test_a_temporary_certificate_or_old_policy_offers_the_queue_ticket(h: Harness, number: str) -> None:
    checked = check_typed_identity(number, BORN.strftime("%d%m%Y"), today=h.clock.today())
    assert checked.walk_in is not None, checked.problem
    h.session.open_errand(Errand.BOOK)
    h.session.identify.submit_typed(number, BORN.strftime("%d%m%Y"))
    assert h.session.identify.state.walk_in_reason == checked.walk_in
    h.session.take_offered_walk_in()
    h.settle()
    assert h.walk_ins == [checked.walk_in]


def test_an_arrived_visit_can_no_longer_be_moved_or_cancelled(h: Harness) -> None:
    arrived = visit(h, 3, h.clock.now(), checked_in=True)
    assert not h.session.visits.can_change(arrived) and not h.session.visits.can_check_in(arrived)


def test_no_free_time_with_a_specialty_offers_the_desk_ticket_on_that_screen(h: Harness) -> None:
    from kiosk.journeys.book import NO_FREE_TIME_REASON

    h.session.open_errand(Errand.BOOK)
    h.session.identify.submit(POLICY, BORN)
    h.settle()
    h.session.book.choose_specialty("3")  # the memory registry has no surgeon
    h.settle()
    assert h.session.screen == "doctor" and h.session.status.walk_in == NO_FREE_TIME_REASON
    h.session.take_offered_walk_in()
    h.settle()
    assert h.walk_ins == [NO_FREE_TIME_REASON]


OTHER = "7700000000000025"


def test_another_persons_card_asks_before_replacing_the_patient(h: Harness) -> None:
    h.session.open_errand(Errand.VISITS)
    h.session.identify.submit(POLICY, BORN)
    h.settle()
    h.session.card_inserted(OTHER, BORN)
    assert h.session.card_waiting and h.session.patient is not None
    assert h.session.patient.key.policy == POLICY and h.session.screen == "visits"
    h.session.switch_patient(False)
    assert not h.session.card_waiting and h.session.patient.key.policy == POLICY
    h.session.card_inserted(OTHER, BORN)
    h.session.switch_patient(True)
    h.settle()
    assert h.session.patient is not None and h.session.patient.key.policy == OTHER
    assert h.session.screen == "menu" and h.session.visits.state.visits == ()


def test_the_other_card_taken_back_drops_the_question(h: Harness) -> None:
    h.session.open_errand(Errand.BOOK)
    h.session.identify.submit(POLICY, BORN)
    h.settle()
    h.session.card_inserted(OTHER, BORN)
    h.session.card_removed()
    assert not h.session.card_waiting and h.session.patient is not None


def test_book_another_person_keeps_nothing(h: Harness) -> None:
    h.session.open_errand(Errand.BOOK)
    h.session.identify.submit(POLICY, BORN)
    h.settle()
    h.session.another_person()
    assert h.session.patient is None and h.session.screen == "identify" and h.session.errand is Errand.BOOK
    assert h.session.book.state.specialties == ()


class PublicRegistry:
    """The schedule reads on top of the memory registry (the port's methods, not our client)."""

    def __init__(self, inner: object) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)

    def supports_public_schedules(self) -> bool:
        return True

    def public_specialties(self) -> list[object]:
        from kiosk.domain import Specialty

        return [Specialty("6", "Офтальмолог"), Specialty("99", "Только взрослым в другом месте")]

    def public_doctors(self, specialty_id: str) -> list[object]:
        from kiosk.domain import PublicDoctor

        return [PublicDoctor(21034567890, "Петров П. П.", specialty_id, "Офтальмолог", "214")]

    def working_hours(self, resource_id: int, days: int) -> list[object]:
        from datetime import time

        from kiosk.domain import WorkingDay

        return [WorkingDay(date, time(8), time(14), 3) for date in (BORN.replace(year=2026),)]


@pytest.fixture
def hp() -> Harness:
    h = Harness()
    h.session.registry = PublicRegistry(h.registry)  # type: ignore[assignment]
    return h


def test_the_schedules_errand_is_shown_only_where_the_registry_has_the_reads(h: Harness) -> None:
    assert Errand.SCHEDULES not in h.session.errands
    h.session.registry_offers_errands(True, False)
    assert Errand.SCHEDULES in h.session.errands


def test_schedules_need_no_identification_and_book_this_doctor_continues_there(hp: Harness) -> None:
    session = hp.session
    session.open_errand(Errand.SCHEDULES)
    hp.settle()
    assert session.screen == "schedule_specialty" and session.patient is None
    session.schedules.choose_specialty("6")
    hp.settle()
    assert session.screen == "schedule_doctor" and session.schedules.state.doctors[0].cabinet == "214"
    session.schedules.choose_doctor(21034567890)
    hp.settle()
    assert session.screen == "schedule_hours" and session.schedules.state.days[0].free_slots == 3
    session.schedules.book_this_doctor()
    assert session.screen == "identify"
    session.identify.submit(POLICY, BORN)
    hp.settle()
    assert session.screen == "slot" and session.book.state.doctor is not None
    assert session.book.state.doctor.resource_id == 21034567890


def test_back_from_the_schedules_returns_step_by_step_to_the_start(hp: Harness) -> None:
    session = hp.session
    session.open_errand(Errand.SCHEDULES)
    hp.settle()
    session.schedules.choose_specialty("6")
    hp.settle()
    session.back()
    assert session.screen == "schedule_specialty"
    session.back()
    assert session.screen == "welcome"


def test_a_doctor_the_patient_may_not_book_says_so_on_the_specialties(hp: Harness) -> None:
    from kiosk.session.kernel import NOT_YOUR_SPECIALTY

    session = hp.session
    session.open_errand(Errand.SCHEDULES)
    hp.settle()
    session.schedules.choose_specialty("99")
    hp.settle()
    session.schedules.choose_doctor(21034567890)
    hp.settle()
    session.schedules.book_this_doctor()
    session.identify.submit(POLICY, BORN)
    hp.settle()
    assert session.screen == "specialty" and session.status.error == NOT_YOUR_SPECIALTY


def test_no_free_time_with_a_therapeutic_specialty_offers_the_duty_doctor(h: Harness) -> None:
    from kiosk.domain import Specialty
    from kiosk.journeys.book import DUTY_DOCTOR_REASON

    h.registry.specialties = lambda key: [Specialty("200", "Участковый врач", therapeutic=True)]  # type: ignore[method-assign]
    h.session.open_errand(Errand.BOOK)
    h.session.identify.submit(POLICY, BORN)
    h.settle()
    h.session.book.choose_specialty("200")  # nobody with free time
    h.settle()
    assert h.session.book.offers_duty_doctor() and h.session.status.walk_in is not None
    h.session.book.duty_doctor_ticket()
    h.settle()
    assert h.walk_ins == [DUTY_DOCTOR_REASON]


def test_a_specialty_that_is_not_therapeutic_offers_no_duty_doctor(h: Harness) -> None:
    h.session.open_errand(Errand.BOOK)
    h.session.identify.submit(POLICY, BORN)
    h.settle()
    h.session.book.choose_specialty("3")
    h.settle()
    assert not h.session.book.offers_duty_doctor()
    h.session.book.duty_doctor_ticket()
    assert h.walk_ins == []
