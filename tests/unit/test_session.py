"""The session kernel and its journeys as state machines, over an in-memory registry (the port, not our client)."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from devices.card.numbers import classify_number
from devices.printer.ports import Delivery
from kiosk.clock import ManualClock
from kiosk.domain import (
    Appointment,
    Attachment,
    Booking,
    DaySchedule,
    Doctor,
    HomeVisit,
    Patient,
    PatientKey,
    Room,
    Schedule,
    Slot,
    Specialty,
    WaitingListEntry,
)
from kiosk.errors import (
    AppointmentExists,
    AttachedElsewhere,
    NotAttached,
    OtherRegionPolicy,
    PatientNotFound,
    RegistryUnavailable,
    SlotTaken,
)
from kiosk.jobs import Jobs
from kiosk.journeys.book import BookStep
from kiosk.journeys.identify import IdentifyStep
from kiosk.session.journey import Done
from kiosk.session.kernel import Session
from kiosk.tickets.outcome import PrintOutcome
from tests.pinned import TEST_NOW

MSK = ZoneInfo("Europe/Moscow")
POLICY = "7700000000000017"
BORN = date(1985, 4, 12)


def slot(hour: int) -> Slot:
    start = datetime(2026, 12, 1, hour, 0, tzinfo=MSK)
    return Slot(start, start + timedelta(minutes=15), start.isoformat(), (start + timedelta(minutes=15)).isoformat(),
                612345678, "214")


DOCTOR = Doctor(21034567890, "Петров П. П.", "6", "Офтальмолог", "1801",
                (Room(612345678, "214", "ГП 999 Ф 2", "ул. Примерная, 10", date(2026, 12, 1)),))


class MemoryRegistry:
    def __init__(self) -> None:
        self.free = [slot(9), slot(10)]
        self.booked: list[Appointment] = []
        self.issued = 0
        self.fail_identify: Exception | None = None
        self.identify_gate: threading.Event | None = None
        self.not_attached = False
        self.appointments_down = False
        self.attachments: tuple[Attachment, ...] = ()
        #: False: a registry without the waiting list (its reads are never asked then)
        self.keeps_waiting_list = False
        self.waiting: list[tuple[str, str, str]] = []

    def identify(self, key: PatientKey) -> Patient:
        if self.identify_gate is not None:
            self.identify_gate.wait(10)
        if self.fail_identify is not None:
            raise self.fail_identify
        return Patient(key, "Иванова", "Анна", "Сергеевна", self.attachments)

    def specialties(self, key: PatientKey) -> list[Specialty]:
        if self.not_attached:
            raise NotAttached()
        return [Specialty("6", "Офтальмолог"), Specialty("3", "Хирург")]

    def doctors(self, key: PatientKey, specialty_id: str, lpu_id: int | None = None) -> list[Doctor]:
        return [DOCTOR] if specialty_id == "6" else []

    def schedule(self, key: PatientKey, doctor: Doctor, room: int | None = None) -> Schedule:
        return Schedule(doctor, (DaySchedule(date(2026, 12, 1), tuple(self.free)),))

    def book(self, key: PatientKey, doctor: Doctor, chosen: Slot) -> Booking:
        if chosen not in self.free:
            raise SlotTaken()
        if any(a.specialty_id == doctor.specialty_id for a in self.booked):
            raise AppointmentExists()
        self.free.remove(chosen)
        self.issued += 1
        number = 334455667788 + self.issued
        self.booked.append(Appointment(number, "RECEPTION", chosen.start, chosen.end, "ГП 999", "ул. Примерная, 10",
                                       chosen.cabinet, "6", "Офтальмолог"))
        return Booking(number, str(number))

    def reschedule(self, key: PatientKey, appointment_id: int, doctor: Doctor, chosen: Slot) -> Booking:
        old = next(a for a in self.booked if a.appointment_id == appointment_id)
        self.booked.remove(old)
        self.free.append(slot(old.start.hour))
        return self.book(key, doctor, chosen)

    def appointments(self, key: PatientKey) -> list[Appointment]:
        if self.appointments_down:
            raise RegistryUnavailable("down")
        return list(self.booked)

    def supports_waiting_list(self) -> bool:
        return self.keeps_waiting_list

    def add_to_waiting_list(self, key: PatientKey, specialty_id: str, reason: str, phone: str) -> int:
        self.waiting.append((specialty_id, reason, phone))
        return len(self.waiting)

    def waiting_list(self, key: PatientKey) -> list[WaitingListEntry]:
        return [WaitingListEntry(n, code, "Хирург", reason, TEST_NOW, phone[-2:])
                for n, (code, reason, phone) in enumerate(self.waiting, 1)]

    def supports_home_visits(self) -> bool:
        return False

    def supports_past_visits(self) -> bool:
        return False

    def home_visits(self, key: PatientKey) -> list[HomeVisit]:
        return []

    def close(self) -> None:
        pass


class Harness:
    def __init__(self) -> None:
        self.inbox: queue.Queue[Callable[[], None]] = queue.Queue()
        self.clock = ManualClock(TEST_NOW)
        self.jobs = Jobs(post=self.inbox.put, clock=self.clock)
        self.registry = MemoryRegistry()
        self.printed: list[tuple[Appointment, Patient]] = []
        self.walk_ins: list[str] = []
        self.session = Session(self.registry, self.jobs, self, self.clock)

    def print_for(self, appointment: Appointment, patient: Patient) -> PrintOutcome:
        self.printed.append((appointment, patient))
        return PrintOutcome(Delivery.PRINTED, image=Path("/tmp/ticket.png"))

    def print_home_visit(self, visit: HomeVisit, patient: Patient) -> PrintOutcome:
        return PrintOutcome(Delivery.PRINTED, image=None)

    def print_walk_in(self, reason: str) -> PrintOutcome:
        self.walk_ins.append(reason)
        return PrintOutcome(Delivery.PRINTED, image=None, queue_number=f"Р-{len(self.walk_ins):03d}")

    def print_queued(self, action_id: int, action: str) -> PrintOutcome:
        return PrintOutcome(Delivery.PRINTED, image=None)

    def settle(self) -> None:
        """Run posted callbacks on 'the UI thread' (this one) until no job is in flight."""
        while self.jobs.pending:
            self.inbox.get(timeout=10)()


@pytest.fixture
def h() -> Harness:
    return Harness()


def identified(h: Harness, policy: str = POLICY) -> None:
    h.session.start()
    h.session.identify.submit(policy, BORN)
    h.settle()


def to_doctors(h: Harness) -> None:
    """Identified, the ophthalmologist chosen: the doctor list."""
    identified(h)
    h.session.open_booking()
    h.session.book.choose_specialty("6")
    h.settle()


def to_confirm(h: Harness) -> None:
    to_doctors(h)
    h.session.book.choose_doctor(DOCTOR.resource_id)
    h.settle()
    day = h.session.book.state.day
    assert day is not None
    h.session.book.choose_slot(day.slots[0])


def test_books_and_prints_end_to_end(h: Harness) -> None:
    to_confirm(h)
    assert h.session.screen == BookStep.CONFIRM
    h.session.book.confirm()
    assert h.session.status.busy
    h.settle()
    receipt = h.session.receipt
    assert h.session.screen == "done" and not h.session.status.busy and h.session.status.error is None
    assert receipt is not None and receipt.done is Done.BOOKED
    assert receipt.appointment is not None and receipt.appointment.doctor_name == DOCTOR.name
    assert [a.appointment_id for a, _p in h.printed] == [receipt.booking.appointment_id]  # type: ignore[union-attr]
    assert h.printed[0][1].short_name == "Иванова А. С."


def test_slot_taken_returns_to_a_fresh_schedule_with_a_message(h: Harness) -> None:
    to_confirm(h)
    taken = h.session.book.state.slot
    h.registry.free.remove(taken)  # someone else was faster
    h.session.book.confirm()
    h.settle()
    state = h.session.book.state
    assert h.session.screen == BookStep.SLOT
    assert h.session.status.error == SlotTaken.patient_message
    assert state.day is not None and taken not in state.day.slots
    assert h.printed == []


def test_registry_errors_reach_the_patient_as_messages(h: Harness) -> None:
    h.session.start()
    h.registry.fail_identify = PatientNotFound()
    h.session.identify.submit(POLICY, BORN)
    h.settle()
    assert h.session.screen == IdentifyStep.KEYPAD
    assert h.session.status.error == PatientNotFound.patient_message
    h.registry.fail_identify = RegistryUnavailable("down")
    h.session.identify.submit(POLICY, BORN)
    h.settle()
    assert h.session.status.error == RegistryUnavailable.patient_message


def test_unexpected_exception_gives_a_generic_message(h: Harness) -> None:
    h.session.start()
    h.registry.fail_identify = KeyError("surprise")
    h.session.identify.submit(POLICY, BORN)
    h.settle()
    assert h.session.status.error is not None and "registry desk" in h.session.status.error


def test_a_typed_identity_is_checked_with_the_kiosks_date(h: Harness) -> None:
    h.session.start()
    tomorrow = h.clock.today() + timedelta(days=1)
    valid = "7700000000000016"  # the demo card's number: its check digit is right
    checked = h.session.identify.submit_typed(valid, tomorrow.strftime("%d%m%Y"))
    assert checked is not None and checked.problem is not None and checked.field == "birth"
    assert h.jobs.pending == 0  # nothing sent
    checked = h.session.identify.submit_typed(valid, BORN.strftime("%d%m%Y"))
    assert checked is not None and checked.problem is None
    h.settle()
    assert h.session.screen == "menu"


def test_wipe_forgets_the_patient_and_drops_late_answers(h: Harness) -> None:
    h.session.start()
    h.registry.identify_gate = threading.Event()
    h.session.identify.submit(POLICY, BORN)
    h.session.wipe()  # card pulled out while the registry was thinking
    h.registry.identify_gate.set()
    h.settle()
    assert h.session.screen == "welcome"
    assert h.session.patient is None and not h.session.status.busy


def test_repeated_taps_start_one_request(h: Harness) -> None:
    h.session.start()
    h.session.identify.submit(POLICY, BORN)
    h.session.identify.submit(POLICY, BORN)
    assert h.jobs.pending == 1
    h.settle()


def test_back_goes_one_step_and_from_the_menu_forgets_the_patient(h: Harness) -> None:
    to_confirm(h)
    h.session.back()
    assert h.session.screen == BookStep.SLOT
    h.session.back()
    assert h.session.screen == BookStep.DOCTOR
    h.session.back()
    assert h.session.screen == BookStep.SPECIALTY and h.session.patient is not None
    h.session.back()
    assert h.session.screen == "menu" and h.session.patient is not None
    h.session.back()
    assert h.session.screen == "welcome" and h.session.patient is None


def test_back_from_the_keypad_is_the_start_screen(h: Harness) -> None:
    h.session.start()
    h.session.back()
    assert h.session.screen == "welcome"


def test_card_session_ends_when_the_card_is_removed(h: Harness) -> None:
    h.session.card_inserted(POLICY, BORN)
    h.settle()
    assert h.session.screen == "menu" and h.session.identity is not None
    assert h.session.identity.source == "card"
    h.session.open_booking()
    h.session.book.choose_specialty("6")
    h.settle()
    h.session.card_removed()
    assert h.session.screen == "welcome" and h.session.patient is None


def test_card_removed_mid_request_drops_the_answer(h: Harness) -> None:
    h.registry.identify_gate = threading.Event()
    h.session.card_inserted(POLICY, BORN)
    h.session.card_removed()
    h.registry.identify_gate.set()
    h.settle()
    assert h.session.screen == "welcome" and h.session.patient is None


def test_removing_a_card_does_not_end_a_typed_session(h: Harness) -> None:
    identified(h)
    h.session.card_removed()
    assert h.session.screen == "menu"


def test_another_card_starts_a_new_session_once_confirmed(h: Harness) -> None:
    h.session.card_inserted(POLICY, BORN)
    h.settle()
    h.session.open_booking()
    h.session.book.choose_specialty("6")
    h.settle()
    h.session.card_inserted("7700000000000024", date(1960, 11, 3))
    assert h.session.card_waiting  # never silently: the screen asks first (tests/unit/test_errands.py)
    h.session.switch_patient(True)
    h.settle()
    assert h.session.screen == "menu" and h.session.book.state.specialty is None
    assert h.session.patient is not None and h.session.patient.key.policy == "7700000000000024"


def test_unreadable_card_offers_typing(h: Harness) -> None:
    h.session.card_unreadable("The card does not answer.")
    assert h.session.screen == IdentifyStep.KEYPAD
    assert h.session.status.error == "The card does not answer."


def test_an_existing_appointment_is_offered_to_be_moved(h: Harness) -> None:
    to_confirm(h)
    h.session.book.confirm()
    h.settle()
    first = h.session.receipt.booking  # type: ignore[union-attr]
    assert first is not None
    h.session.wipe()
    to_confirm(h)  # same specialist again, another time
    h.session.book.confirm()
    h.settle()
    state = h.session.book.state
    assert h.session.screen == BookStep.CONFIRM and h.session.status.error == AppointmentExists.patient_message
    assert state.existing is not None and state.existing.appointment_id == first.appointment_id
    h.session.book.move_existing()
    h.settle()
    receipt = h.session.receipt
    assert h.session.screen == "done" and receipt is not None and receipt.booking is not None
    assert receipt.done is Done.MOVED
    assert [a.appointment_id for a in h.registry.booked] == [receipt.booking.appointment_id]
    assert receipt.booking.appointment_id != first.appointment_id


@pytest.mark.parametrize(("policy", "attachments", "expected", "params"), [
    ("7700000000000017", (Attachment(1, "ГП № 326", "ул. Примерная, 38"),), AttachedElsewhere, {"clinic": "ГП № 326"}),
    ("5000000000000066", (), OtherRegionPolicy, {}),
    ("7700000000000017", (), NotAttached, {}),
])
def test_not_attached_is_explained(h: Harness, policy: str, attachments: tuple[Attachment, ...],
                                   expected: type[NotAttached], params: dict[str, str]) -> None:
    h.registry.not_attached = True
    h.registry.attachments = attachments
    h.session.start()
    h.session.identify.submit(policy, BORN)
    h.settle()
    assert h.session.screen == IdentifyStep.KEYPAD
    assert h.session.status.error == expected.patient_message
    assert h.session.status.error_params == params


def test_errors_the_desk_can_solve_offer_a_queue_ticket(h: Harness) -> None:
    h.session.start()
    h.registry.fail_identify = RegistryUnavailable("down")
    h.session.identify.submit(POLICY, BORN)
    h.settle()
    reason = h.session.identify.state.walk_in_reason
    assert reason is not None and "unavailable" in reason
    h.session.identify.take_walk_in()
    assert h.session.screen == IdentifyStep.KEYPAD and h.session.status.busy  # printing, on the same screen
    h.settle()
    receipt = h.session.receipt
    assert h.session.screen == "done" and receipt is not None and receipt.done is Done.WALK_IN
    assert receipt.walk_in_number == "Р-001"
    assert h.walk_ins == [reason]
    h.session.wipe()
    assert h.session.receipt is None


def test_a_slot_taken_offers_no_queue_ticket(h: Harness) -> None:
    to_confirm(h)
    h.registry.free.clear()
    h.session.book.confirm()
    h.settle()
    assert h.session.status.error is not None and h.session.identify.state.walk_in_reason is None
    h.session.identify.take_walk_in()  # not the active journey: refused
    assert h.walk_ins == []


def test_nearest_free_time_goes_straight_to_confirmation(h: Harness) -> None:
    to_doctors(h)
    h.session.book.choose_nearest()
    h.settle()
    state = h.session.book.state
    assert h.session.screen == BookStep.CONFIRM
    assert state.doctor == DOCTOR and state.slot == min(h.registry.free, key=lambda s: s.start)
    h.session.back()
    assert h.session.screen == BookStep.SLOT and h.session.book.state.day is not None


def test_nearest_with_nothing_free_says_so(h: Harness) -> None:
    to_doctors(h)
    h.registry.free.clear()
    h.session.book.choose_nearest()
    h.settle()
    assert h.session.screen == BookStep.DOCTOR and h.session.status.error is not None


def test_a_booking_stands_when_its_record_cannot_be_read(h: Harness) -> None:
    to_confirm(h)
    chosen = h.session.book.state.slot
    h.registry.appointments_down = True  # the booking goes through, the read after it does not
    h.session.book.confirm()
    h.settle()
    receipt = h.session.receipt
    assert h.session.screen == "done" and h.session.status.error is None
    assert receipt is not None and receipt.appointment is not None and receipt.booking is not None
    appointment = receipt.appointment
    assert appointment.appointment_id == receipt.booking.appointment_id
    assert (appointment.start, appointment.room, appointment.doctor_name) == (
        chosen.start, chosen.cabinet, DOCTOR.name)  # type: ignore[union-attr]
    assert appointment.address == DOCTOR.rooms[0].address
    assert h.printed and h.printed[0][0] == appointment


# -- the journeys' rules -------------------------------------------------------------------------------


def test_an_intent_that_does_not_fit_the_step_is_refused_and_logged(
        h: Harness, caplog: pytest.LogCaptureFixture) -> None:
    to_doctors(h)
    with caplog.at_level("WARNING", logger="kiosk.session"):
        h.session.book.confirm()  # on the doctor list: there is nothing to confirm yet
        h.session.visits.check_in(1)  # a journey that is not active
    assert h.session.screen == BookStep.DOCTOR and h.jobs.pending == 0 and h.registry.booked == []
    messages = [r.getMessage() for r in caplog.records]
    assert any("refused intent book.confirm in step doctor" in m for m in messages)
    assert any("refused intent visits.check_in" in m and "not active" in m for m in messages)


def test_a_step_changes_only_through_the_transition_table(h: Harness) -> None:
    from kiosk.session.journey import JourneyError

    to_doctors(h)
    with pytest.raises(JourneyError, match="no move from doctor to doctor"):
        h.session.book._move(BookStep.DOCTOR)  # not in the table
    assert h.session.screen == BookStep.DOCTOR


def test_every_journey_step_has_a_screen_and_every_move_stays_in_the_journey() -> None:
    from kiosk.journeys.book import BookJourney
    from kiosk.journeys.home_visit import HomeVisitJourney
    from kiosk.journeys.identify import IdentifyJourney
    from kiosk.journeys.referral import ReferralJourney
    from kiosk.journeys.visits import VisitsJourney
    from kiosk.journeys.waiting_list import WaitingListJourney
    from kiosk.session.kernel import JOURNEY_SCREENS
    from screens import REGISTRY

    for journey in (IdentifyJourney, BookJourney, ReferralJourney, VisitsJourney, WaitingListJourney,
                    HomeVisitJourney):
        steps = set(journey.moves)
        assert journey.entries <= steps
        assert all(targets <= steps for targets in journey.moves.values()), journey.name
        assert {step.value for step in steps} <= JOURNEY_SCREENS
    assert JOURNEY_SCREENS | {"welcome", "menu", "done"} == set(REGISTRY)


def test_the_language_is_the_sessions_and_returns_to_the_default_after_a_wipe(h: Harness) -> None:
    h.session.set_language("en")
    identified(h)
    assert h.session.language == "en"
    h.session.wipe()
    assert h.session.language == "ru"


def test_idle_countdown_then_wipe_on_the_session_clock(h: Harness) -> None:
    identified(h)
    h.clock.advance(89)
    assert h.session.check_idle() is None
    h.clock.advance(2)
    assert h.session.check_idle() == 30
    h.clock.advance(12)
    assert h.session.check_idle() == 18
    h.session.touched()  # «Мне нужно больше времени»
    assert h.session.check_idle() is None and h.session.patient is not None
    h.clock.advance(91)
    assert h.session.check_idle() == 30
    h.clock.advance(30)
    assert h.session.check_idle() is None
    assert h.session.screen == "welcome" and h.session.patient is None


def test_idle_warning_and_wipe_run_while_a_request_is_pending(h: Harness) -> None:
    """A patient who walks away from a hanging request is forgotten all the same (issue 10)."""
    identified(h)
    h.registry.identify_gate = threading.Event()
    h.session.back()  # to the start, then in again
    h.session.start()
    h.session.identify.submit(POLICY, BORN)
    assert h.session.status.busy
    h.clock.advance(91)
    assert h.session.check_idle() == 30  # the countdown shows over the busy screen
    h.clock.advance(30)
    assert h.session.check_idle() is None
    assert h.session.screen == "welcome" and h.session.patient is None and not h.session.status.busy
    h.registry.identify_gate.set()  # the answer comes after all: it is dropped
    h.settle()
    assert h.session.screen == "welcome" and h.session.patient is None and h.session.identity is None


def test_a_journey_bug_in_an_answer_becomes_a_message_not_a_crash(
        h: Harness, caplog: pytest.LogCaptureFixture) -> None:
    to_doctors(h)
    book = h.session.book
    with caplog.at_level("ERROR", logger="kiosk.session"):
        # an answer handler that breaks the table (here: confirm straight from the doctor list)
        h.session.run(lambda: None, lambda _result: book._move(BookStep.SPECIALTY) or book._move(BookStep.CONFIRM))
        h.settle()
    assert h.session.status.error is not None and "registry desk" in h.session.status.error
    assert not h.session.status.busy and "refused the answer" in caplog.text


@settings(max_examples=50, deadline=None)
@given(typed=st.text(min_size=257, max_size=5000), birth=st.text(max_size=5000))
def test_long_typed_input_gets_a_message_at_the_keypad_and_sends_nothing(typed: str, birth: str) -> None:
    assume(classify_number(typed).enp is None)  # (a valid policy among 241+ separators would be sent)
    h = Harness()
    h.session.start()
    screen = h.session.screen
    checked = h.session.identify.submit_typed(typed, birth)
    assert checked.problem is not None and checked.field in ("policy", "birth")
    assert h.jobs.pending == 0 and h.session.screen == screen and h.session.patient is None
