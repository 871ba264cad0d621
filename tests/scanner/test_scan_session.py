"""Scans through a real pty into the real session: the scanner's reader thread, the EMIAS client and the
demo registry on loopback (no window). A scan identifies with no more registry calls than a card does."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from devices.printer.config import PrinterConfig
from devices.printer.factory import open_printer
from devices.scanner.config import ScannerConfig
from devices.scanner.virtual_scanner import VirtualScanner, demo_paper_policy
from kiosk import scan_messages as m
from kiosk.clock import ManualClock
from kiosk.demo_registry import DEMO_PATIENTS, DemoRegistryHandle, start_demo_registry
from kiosk.domain import PatientKey
from kiosk.errors import RegistryUnavailable
from kiosk.jobs import Jobs
from kiosk.queue_numbers import QueueNumbers
from kiosk.registry.emias import EmiasRegistry
from kiosk.scanner_session import ScannerSession
from kiosk.session.journey import Done
from kiosk.session.kernel import Session, Source
from kiosk.ticket_desk import TicketDesk
from kiosk.tickets.check_in_pass import open_pass, seal
from kiosk.tickets.config import TicketConfig
from tests.pinned import clock_now

SERGEY = DEMO_PATIENTS[1]
SERGEY_KEY = PatientKey(SERGEY.policy, SERGEY.birth_date)
TICKET_KEY = bytes(range(100, 132))


class Outbox:
    """Stands in for the outbox at the seam (the real one: tests/offline/test_offline_check_in.py)."""

    def __init__(self) -> None:
        self.queued: list[tuple[PatientKey, int]] = []

    def queue_check_in(self, key: PatientKey, appointment_id: int) -> int:
        self.queued.append((key, appointment_id))
        return len(self.queued)


class Kiosk:
    """The session as the composition root builds it, with the scanner's reader on a pty."""

    def __init__(self, url: str, tmp: Path, clock: ManualClock, port: str) -> None:
        self.inbox: queue.Queue[Callable[[], None]] = queue.Queue()
        self.jobs = Jobs(post=self.inbox.put)
        self.registry = EmiasRegistry(url, connect_timeout=2, read_timeout=5, read_retries=0)
        self.calls: list[str] = []
        rpc: Any = self.registry.rpc
        original = rpc.call

        def counted(method: str, params: dict[str, Any], **kwargs: Any) -> Any:
            self.calls.append(method)
            return original(method, params, **kwargs)

        rpc.call = counted  # a spy on the wire: the real client still does every call
        printer = open_printer(PrinterConfig(kind="file", path=tmp / "printed.bin", qr="native"), now=clock_now)
        self.desk = TicketDesk(printer, TicketConfig(), "test-01", 48, preview_only=False,
                               queue=QueueNumbers(tmp / "queue.sqlite"), clock=clock, ticket_key=TICKET_KEY)
        self.outbox: Outbox | None = None
        self.session = Session(self.registry, self.jobs, self.desk, clock)
        self.port_open = threading.Event()  # bytes sent before the port opens are flushed by the open
        self.scanner = ScannerSession(ScannerConfig(kind="serial", port=port, reopen_interval=0.2), self.session,
                                      self.inbox.put, clock, ticket_key=TICKET_KEY, reject_expired=True,
                                      scanner_state=lambda up, _why: self.port_open.set() if up else None)

    def next_event(self, timeout: float = 20) -> None:
        self.inbox.get(timeout=timeout)()

    def until(self, condition: Callable[[], bool], what: str, limit: float = 20) -> None:
        ends = time.monotonic() + limit
        while not condition():
            try:
                self.next_event(timeout=max(0.05, ends - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"waited {limit} s for {what}") from None

    def settle(self) -> None:
        while self.jobs.pending:
            self.next_event()


@pytest.fixture
def demo(tmp_path: Path, clock: ManualClock) -> Iterator[DemoRegistryHandle]:
    with start_demo_registry(tmp_path / "registry.sqlite", seed=7, clock=clock) as handle:
        yield handle


@pytest.fixture
def scanner(tmp_path: Path) -> Iterator[VirtualScanner]:
    emulator = VirtualScanner(link=tmp_path / "ttyACM0")
    yield emulator
    emulator.close()


@pytest.fixture
def kiosk(demo: DemoRegistryHandle, scanner: VirtualScanner, tmp_path: Path, clock: ManualClock) -> Iterator[Kiosk]:
    made = Kiosk(demo.url, tmp_path, clock, scanner.port)
    made.scanner.start()
    assert made.port_open.wait(10)
    yield made
    made.scanner.stop()
    made.jobs.shutdown()
    made.registry.close()


def test_paper_policy_scan_identifies_with_the_calls_of_a_card(kiosk: Kiosk, scanner: VirtualScanner) -> None:
    session = kiosk.session
    kiosk.session.card_inserted(SERGEY.policy, SERGEY.birth_date)  # the card path, for comparison
    kiosk.settle()
    assert session.screen == "menu"
    by_card = list(kiosk.calls)
    session.wipe()
    kiosk.calls.clear()
    scanner.scan(demo_paper_policy(), pieces=[50], pause=0.01)
    kiosk.until(lambda: session.screen == "menu", "the menu after the scan")
    assert session.identity is not None and session.identity.source is Source.SCANNER
    assert session.patient is not None and session.patient.key == SERGEY_KEY
    assert kiosk.calls == by_card  # the same calls, no more


def test_a_scanned_number_asks_only_for_the_birth_date(kiosk: Kiosk, scanner: VirtualScanner) -> None:
    session = kiosk.session
    scanner.scan(b"7700 0000 0000 0024")
    kiosk.until(lambda: session.identify.state.scanned_policy is not None, "the keypad with the number")
    assert session.screen == "identify" and session.source is Source.SCANNER
    assert session.identify.state.scanned_policy == SERGEY.policy
    assert kiosk.calls == []
    typed = session.identify.submit_typed(SERGEY.policy, SERGEY.birth_date.strftime("%d%m%Y"))
    assert typed.problem is None
    kiosk.settle()
    assert session.screen == "menu"


@pytest.mark.parametrize("payload", [b"https://www.gosuslugi.ru/qr/abc", b"\x89PNG\r\n\x1a\n" + bytes(40)])
def test_a_foreign_code_gets_the_message_and_the_keypad(kiosk: Kiosk, scanner: VirtualScanner,
                                                        payload: bytes) -> None:
    session = kiosk.session
    scanner.scan(payload)
    kiosk.until(lambda: session.status.error is not None, "the message")
    assert session.screen == "identify" and session.status.error == m.NOT_SUITABLE
    assert kiosk.calls == []


def test_a_stray_code_does_not_end_a_patients_session(kiosk: Kiosk, scanner: VirtualScanner) -> None:
    session = kiosk.session
    session.card_inserted(SERGEY.policy, SERGEY.birth_date)
    kiosk.settle()
    scanner.scan(b"not a policy")
    time.sleep(0.5)
    while not kiosk.inbox.empty():
        kiosk.next_event()
    assert session.screen == "menu" and session.patient is not None


def sergeys_visit_today(kiosk: Kiosk, clock: ManualClock) -> int:
    """Сергей's next visit; the shared clock moved to 20 minutes before it (its day is "today")."""
    visit = kiosk.registry.appointments(SERGEY_KEY)[0]
    clock.set(visit.start - timedelta(minutes=20))
    kiosk.calls.clear()
    return visit.appointment_id


def test_the_tickets_qr_checks_in_on_the_day(kiosk: Kiosk, scanner: VirtualScanner, clock: ManualClock,
                                            tmp_path: Path) -> None:
    appointment_id = sergeys_visit_today(kiosk, clock)
    visit = next(v for v in kiosk.registry.appointments(SERGEY_KEY) if v.appointment_id == appointment_id)
    patient = kiosk.registry.identify(SERGEY_KEY)
    kiosk.desk.print_for(visit, patient)  # the real ticket, as real ESC/POS bytes
    printed = (tmp_path / "printed.bin").read_bytes()
    qr_text = seal(TICKET_KEY, SERGEY_KEY, appointment_id, visit.start.date())
    assert qr_text.encode() in printed  # in the QR code's GS ( k store command
    assert open_pass(TICKET_KEY, qr_text, clock.today()).appointment_id == appointment_id
    assert SERGEY.policy.encode() not in printed  # nothing personal in clear on the paper
    kiosk.calls.clear()
    scanner.scan(qr_text.encode(), b"\r")
    session = kiosk.session
    kiosk.until(lambda: session.screen == "done", "the final screen")
    receipt = session.receipt
    assert receipt is not None and receipt.done is Done.CHECKED_IN and receipt.notice == m.GO_TO_ROOM
    assert receipt.appointment is not None and receipt.appointment.appointment_id == appointment_id
    assert kiosk.calls == ["checkInAppointment", "getAppointmentReceptionsByPatient"]
    assert next(v for v in kiosk.registry.appointments(SERGEY_KEY) if v.appointment_id == appointment_id).checked_in


def test_a_ticket_for_tomorrow_says_so(kiosk: Kiosk, scanner: VirtualScanner, clock: ManualClock) -> None:
    appointment_id = sergeys_visit_today(kiosk, clock)
    scanner.scan(seal(TICKET_KEY, SERGEY_KEY, appointment_id, clock.today() + timedelta(days=1)).encode())
    session = kiosk.session
    kiosk.until(lambda: session.status.error is not None, "the message")
    assert session.status.error == m.PASS_OTHER_DAY and kiosk.calls == []


def test_offline_the_ticket_check_in_goes_to_the_outbox_seam(kiosk: Kiosk, scanner: VirtualScanner,
                                                             clock: ManualClock, demo: DemoRegistryHandle) -> None:
    appointment_id = sergeys_visit_today(kiosk, clock)
    session = kiosk.session
    demo.down()
    scanner.scan(seal(TICKET_KEY, SERGEY_KEY, appointment_id, clock.today()).encode())
    kiosk.until(lambda: session.status.error is not None, "the registry's error")
    assert session.status.error == RegistryUnavailable.patient_message  # no outbox: said, and the desk offered
    assert session.identify.state.walk_in_reason is not None
    outbox = Outbox()
    session.check_in_queue = outbox
    scanner.scan(seal(TICKET_KEY, SERGEY_KEY, appointment_id, clock.today()).encode())
    kiosk.until(lambda: session.screen == "done", "the final screen")
    assert session.receipt is not None and session.receipt.notice == m.CHECK_IN_QUEUED
    assert session.receipt.done is Done.CHECK_IN_QUEUED  # not «Ваш приход отмечен»: the registry has not marked it
    assert outbox.queued == [(SERGEY_KEY, appointment_id)]


def test_keys_of_a_keyboard_style_scanner_make_one_code(kiosk: Kiosk, clock: ManualClock) -> None:
    session = kiosk.session
    for char in "99999":  # a stray half code, then a pause longer than a scanner ever makes
        kiosk.scanner.key_typed(char, enter=False)
    clock.advance(1)
    for char in SERGEY.policy:
        kiosk.scanner.key_typed(char, enter=False)
    kiosk.scanner.key_typed(None, enter=True)
    assert session.screen == "identify" and session.identify.state.scanned_policy == SERGEY.policy
    kiosk.scanner.key_typed(None, enter=True)  # Enter alone is nothing
    assert session.status.error is None and kiosk.calls == []


def test_a_ticket_scanned_too_early_says_so_on_the_keypad(kiosk: Kiosk, scanner: VirtualScanner,
                                                          clock: ManualClock) -> None:
    from kiosk.errors import CheckInTooEarly

    visit = kiosk.registry.appointments(SERGEY_KEY)[0]
    clock.set(visit.start.replace(hour=0, minute=1))  # the visit's day, hours before it
    if clock.now() >= visit.start - timedelta(minutes=60):
        pytest.skip("the visit is within an hour of midnight: no 'too early' moment on its day")
    kiosk.calls.clear()
    scanner.scan(seal(TICKET_KEY, SERGEY_KEY, visit.appointment_id, visit.start.date()).encode())
    session = kiosk.session
    kiosk.until(lambda: session.status.error is not None and not session.status.busy, "the registry's answer")
    assert session.status.error == CheckInTooEarly.patient_message and session.screen == "identify"
    assert kiosk.calls == ["checkInAppointment"]


def test_without_check_in_at_the_registry_the_ticket_scan_says_so(tmp_path: Path, clock: ManualClock,
                                                                  scanner: VirtualScanner) -> None:
    from kiosk.errors import CheckInNotSupported

    with start_demo_registry(tmp_path / "plain.sqlite", seed=7, clock=clock, check_in=None) as plain:
        made = Kiosk(plain.url, tmp_path, clock, scanner.port)
        made.scanner.start()
        try:
            assert made.port_open.wait(10)
            visit = made.registry.appointments(SERGEY_KEY)[0]
            clock.set(visit.start - timedelta(minutes=20))
            scanner.scan(seal(TICKET_KEY, SERGEY_KEY, visit.appointment_id, visit.start.date()).encode())
            made.until(lambda: made.session.status.error is not None and not made.session.status.busy, "the answer")
            assert made.session.status.error == CheckInNotSupported.patient_message
        finally:
            made.scanner.stop()
            made.jobs.shutdown()
            made.registry.close()
