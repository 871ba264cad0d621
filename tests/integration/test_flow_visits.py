"""The menu's branches through the real flow, the real EMIAS client and the demo registry on loopback
(no window): referrals, the patient's appointments, cancel, move, check-in."""

from __future__ import annotations

import queue
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from devices.printer.config import PrinterConfig
from devices.printer.factory import open_printer
from kiosk.clock import ManualClock
from kiosk.demo_registry import DEMO_PATIENTS, DemoRegistryHandle, start_demo_registry
from kiosk.domain import PatientKey
from kiosk.flow import BookingFlow, Done, Step
from kiosk.flow_visits import CANCELLED
from kiosk.jobs import Jobs
from kiosk.queue_numbers import QueueNumbers
from kiosk.registry.emias import EmiasRegistry
from kiosk.ticket_desk import TicketDesk
from kiosk.tickets.config import TicketConfig
from tests.pinned import clock_now

ANNA, SERGEY = DEMO_PATIENTS[0], DEMO_PATIENTS[1]


class Kiosk:
    def __init__(self, url: str, tmp: Path, clock: ManualClock) -> None:
        self.inbox: queue.Queue[Callable[[], None]] = queue.Queue()
        self.jobs = Jobs(post=self.inbox.put)
        self.registry = EmiasRegistry(url, connect_timeout=2, read_timeout=5, read_retries=0)
        printer = open_printer(PrinterConfig(kind="preview", path=tmp / "tickets"), now=clock_now)
        desk = TicketDesk(printer, TicketConfig(), "test-01", 48, preview_only=True,
                          queue=QueueNumbers(tmp / "queue.sqlite"), clock=clock)
        self.flow = BookingFlow(self.registry, self.jobs, desk, clock)

    def settle(self) -> None:
        while self.jobs.pending:
            self.inbox.get(timeout=20)()

    def identify(self, patient: object) -> None:
        self.flow.start()
        self.flow.submit_identity(patient.policy, patient.birth_date)  # type: ignore[attr-defined]
        self.settle()
        assert self.flow.state.step is Step.MENU, self.flow.state.error


@pytest.fixture
def demo(tmp_path: Path, clock: ManualClock) -> Iterator[DemoRegistryHandle]:
    with start_demo_registry(tmp_path / "registry.sqlite", seed=7, clock=clock) as handle:
        yield handle


@pytest.fixture
def kiosk(demo: DemoRegistryHandle, tmp_path: Path, clock: ManualClock) -> Iterator[Kiosk]:
    made = Kiosk(demo.url, tmp_path, clock)
    yield made
    made.registry.close()


def test_booking_by_referral(kiosk: Kiosk) -> None:
    kiosk.identify(ANNA)
    kiosk.flow.open_referrals()
    kiosk.settle()
    state = kiosk.flow.state
    assert state.step is Step.REFERRALS
    assert {r.referral_id for r in state.referrals} == {173_456_789_001, 173_456_789_002}  # the expired one is not
    kiosk.flow.choose_referral(173_456_789_001)
    kiosk.settle()
    assert state.step is Step.DOCTOR and state.doctors_from is Step.REFERRALS
    doctor = next(d for d in kiosk.flow.state.doctors if d.bookable)
    kiosk.flow.choose_doctor(doctor.resource_id)
    kiosk.settle()
    day = kiosk.flow.state.day
    assert day is not None
    kiosk.flow.choose_slot(day.slots[0])
    kiosk.flow.confirm()
    kiosk.settle()
    state = kiosk.flow.state
    assert state.step is Step.DONE and state.done is Done.BOOKED, state.error
    assert state.appointment is not None and state.appointment.referral_id == 173_456_789_001
    kiosk.flow.back()  # nothing to go back to from the final screen
    kiosk.flow.to_menu()
    kiosk.flow.open_referrals()
    kiosk.settle()
    assert 173_456_789_001 not in {r.referral_id for r in kiosk.flow.state.referrals}  # used now


def test_cancel_asks_first_then_frees_the_appointment(kiosk: Kiosk) -> None:
    kiosk.identify(SERGEY)
    kiosk.flow.open_visits()
    kiosk.settle()
    state = kiosk.flow.state
    assert state.step is Step.VISITS and len(state.visits) == 3
    victim = state.visits[-1]
    kiosk.flow.ask_cancel(victim.appointment_id)
    assert kiosk.flow.state.cancel_asked == victim and kiosk.jobs.pending == 0  # nothing sent yet
    kiosk.flow.keep_appointment()
    assert kiosk.flow.state.cancel_asked is None
    kiosk.flow.ask_cancel(victim.appointment_id)
    kiosk.flow.cancel_confirmed()
    kiosk.settle()
    state = kiosk.flow.state
    assert state.notice == CANCELLED and state.cancel_asked is None
    assert victim.appointment_id not in {a.appointment_id for a in state.visits}
    key = PatientKey(SERGEY.policy, SERGEY.birth_date)
    assert victim.appointment_id not in {a.appointment_id for a in kiosk.registry.appointments(key)}


def test_move_an_appointment_to_another_time(kiosk: Kiosk) -> None:
    kiosk.identify(SERGEY)
    kiosk.flow.open_visits()
    kiosk.settle()
    visit = next(a for a in kiosk.flow.state.visits if a.kind == "RECEPTION" and a.specialty_name)
    kiosk.flow.move(visit.appointment_id)
    kiosk.settle()
    state = kiosk.flow.state
    assert state.step is Step.DOCTOR and state.doctors_from is Step.VISITS
    doctor = next(d for d in state.doctors if d.bookable)
    assert doctor.shift_appointment_id == visit.appointment_id
    kiosk.flow.choose_doctor(doctor.resource_id)
    kiosk.settle()
    new_slot = next(s for d in kiosk.flow.state.schedule.days for s in d.slots  # type: ignore[union-attr]
                    if s.start != visit.start)
    kiosk.flow.choose_slot(new_slot)
    kiosk.flow.confirm()
    kiosk.settle()
    state = kiosk.flow.state
    assert state.step is Step.DONE and state.done is Done.MOVED, state.error
    listed = kiosk.registry.appointments(PatientKey(SERGEY.policy, SERGEY.birth_date))
    assert visit.appointment_id not in {a.appointment_id for a in listed}
    moved = next(a for a in listed if a.appointment_id == state.booking.appointment_id)  # type: ignore[union-attr]
    assert moved.start == new_slot.start


def check_in_on_the_day(kiosk: Kiosk, clock: ManualClock) -> int:
    """Сергей comes 20 minutes before his next appointment and taps «Я пришёл»; returns its id.

    The kiosk and the registry share ``clock``, so moving it makes that visit's day "today" for both.
    """
    kiosk.identify(SERGEY)
    kiosk.flow.open_visits()
    kiosk.settle()
    first = kiosk.flow.state.visits[0]
    clock.set(first.start - timedelta(minutes=20))
    kiosk.flow.to_menu()
    kiosk.flow.open_visits()
    kiosk.settle()
    assert first.appointment_id in {a.appointment_id for a in kiosk.flow.state.visits}
    kiosk.flow.check_in(first.appointment_id)
    kiosk.settle()
    return first.appointment_id


def test_check_in_on_the_day_confirms_and_prints(kiosk: Kiosk, clock: ManualClock) -> None:
    today_id = check_in_on_the_day(kiosk, clock)
    state = kiosk.flow.state
    assert state.step is Step.DONE and state.done is Done.CHECKED_IN, state.error
    assert state.ticket is not None and state.ticket.image is not None and state.ticket.image.exists()
    listed = kiosk.registry.appointments(PatientKey(SERGEY.policy, SERGEY.birth_date))
    assert next(a for a in listed if a.appointment_id == today_id).checked_in


def test_without_the_check_in_extension_the_ticket_confirms_the_visit(tmp_path: Path, clock: ManualClock) -> None:
    with start_demo_registry(tmp_path / "plain.sqlite", seed=7, clock=clock, check_in=None) as plain:
        kiosk = Kiosk(plain.url, tmp_path, clock)
        check_in_on_the_day(kiosk, clock)
        state = kiosk.flow.state
        assert state.step is Step.DONE and state.done is Done.REPRINT and state.notice is not None
        assert state.ticket is not None and state.ticket.image is not None
        kiosk.registry.close()
