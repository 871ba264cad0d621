"""The patient never waits without a way out (issue 10): «Отменить» after a while, deadlines, and a
write whose answer never came is told as unknown, never as "not done". Real worker threads, each
request hung on an Event; time moves on the ManualClock."""

from __future__ import annotations

import threading

import pytest

from kiosk.domain import Booking, Doctor, PatientKey, Slot
from kiosk.errors import BookingOutcomeUnknown
from kiosk.jobs import JobCancelled, JobTimedOut
from kiosk.journeys.book import BookStep
from kiosk.journeys.identify import IdentifyStep
from tests.unit.test_jobs import wait_for
from tests.unit.test_session import BORN, POLICY, Harness, MemoryRegistry, identified, to_confirm


class SlowRegistry(MemoryRegistry):
    """The in-memory registry, with bookings that hang until released (a trickling answer)."""

    def __init__(self) -> None:
        super().__init__()
        self.book_gate: threading.Event | None = None
        self.book_entered = threading.Event()

    def book(self, key: PatientKey, doctor: Doctor, chosen: Slot) -> Booking:
        self.book_entered.set()
        if self.book_gate is not None:
            self.book_gate.wait(10)
        return super().book(key, doctor, chosen)


@pytest.fixture
def h() -> Harness:
    harness = Harness()
    harness.registry = SlowRegistry()
    harness.session.registry = harness.registry
    return harness


def tick(h: Harness, seconds: float) -> None:
    """Time passes; what the UI clock does twice a second."""
    h.clock.advance(seconds)
    h.jobs.tick()
    h.session.check_wait()


def test_cancel_is_offered_after_a_while_and_gives_back_the_keypad_with_a_next_step(h: Harness) -> None:
    h.registry.identify_gate = threading.Event()
    h.session.start()
    h.session.identify.submit(POLICY, BORN)
    offer = h.jobs.config.offer_cancel_after
    tick(h, offer - 0.5)
    assert h.session.status.busy and not h.session.status.cancellable
    tick(h, 0.5)
    assert h.session.status.busy and h.session.status.cancellable
    h.session.cancel()
    status = h.session.status
    assert not status.busy and status.error == JobCancelled.patient_message
    assert h.session.screen == IdentifyStep.KEYPAD
    assert h.session.identify.state.walk_in_reason is not None  # the queue ticket to the desk is offered
    h.registry.identify_gate.set()  # the answer comes after all: dropped
    h.settle()
    assert h.session.patient is None and h.session.screen == IdentifyStep.KEYPAD
    h.registry.identify_gate = None
    h.session.identify.submit(POLICY, BORN)  # and the keypad works again
    h.settle()
    assert h.session.patient is not None and h.session.screen == "menu"


def test_a_read_past_its_deadline_is_a_message_not_a_hang(h: Harness) -> None:
    h.registry.identify_gate = threading.Event()
    h.session.start()
    h.session.identify.submit(POLICY, BORN)
    tick(h, h.jobs.config.deadline)
    h.settle()
    assert not h.session.status.busy and h.session.status.error == JobTimedOut.patient_message
    assert h.session.identify.state.walk_in_reason is not None
    h.registry.identify_gate.set()


def test_a_cancelled_booking_is_never_called_not_booked(h: Harness) -> None:
    to_confirm(h)
    registry = h.registry
    assert isinstance(registry, SlowRegistry)
    registry.book_gate = threading.Event()
    h.session.book.confirm()
    assert registry.book_entered.wait(10)
    tick(h, h.jobs.config.offer_cancel_after)
    h.session.cancel()
    assert h.session.status.error == BookingOutcomeUnknown.patient_message  # "we could not confirm"
    assert h.session.screen == BookStep.CONFIRM and not h.session.status.busy
    registry.book_gate.set()  # the registry did book it: the kiosk said "unknown", which was true
    wait_for(lambda: h.jobs.state().running == 0)
    h.settle()
    # the booking stands, and the work it was part of goes on: its ticket is printed (the truth on paper),
    # while the screen, already given back to the patient, is left alone
    assert len(registry.booked) == 1 and [a.appointment_id for a, _p in h.printed] == [
        registry.booked[0].appointment_id]
    assert h.session.screen == BookStep.CONFIRM and h.session.receipt is None


def test_a_booking_past_its_deadline_is_unknown_not_failed(h: Harness) -> None:
    to_confirm(h)
    registry = h.registry
    assert isinstance(registry, SlowRegistry)
    registry.book_gate = threading.Event()
    h.session.book.confirm()
    assert registry.book_entered.wait(10)
    tick(h, h.jobs.config.deadline)  # a read would have timed out by now; a booking has longer
    assert h.session.status.busy
    tick(h, h.jobs.config.write_deadline - h.jobs.config.deadline)
    h.settle()
    assert h.session.status.error == BookingOutcomeUnknown.patient_message
    assert h.session.screen == BookStep.CONFIRM
    registry.book_gate.set()


def test_the_wipe_gives_up_a_booking_still_queued_so_it_is_never_sent(h: Harness) -> None:
    to_confirm(h)
    blockers = [threading.Event() for _ in range(h.jobs.config.workers)]
    for gate in blockers:  # every worker busy (within its deadline) with someone's printing
        h.jobs.submit(lambda g=gate: g.wait(10), lambda _r: None, lambda _e: None)
    h.session.book.confirm()
    h.session.wipe()  # the patient walked away (idle timeout) before it could start
    for gate in blockers:
        gate.set()
    wait_for(lambda: h.jobs.state().running == 0)
    h.settle()
    assert h.registry.booked == [] and h.session.patient is None


def test_cancel_at_the_moment_the_answer_arrives_lets_the_answer_land(h: Harness) -> None:
    h.session.start()
    h.session.identify.submit(POLICY, BORN)
    deliver = h.inbox.get(timeout=10)  # the answer is in, the next frame hands it over
    h.session.cancel()  # the finger was a moment late
    assert h.session.status.busy and h.session.status.error is None
    deliver()
    assert h.session.patient is not None and h.session.screen == "menu"


def test_identified_then_cancel_outside_a_wait_changes_nothing(h: Harness) -> None:
    identified(h)
    h.session.cancel()
    assert h.session.screen == "menu" and h.session.status.error is None


def test_the_cancel_offer_is_not_a_touch_so_the_idle_countdown_still_comes(h: Harness) -> None:
    identified(h)
    h.registry.identify_gate = threading.Event()
    notified: list[None] = []
    h.session.subscribe(lambda: notified.append(None))
    h.session.back()
    h.session.start()
    h.session.identify.submit(POLICY, BORN)
    notified.clear()
    h.clock.advance(h.jobs.config.offer_cancel_after)
    assert h.session.check_wait() is True and h.session.status.cancellable
    assert h.session.check_wait() is False and notified == []  # once, and nobody was told it was a change
    h.clock.advance(91 - h.jobs.config.offer_cancel_after)
    assert h.session.check_idle() == 30
    h.registry.identify_gate.set()
    h.settle()
