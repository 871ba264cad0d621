"""The menu's branches through the real session and journeys, the real EMIAS client and the demo registry
on loopback (no window): referrals, the patient's appointments, cancel, move, check-in."""

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
from kiosk.jobs import Jobs
from kiosk.journeys.visits import CANCELLED
from kiosk.queue_numbers import QueueNumbers
from kiosk.registry.emias import EmiasRegistry
from kiosk.session.journey import Done
from kiosk.session.kernel import Session
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
        self.session = Session(self.registry, self.jobs, desk, clock)

    def settle(self) -> None:
        while self.jobs.pending:
            self.inbox.get(timeout=20)()

    def identify(self, patient: object) -> None:
        self.session.start()
        self.session.identify.submit(patient.policy, patient.birth_date)  # type: ignore[attr-defined]
        self.settle()
        assert self.session.screen == "menu", self.session.status.error


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
    session = kiosk.session
    kiosk.identify(ANNA)
    session.open_referrals()
    kiosk.settle()
    assert session.screen == "referrals"
    usable = {r.referral_id for r in session.referral.state.referrals}
    assert usable == {173_456_789_001, 173_456_789_002}  # the expired one is not
    session.referral.choose(173_456_789_001)
    kiosk.settle()
    book = session.book
    assert session.screen == "doctor" and book.state.origin == "referral"
    doctor = next(d for d in book.state.doctors if d.bookable)
    book.choose_doctor(doctor.resource_id)
    kiosk.settle()
    day = book.state.day
    assert day is not None
    book.choose_slot(day.slots[0])
    book.confirm()
    kiosk.settle()
    receipt = session.receipt
    assert session.screen == "done" and receipt is not None and receipt.done is Done.BOOKED, session.status.error
    assert receipt.appointment is not None and receipt.appointment.referral_id == 173_456_789_001
    session.back()  # nothing to go back to from the final screen
    assert session.screen == "done"
    session.to_menu()
    session.open_referrals()
    kiosk.settle()
    assert 173_456_789_001 not in {r.referral_id for r in session.referral.state.referrals}  # used now


def test_back_from_doctors_by_referral_returns_to_the_referrals(kiosk: Kiosk) -> None:
    session = kiosk.session
    kiosk.identify(ANNA)
    session.open_referrals()
    kiosk.settle()
    session.referral.choose(173_456_789_001)
    kiosk.settle()
    session.back()
    assert session.screen == "referrals" and len(session.referral.state.referrals) == 2
    session.back()
    assert session.screen == "menu"


def test_cancel_asks_first_then_frees_the_appointment(kiosk: Kiosk) -> None:
    session, visits = kiosk.session, kiosk.session.visits
    kiosk.identify(SERGEY)
    session.open_visits()
    kiosk.settle()
    assert session.screen == "visits" and len(visits.state.visits) == 3
    victim = visits.state.visits[-1]
    visits.ask_cancel(victim.appointment_id)
    assert visits.state.cancel_asked == victim and kiosk.jobs.pending == 0  # nothing sent yet
    visits.keep_appointment()
    assert visits.state.cancel_asked is None
    visits.ask_cancel(victim.appointment_id)
    visits.cancel_confirmed()
    kiosk.settle()
    assert visits.state.notice == CANCELLED and visits.state.cancel_asked is None
    assert victim.appointment_id not in {a.appointment_id for a in visits.state.visits}
    key = PatientKey(SERGEY.policy, SERGEY.birth_date)
    assert victim.appointment_id not in {a.appointment_id for a in kiosk.registry.appointments(key)}


def test_move_an_appointment_to_another_time(kiosk: Kiosk) -> None:
    session, book = kiosk.session, kiosk.session.book
    kiosk.identify(SERGEY)
    session.open_visits()
    kiosk.settle()
    visit = next(a for a in session.visits.state.visits if a.kind == "RECEPTION" and a.specialty_name)
    session.visits.move(visit.appointment_id)
    kiosk.settle()
    assert session.screen == "doctor" and book.state.origin == "visits"
    doctor = next(d for d in book.state.doctors if d.bookable)
    assert doctor.shift_appointment_id == visit.appointment_id
    book.choose_doctor(doctor.resource_id)
    kiosk.settle()
    new_slot = next(s for d in book.state.schedule.days for s in d.slots  # type: ignore[union-attr]
                    if s.start != visit.start)
    book.choose_slot(new_slot)
    book.confirm()
    kiosk.settle()
    receipt = session.receipt
    assert session.screen == "done" and receipt is not None and receipt.done is Done.MOVED, session.status.error
    listed = kiosk.registry.appointments(PatientKey(SERGEY.policy, SERGEY.birth_date))
    assert visit.appointment_id not in {a.appointment_id for a in listed}
    moved = next(a for a in listed if a.appointment_id == receipt.booking.appointment_id)  # type: ignore[union-attr]
    assert moved.start == new_slot.start


def check_in_on_the_day(kiosk: Kiosk, clock: ManualClock) -> int:
    """Сергей comes 20 minutes before his next appointment and taps «Я пришёл»; returns its id.

    The kiosk and the registry share ``clock``, so moving it makes that visit's day "today" for both.
    """
    session = kiosk.session
    kiosk.identify(SERGEY)
    session.open_visits()
    kiosk.settle()
    first = session.visits.state.visits[0]
    clock.set(first.start - timedelta(minutes=20))
    session.back()
    session.open_visits()
    kiosk.settle()
    shown = session.visits.state.visit(first.appointment_id)
    assert session.visits.can_check_in(shown)  # «Я пришёл» is offered on the day
    session.visits.check_in(first.appointment_id)
    kiosk.settle()
    return first.appointment_id


def test_check_in_on_the_day_confirms_and_prints(kiosk: Kiosk, clock: ManualClock) -> None:
    today_id = check_in_on_the_day(kiosk, clock)
    receipt = kiosk.session.receipt
    assert kiosk.session.screen == "done", kiosk.session.status.error
    assert receipt is not None and receipt.done is Done.CHECKED_IN
    assert receipt.ticket is not None and receipt.ticket.image is not None and receipt.ticket.image.exists()
    listed = kiosk.registry.appointments(PatientKey(SERGEY.policy, SERGEY.birth_date))
    assert next(a for a in listed if a.appointment_id == today_id).checked_in


def test_without_the_check_in_extension_the_ticket_confirms_the_visit(tmp_path: Path, clock: ManualClock) -> None:
    with start_demo_registry(tmp_path / "plain.sqlite", seed=7, clock=clock, check_in=None) as plain:
        kiosk = Kiosk(plain.url, tmp_path, clock)
        check_in_on_the_day(kiosk, clock)
        receipt = kiosk.session.receipt
        assert kiosk.session.screen == "done" and receipt is not None
        assert receipt.done is Done.REPRINT and receipt.notice is not None
        assert receipt.ticket is not None and receipt.ticket.image is not None
        kiosk.registry.close()
