"""The sync worker against the demo registry over HTTP: full and partial syncs, failures and backoff."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from kiosk.clock import ManualClock
from kiosk.demo_registry import DemoRegistryHandle
from kiosk.offline.codec import doctor_from, slot_item
from kiosk.offline.source import RegistrySource, demo_sync_identity
from kiosk.registry.emias import EmiasRegistry
from offline_cache import CacheStore, SyncTiming, SyncWorker

WAIT_S = 30.0


@pytest.fixture
def store(tmp_path: object, data_dir: object) -> CacheStore:
    from pathlib import Path

    return CacheStore(Path(str(data_dir)) / "cache.sqlite")


def worker(store: CacheStore, client: EmiasRegistry, clock: ManualClock, **timing: float) -> SyncWorker:
    return SyncWorker(store, RegistrySource(client, demo_sync_identity()), now=clock.now, monotonic=clock.monotonic,
                      timing=SyncTiming(**timing), tick_s=0.02)  # type: ignore[arg-type]


def test_a_full_sync_keeps_what_the_registry_lists_with_its_free_slots(
        store: CacheStore, client: EmiasRegistry, clock: ManualClock) -> None:
    report = worker(store, client, clock).sync_full()
    assert report.ok and report.specialties > 0 and report.doctors > 0 and report.slots > 0
    key = demo_sync_identity()
    assert [i.key for i in store.specialties().items] == [s.code for s in client.specialties(key)]
    # one doctor's cached schedule is the registry's own, slot for slot
    listed = [d for d in client.doctors(key, store.specialties().items[0].key) if d.bookable]
    doctor = listed[0]
    cached = store.schedule(doctor.resource_id, clock.today())
    live = client.schedule(key, doctor)
    assert [s for s in cached.items] == [slot_item(doctor.resource_id, s) for d in live.days for s in d.slots]
    assert cached.fetched_at == clock.now()
    assert doctor_from(store.doctor(doctor.resource_id).payload) == doctor  # type: ignore[union-attr]
    status = store.status()
    assert status["syncs"]["full"]["ok"] and status["kinds"]["slots"]["count"] == report.slots


def test_a_slot_booked_meanwhile_leaves_the_cache_with_the_next_partial_sync(
        store: CacheStore, client: EmiasRegistry, clock: ManualClock, demo: DemoRegistryHandle) -> None:
    sync = worker(store, client, clock)
    sync.sync_full()
    key = demo_sync_identity()
    code = store.specialties().items[0].key
    doctor = next(d for d in client.doctors(key, code) if d.bookable)
    schedule = client.schedule(key, doctor)
    slot = next(s for d in schedule.days for s in d.slots if d.day < clock.today() + timedelta(days=2))
    client.book(key, doctor, slot)
    assert slot_item(doctor.resource_id, slot) in store.free_slots(doctor.resource_id, slot.start.date())
    clock.advance(300)
    assert sync.sync_partial().ok
    assert slot_item(doctor.resource_id, slot) not in store.free_slots(doctor.resource_id, slot.start.date())
    client.cancel(key, next(a.appointment_id for a in client.appointments(key) if a.start == slot.start))


def test_a_registry_that_is_down_fails_the_sync_and_keeps_the_cache(
        store: CacheStore, client: EmiasRegistry, clock: ManualClock, demo: DemoRegistryHandle) -> None:
    sync = worker(store, client, clock)
    first = sync.sync_full()
    demo.down()
    failed = sync.sync_full()
    assert not failed.ok and "ConnectionError" in failed.detail and sync.failures == 1
    assert store.status()["kinds"]["slots"]["count"] == first.slots  # nothing lost
    syncs = store.status()["syncs"]["full"]
    assert not syncs["ok"] and syncs["last_ok_at"] == clock.now().isoformat()
    demo.up()
    assert sync.sync_full().ok and sync.failures == 0


def test_the_thread_syncs_on_start_backs_off_and_waits_while_offline(
        store: CacheStore, client: EmiasRegistry, clock: ManualClock, demo: DemoRegistryHandle) -> None:
    online = threading.Event()
    online.set()
    done = threading.Semaphore(0)
    sync = SyncWorker(store, RegistrySource(client, demo_sync_identity()), now=clock.now, monotonic=clock.monotonic,
                      timing=SyncTiming(full_interval_s=3600, partial_interval_s=60, backoff_max_s=200),
                      is_online=online.is_set, tick_s=0.02)
    original = sync._run

    def counted(kind, body):  # type: ignore[no-untyped-def]
        report = original(kind, body)
        done.release()
        return report

    sync._run = counted  # type: ignore[method-assign]
    sync.start()
    try:
        assert done.acquire(timeout=WAIT_S) and sync.last_report is not None
        assert sync.last_report.kind == "full" and sync.last_report.ok
        demo.down()
        clock.advance(60)  # a partial sync is due; it fails
        assert done.acquire(timeout=WAIT_S) and not sync.last_report.ok and sync.failures == 1
        clock.advance(60)  # backoff: 60 s after one failure, then 120 s
        assert done.acquire(timeout=WAIT_S) and sync.failures == 2
        clock.advance(60)
        assert not done.acquire(timeout=0.5)  # still waiting out the 120 s
        online.clear()  # the coordinator says offline: no attempt at all
        clock.advance(600)
        assert not done.acquire(timeout=0.5)
        demo.up()
        online.set()
        sync.request_full()
        assert done.acquire(timeout=WAIT_S) and sync.last_report.kind == "full" and sync.last_report.ok
    finally:
        assert sync.stop()
