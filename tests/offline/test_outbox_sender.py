"""Delivering queued actions against the demo registry: oldest first, each after asking the registry what
already happened, so nothing is applied twice and a cancel of an appointment moved meanwhile is resolved."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.clock import ManualClock
from kiosk.demo_registry import DEMO_PATIENTS, DemoRegistryHandle
from kiosk.domain import Doctor, PatientKey, Slot
from kiosk.offline.sender import CANCEL, CHECK_IN, OutboxSender, queued_payload
from kiosk.registry.emias import EmiasRegistry
from offline_cache import CacheStore, Outbox, Sealer
from offline_cache.outbox import CONFIRMED, DISCARDED, FAILED, PENDING, SENT

PATIENT = next(p for p in DEMO_PATIENTS if p.kind == "attached")
KEY = PatientKey(PATIENT.policy, PATIENT.birth_date)


@pytest.fixture
def outbox(data_dir: Path) -> Outbox:
    return Outbox(CacheStore(data_dir / "cache.sqlite"), Sealer.from_key_file(data_dir / "cache.key"))


def free_slots(client: EmiasRegistry, clock: ManualClock, count: int) -> tuple[Doctor, list[Slot]]:
    """A doctor and free slots of theirs at least two days ahead (any instant the suite runs at)."""
    code = client.specialties(KEY)[0].code
    doctor = next(d for d in client.doctors(KEY, code) if d.bookable)
    later = clock.today() + timedelta(days=2)
    slots = [s for d in client.schedule(KEY, doctor).days if d.day >= later for s in d.slots]
    return doctor, slots[:count]


def enqueue(outbox: Outbox, kind: str, appointment_id: int, clock: ManualClock) -> int:
    lookup = outbox.sealer.lookup(KEY.policy, KEY.birth_date)
    action = outbox.enqueue(kind, lookup, queued_payload(KEY, appointment_id), clock.now())
    clock.advance(1)
    return action


def listed(client: EmiasRegistry) -> list[int]:
    return [a.appointment_id for a in client.appointments(KEY)]


def test_a_queued_cancel_is_applied_once_and_a_cancel_of_a_moved_appointment_is_resolved(
        outbox: Outbox, client: EmiasRegistry, clock: ManualClock, demo: DemoRegistryHandle) -> None:
    doctor, (first, second, third) = free_slots(client, clock, 3)
    kept = client.book(KEY, doctor, first).appointment_id
    cancel_kept = enqueue(outbox, CANCEL, kept, clock)
    report = OutboxSender(outbox, client, clock).deliver_all()
    assert report.confirmed == 1 and kept not in listed(client)
    assert outbox.get(cancel_kept).status == CONFIRMED and outbox.get(cancel_kept).attempts == 1
    assert OutboxSender(outbox, client, clock).deliver_all().confirmed == 0  # nothing is sent twice

    booked = client.book(KEY, doctor, second).appointment_id
    cancel_booked = enqueue(outbox, CANCEL, booked, clock)  # queued offline …
    new = client.reschedule(KEY, booked, doctor, third).appointment_id  # … then moved online meanwhile
    assert OutboxSender(outbox, client, clock).deliver_all().confirmed == 1
    done = outbox.get(cancel_booked)
    assert done.status == CONFIRMED and done.attempts == 0 and "no longer listed" in done.detail
    assert new in listed(client)  # the move stands: the queued cancel was not applied to it
    client.cancel(KEY, new)


def test_a_registry_that_does_not_answer_keeps_the_action_for_the_next_round(
        outbox: Outbox, client: EmiasRegistry, clock: ManualClock, demo: DemoRegistryHandle) -> None:
    doctor, (slot,) = free_slots(client, clock, 1)
    booked = client.book(KEY, doctor, slot).appointment_id
    action = enqueue(outbox, CANCEL, booked, clock)
    demo.down()
    report = OutboxSender(outbox, client, clock).deliver_all()
    assert report.interrupted and outbox.get(action).status == PENDING
    demo.up()
    demo.set_faults(drop_next=1, drop_methods=["cancelAppointment"])  # and the answer to the cancel is lost
    assert OutboxSender(outbox, client, clock).deliver_all().confirmed == 1
    assert outbox.get(action).status == CONFIRMED and booked not in listed(client)


def test_a_refused_check_in_fails_with_the_registry_reason_and_waits_for_a_technician(
        outbox: Outbox, client: EmiasRegistry, clock: ManualClock, demo: DemoRegistryHandle) -> None:
    doctor, (slot,) = free_slots(client, clock, 1)
    booked = client.book(KEY, doctor, slot).appointment_id
    action = enqueue(outbox, CHECK_IN, booked, clock)
    gone = enqueue(outbox, CHECK_IN, 999_999, clock)
    report = OutboxSender(outbox, client, clock).deliver_all()
    assert report.failed == 2
    assert outbox.get(action).status == FAILED and outbox.get(action).detail.startswith("CHECK_IN_TOO_EARLY")
    assert outbox.get(gone).detail.startswith("APPOINTMENT_RECEPTION_NOT_FOUND")
    assert outbox.next_to_send() is None  # a failed action is not retried by itself …
    outbox.retry(action, clock.now())  # … a technician may send it again …
    assert OutboxSender(outbox, client, clock).deliver_all().failed == 1
    assert outbox.discard(action, clock.now(), "seen at the desk").status == DISCARDED  # … or give it up
    client.cancel(KEY, booked)


def test_an_action_left_sent_by_a_killed_kiosk_is_checked_and_sent_again(
        outbox: Outbox, client: EmiasRegistry, clock: ManualClock) -> None:
    """A kiosk killed after marking an action sent and before the request went out (found by
    tests/offline/test_crash_safety.py: the next life refused to send it again and every round stopped)."""
    doctor, (slot,) = free_slots(client, clock, 1)
    booked = client.book(KEY, doctor, slot).appointment_id
    action = enqueue(outbox, CANCEL, booked, clock)
    outbox.move(action, SENT, clock.now())  # … and then kill -9
    assert OutboxSender(outbox, client, clock).deliver_all().confirmed == 1
    assert outbox.get(action).status == CONFIRMED and outbox.get(action).attempts == 2
    assert booked not in listed(client)
