"""The booking flow as a state machine, over an in-memory registry (the port, not our client)."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk.clock import ManualClock
from kiosk.domain import (
    Appointment,
    Attachment,
    Booking,
    DaySchedule,
    Doctor,
    Patient,
    PatientKey,
    Room,
    Schedule,
    Slot,
    Specialty,
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
from kiosk.flow import BookingFlow, PrintOutcome, Step
from kiosk.jobs import Jobs
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

    def close(self) -> None:
        pass


class Harness:
    def __init__(self) -> None:
        self.inbox: queue.Queue[Callable[[], None]] = queue.Queue()
        self.jobs = Jobs(post=self.inbox.put)
        self.registry = MemoryRegistry()
        self.printed: list[tuple[Appointment, Patient]] = []
        self.walk_ins: list[str] = []
        self.clock = ManualClock(TEST_NOW)
        self.flow = BookingFlow(self.registry, self.jobs, self, self.clock)

    def print_for(self, appointment: Appointment, patient: Patient) -> PrintOutcome:
        self.printed.append((appointment, patient))
        return PrintOutcome(printed=True, image=Path("/tmp/ticket.png"))

    def print_walk_in(self, reason: str) -> PrintOutcome:
        self.walk_ins.append(reason)
        return PrintOutcome(printed=True, image=None, queue_number=f"Р-{len(self.walk_ins):03d}")

    def settle(self) -> None:
        """Run posted callbacks on 'the UI thread' (this one) until no job is in flight."""
        while self.jobs.pending:
            self.inbox.get(timeout=10)()


@pytest.fixture
def h() -> Harness:
    return Harness()


def to_doctors(h: Harness) -> None:
    """Identified, the ophthalmologist chosen: the doctor list."""
    h.flow.start()
    h.flow.submit_identity(POLICY, BORN)
    h.settle()
    h.flow.choose_specialty("6")
    h.settle()


def to_confirm(h: Harness) -> None:
    to_doctors(h)
    h.flow.choose_doctor(DOCTOR.resource_id)
    h.settle()
    assert h.flow.state.day is not None
    h.flow.choose_slot(h.flow.state.day.slots[0])


def test_books_and_prints_end_to_end(h: Harness) -> None:
    to_confirm(h)
    assert h.flow.state.step is Step.CONFIRM
    h.flow.confirm()
    assert h.flow.state.busy
    h.settle()
    state = h.flow.state
    assert state.step is Step.DONE and not state.busy and state.error is None
    assert state.appointment is not None and state.appointment.doctor_name == DOCTOR.name
    assert [a.appointment_id for a, _p in h.printed] == [state.booking.appointment_id]  # type: ignore[union-attr]
    assert h.printed[0][1].short_name == "Иванова А. С."


def test_slot_taken_returns_to_a_fresh_schedule_with_a_message(h: Harness) -> None:
    to_confirm(h)
    taken = h.flow.state.slot
    h.registry.free.remove(taken)  # someone else was faster
    h.flow.confirm()
    h.settle()
    state = h.flow.state
    assert state.step is Step.SLOT
    assert state.error == SlotTaken.patient_message
    assert state.day is not None and taken not in state.day.slots
    assert h.printed == []


def test_registry_errors_reach_the_patient_as_messages(h: Harness) -> None:
    h.flow.start()
    h.registry.fail_identify = PatientNotFound()
    h.flow.submit_identity(POLICY, BORN)
    h.settle()
    assert h.flow.state.step is Step.IDENTIFY
    assert h.flow.state.error == PatientNotFound.patient_message
    h.registry.fail_identify = RegistryUnavailable("down")
    h.flow.submit_identity(POLICY, BORN)
    h.settle()
    assert h.flow.state.error == RegistryUnavailable.patient_message


def test_unexpected_exception_gives_a_generic_message(h: Harness) -> None:
    h.flow.start()
    h.registry.fail_identify = KeyError("surprise")
    h.flow.submit_identity(POLICY, BORN)
    h.settle()
    assert h.flow.state.error is not None and "registry desk" in h.flow.state.error


def test_reset_wipes_the_patient_and_drops_late_answers(h: Harness) -> None:
    h.flow.start()
    h.registry.identify_gate = threading.Event()
    h.flow.submit_identity(POLICY, BORN)
    h.flow.reset()  # card pulled out while the registry was thinking
    h.registry.identify_gate.set()
    h.settle()
    assert h.flow.state.step is Step.WELCOME
    assert h.flow.state.patient is None and not h.flow.state.busy


def test_repeated_taps_start_one_request(h: Harness) -> None:
    h.flow.start()
    h.flow.submit_identity(POLICY, BORN)
    h.flow.submit_identity(POLICY, BORN)
    assert h.jobs.pending == 1
    h.settle()


def test_back_goes_one_step_and_from_the_menu_forgets_the_patient(h: Harness) -> None:
    to_confirm(h)
    h.flow.back()
    assert h.flow.state.step is Step.SLOT
    h.flow.back()
    assert h.flow.state.step is Step.DOCTOR
    h.flow.back()
    assert h.flow.state.step is Step.SPECIALTY and h.flow.state.patient is not None
    h.flow.back()
    assert h.flow.state.step is Step.MENU and h.flow.state.patient is not None
    h.flow.back()
    assert h.flow.state.step is Step.WELCOME and h.flow.state.patient is None


def test_card_session_ends_when_the_card_is_removed(h: Harness) -> None:
    h.flow.card_inserted(POLICY, BORN)
    h.settle()
    assert h.flow.state.step is Step.MENU and h.flow.state.by_card
    h.flow.choose_specialty("6")
    h.settle()
    h.flow.card_removed()
    assert h.flow.state.step is Step.WELCOME and h.flow.state.patient is None


def test_card_removed_mid_request_drops_the_answer(h: Harness) -> None:
    h.registry.identify_gate = threading.Event()
    h.flow.card_inserted(POLICY, BORN)
    h.flow.card_removed()
    h.registry.identify_gate.set()
    h.settle()
    assert h.flow.state.step is Step.WELCOME and h.flow.state.patient is None


def test_removing_a_card_does_not_end_a_typed_session(h: Harness) -> None:
    h.flow.start()
    h.flow.submit_identity(POLICY, BORN)
    h.settle()
    h.flow.card_removed()
    assert h.flow.state.step is Step.MENU


def test_another_card_starts_a_new_session(h: Harness) -> None:
    h.flow.card_inserted(POLICY, BORN)
    h.settle()
    h.flow.choose_specialty("6")
    h.settle()
    h.flow.card_inserted("7700000000000024", date(1960, 11, 3))
    h.settle()
    state = h.flow.state
    assert state.step is Step.MENU and state.specialty is None
    assert state.patient is not None and state.patient.key.policy == "7700000000000024"


def test_unreadable_card_offers_typing(h: Harness) -> None:
    h.flow.card_unreadable("The card does not answer.")
    assert h.flow.state.step is Step.IDENTIFY
    assert h.flow.state.error == "The card does not answer."


def test_an_existing_appointment_is_offered_to_be_moved(h: Harness) -> None:
    to_confirm(h)
    h.flow.confirm()
    h.settle()
    first = h.flow.state.booking
    assert first is not None
    h.flow.reset()
    to_confirm(h)  # same specialist again, another time
    h.flow.confirm()
    h.settle()
    state = h.flow.state
    assert state.step is Step.CONFIRM and state.error == AppointmentExists.patient_message
    assert state.existing is not None and state.existing.appointment_id == first.appointment_id
    h.flow.move_existing()
    h.settle()
    state = h.flow.state
    assert state.step is Step.DONE and state.booking is not None
    assert [a.appointment_id for a in h.registry.booked] == [state.booking.appointment_id]
    assert state.booking.appointment_id != first.appointment_id


@pytest.mark.parametrize(("policy", "attachments", "expected", "params"), [
    ("7700000000000017", (Attachment(1, "ГП № 326", "ул. Примерная, 38"),), AttachedElsewhere, {"clinic": "ГП № 326"}),
    ("5000000000000066", (), OtherRegionPolicy, {}),
    ("7700000000000017", (), NotAttached, {}),
])
def test_not_attached_is_explained(h: Harness, policy: str, attachments: tuple[Attachment, ...],
                                   expected: type[NotAttached], params: dict[str, str]) -> None:
    h.registry.not_attached = True
    h.registry.attachments = attachments
    h.flow.start()
    h.flow.submit_identity(policy, BORN)
    h.settle()
    assert h.flow.state.step is Step.IDENTIFY
    assert h.flow.state.error == expected.patient_message
    assert h.flow.state.error_params == params


def test_errors_the_desk_can_solve_offer_a_queue_ticket(h: Harness) -> None:
    h.flow.start()
    h.registry.fail_identify = RegistryUnavailable("down")
    h.flow.submit_identity(POLICY, BORN)
    h.settle()
    reason = h.flow.state.walk_in_reason
    assert reason is not None and "unavailable" in reason
    h.flow.walk_in()
    h.settle()
    state = h.flow.state
    assert state.step is Step.DONE and state.walk_in_number == "Р-001"
    assert h.walk_ins == [reason]
    h.flow.reset()
    assert h.flow.state.walk_in_number is None


def test_a_slot_taken_offers_no_queue_ticket(h: Harness) -> None:
    to_confirm(h)
    h.registry.free.clear()
    h.flow.confirm()
    h.settle()
    assert h.flow.state.error is not None and h.flow.state.walk_in_reason is None
    h.flow.walk_in()
    assert h.walk_ins == []


def test_nearest_free_time_goes_straight_to_confirmation(h: Harness) -> None:
    to_doctors(h)
    h.flow.choose_nearest()
    h.settle()
    state = h.flow.state
    assert state.step is Step.CONFIRM
    assert state.doctor == DOCTOR and state.slot == min(h.registry.free, key=lambda s: s.start)
    h.flow.back()
    assert h.flow.state.step is Step.SLOT and h.flow.state.day is not None


def test_nearest_with_nothing_free_says_so(h: Harness) -> None:
    to_doctors(h)
    h.registry.free.clear()
    h.flow.choose_nearest()
    h.settle()
    assert h.flow.state.step is Step.DOCTOR and h.flow.state.error is not None


def test_a_booking_stands_when_its_record_cannot_be_read(h: Harness) -> None:
    to_confirm(h)
    chosen = h.flow.state.slot
    h.registry.appointments_down = True  # the booking goes through, the read after it does not
    h.flow.confirm()
    h.settle()
    state = h.flow.state
    assert state.step is Step.DONE and state.error is None
    assert state.appointment is not None and state.booking is not None
    assert state.appointment.appointment_id == state.booking.appointment_id
    assert (state.appointment.start, state.appointment.room, state.appointment.doctor_name) == (
        chosen.start, chosen.cabinet, DOCTOR.name)  # type: ignore[union-attr]
    assert state.appointment.address == DOCTOR.rooms[0].address
    assert h.printed and h.printed[0][0] == state.appointment
