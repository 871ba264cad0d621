"""An offline check-in is queued in the outbox like an offline cancel, with a printed receipt, and the
registry marks the arrival exactly once when it is back: the demo registry over HTTP, real SQLite files,
the real registry health coordinator, real ESC/POS bytes in a file printer."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from devices.printer.config import PrinterConfig
from devices.printer.factory import open_printer
from devices.printer.ports import Delivery
from kiosk.clock import ManualClock
from kiosk.demo_registry import DEMO_PATIENTS, DemoRegistryHandle
from kiosk.domain import PatientKey
from kiosk.errors import ActionQueued, OfflineActionRefused
from kiosk.health.coordinator import HealthCoordinator
from kiosk.health.state import HealthStatus
from kiosk.offline.caching import CachingRegistry
from kiosk.offline.config import CacheConfig
from kiosk.offline.factory import OfflineCache
from kiosk.offline.sender import CHECK_IN
from kiosk.queue_numbers import QueueNumbers
from kiosk.ticket_desk import TicketDesk
from kiosk.tickets import messages as m
from kiosk.tickets.config import TicketConfig
from offline_cache.outbox import CONFIRMED

CLEAN = next(p for p in DEMO_PATIENTS if p.kind == "attached")
KEY = PatientKey(CLEAN.policy, CLEAN.birth_date)


def visit_in_twenty_minutes(registry: CachingRegistry, clock: ManualClock) -> int:
    """Book a free slot two days ahead and move the shared clock to 20 minutes before it (its day is today)."""
    code = registry.specialties(KEY)[0].code
    doctor = next(d for d in registry.doctors(KEY, code) if d.bookable)
    later = clock.today() + timedelta(days=2)
    slot = next(s for d in registry.schedule(KEY, doctor).days if d.day >= later for s in d.slots)
    booked = registry.book(KEY, doctor, slot)
    clock.set(slot.start - timedelta(minutes=20))
    registry.appointments(KEY)  # seen at this kiosk, so the list is there offline
    return booked.appointment_id


def arrivals(tmp_path: Path, appointment_id: int) -> list[str | None]:
    """The demo registry's own database (conftest's ``demo``): when the arrival was marked (one row, None while
    not)."""
    conn = sqlite3.connect(tmp_path / "registry" / "demo.sqlite")
    try:
        return [r[0] for r in conn.execute("SELECT checked_in_at FROM appointment WHERE id = ?", (appointment_id,))]
    finally:
        conn.close()


def test_an_offline_check_in_is_queued_and_the_arrival_marked_once_when_the_registry_is_back(
        offline: OfflineCache, demo: DemoRegistryHandle, health: HealthCoordinator, clock: ManualClock,
        tmp_path: Path) -> None:
    registry = offline.registry
    appointment_id = visit_in_twenty_minutes(registry, clock)
    demo.down()
    assert health.probe_once().status is HealthStatus.UNAVAILABLE
    assert registry.supports_check_in()  # offline «Я пришёл» is offered: it is queued
    with pytest.raises(ActionQueued) as first:
        registry.check_in(KEY, appointment_id)
    with pytest.raises(ActionQueued) as again:  # the patient taps twice, or checks in by ticket as well
        registry.check_in(KEY, appointment_id)
    actions = [offline.outbox.get(q.value.action_id) for q in (first, again)]
    assert [(a.kind, a.status) for a in actions] == [(CHECK_IN, "pending")] * 2
    assert offline.sender.deliver_all().confirmed == 0  # offline: nothing is sent
    demo.up()
    assert arrivals(tmp_path, appointment_id) == [None]
    assert health.probe_once().status is HealthStatus.AVAILABLE
    assert offline.sender.deliver_all().confirmed == 2
    done = [offline.outbox.get(a.action_id) for a in actions]
    assert [a.status for a in done] == [CONFIRMED, CONFIRMED]
    assert done[0].attempts == 1 and done[1].attempts == 0  # the second one found the arrival marked
    assert done[1].detail == "arrival already marked"
    marked = arrivals(tmp_path, appointment_id)
    assert len(marked) == 1 and marked[0] is not None
    assert next(a for a in registry.appointments(KEY) if a.appointment_id == appointment_id).checked_in


def test_the_ticket_seam_queues_a_check_in_the_silent_registry_did_not_answer(
        offline: OfflineCache, demo: DemoRegistryHandle, health: HealthCoordinator, clock: ManualClock,
        tmp_path: Path) -> None:
    registry = offline.registry
    appointment_id = visit_in_twenty_minutes(registry, clock)
    action_id = registry.queue_check_in(KEY, appointment_id)  # what the session does on RegistryUnavailable
    assert offline.outbox.get(action_id).status == "pending"
    assert offline.outbox.get(action_id).payload["appointment_id"] == appointment_id
    assert offline.sender.deliver_all().confirmed == 1
    assert arrivals(tmp_path, appointment_id)[0] is not None


def test_a_check_in_of_an_appointment_gone_meanwhile_is_not_applied(
        offline: OfflineCache, demo: DemoRegistryHandle, health: HealthCoordinator, clock: ManualClock,
        tmp_path: Path) -> None:
    registry = offline.registry
    appointment_id = visit_in_twenty_minutes(registry, clock)
    go = registry.queue_check_in(KEY, appointment_id)
    registry.cancel(KEY, appointment_id)  # cancelled at the desk before the registry got the arrival
    assert offline.sender.deliver_all().failed == 1
    gone = offline.outbox.get(go)
    assert gone.status == "failed" and gone.detail.startswith("APPOINTMENT_RECEPTION_NOT_FOUND")
    assert arrivals(tmp_path, appointment_id) == [None]


def test_with_offline_check_in_no_the_check_in_is_refused_and_not_offered(
        offline: OfflineCache, demo: DemoRegistryHandle, health: HealthCoordinator, clock: ManualClock) -> None:
    refusing = CachingRegistry(offline.registry.inner, offline.store, offline.vault, clock,
                               offline.registry.is_offline, CacheConfig(offline_check_in="no"),
                               outbox=offline.outbox)
    appointment_id = visit_in_twenty_minutes(offline.registry, clock)
    demo.down()
    assert health.probe_once().status is HealthStatus.UNAVAILABLE
    assert not refusing.supports_check_in()
    with pytest.raises(OfflineActionRefused):
        refusing.check_in(KEY, appointment_id)
    assert offline.outbox.counts()["pending"] == 0


def test_the_receipt_of_a_queued_action_is_printed_as_real_escpos_bytes(tmp_path: Path, clock: ManualClock) -> None:
    paper = tmp_path / "lp0.bin"
    printer = open_printer(PrinterConfig(kind="file", path=paper, fallback_dir=tmp_path / "fb"), now=clock.now)
    desk = TicketDesk(printer, TicketConfig(), "test-01", 48, preview_only=False,
                      queue=QueueNumbers(tmp_path / "queue.sqlite"), clock=clock)
    try:
        outcome = desk.print_queued(17, m.QUEUED_CANCEL)
    finally:
        printer.close()
    assert outcome.delivery is Delivery.UNKNOWN  # a file printer cannot confirm: shown on screen too
    assert outcome.image is not None and outcome.image.is_file()
    printed = paper.read_bytes().decode("cp866", errors="replace")
    for text in ("ПРИНЯТО", "Будет передано в регистратуру", "Отмена записи", "17", "test-01"):
        assert text in printed, text
