"""One port, two sources: the caching registry online (live, refreshing the cache) and offline (the cache,
with its age; writes refused), decided by the real registry health coordinator, against the demo registry."""

from __future__ import annotations

import pytest

from kiosk.clock import ManualClock
from kiosk.demo_registry import DEMO_PATIENTS, DemoRegistryHandle
from kiosk.domain import PatientKey
from kiosk.errors import ActionQueued, OfflineBookingRefused, RegistryUnavailable
from kiosk.health.coordinator import HealthCoordinator
from kiosk.health.state import HealthStatus
from kiosk.offline.factory import OfflineCache

WITH_VISITS = next(p for p in DEMO_PATIENTS if p.kind == "attached, appointments")
CLEAN = next(p for p in DEMO_PATIENTS if p.kind == "attached")


def key_of(patient: object) -> PatientKey:
    return PatientKey(patient.policy, patient.birth_date)  # type: ignore[attr-defined]


def go_offline(demo: DemoRegistryHandle, health: HealthCoordinator) -> None:
    demo.down()
    assert health.probe_once().status is HealthStatus.UNAVAILABLE


def test_online_answers_are_live_and_offline_the_same_questions_come_from_the_cache(
        offline: OfflineCache, demo: DemoRegistryHandle, health: HealthCoordinator, clock: ManualClock) -> None:
    assert offline.worker is not None and offline.worker.sync_full().ok
    registry, key = offline.registry, key_of(WITH_VISITS)
    assert health.probe_once().status is HealthStatus.AVAILABLE
    patient = registry.identify(key)
    specialties = registry.specialties(key)
    doctors = [d for d in registry.doctors(key, specialties[0].code) if d.bookable]
    schedule = registry.schedule(key, doctors[0])
    visits = registry.appointments(key)
    assert visits and registry.served_as_of is None  # all live
    synced_at = clock.now()

    clock.advance(3600)
    go_offline(demo, health)
    assert registry.identify(key).short_name == patient.short_name
    cached_specialties = registry.specialties(key)
    assert registry.served_as_of == synced_at
    assert [s.code for s in cached_specialties] == [s.code for s in specialties if s.code in
                                                     {i.key for i in offline.store.specialties().items}]
    assert [d.resource_id for d in registry.doctors(key, specialties[0].code)] == [d.resource_id for d in doctors]
    cached_schedule = registry.schedule(key, doctors[0])
    future = [s for d in schedule.days for s in d.slots if s.start > clock.now()]
    assert [s for d in cached_schedule.days for s in d.slots] == future  # started slots are not offered
    assert registry.served_as_of == synced_at  # «Расписание на …»: the time it was fetched
    assert [a.appointment_id for a in registry.appointments(key)] == [a.appointment_id for a in visits]
    assert registry.served_partial_list


def test_offline_writes_never_pretend(offline: OfflineCache, demo: DemoRegistryHandle,
                                      health: HealthCoordinator) -> None:
    assert offline.worker is not None and offline.worker.sync_full().ok
    registry, key = offline.registry, key_of(WITH_VISITS)
    visits = registry.appointments(key)
    code = registry.specialties(key)[0].code
    doctor = next(d for d in registry.doctors(key, code) if d.bookable)
    slot = next(s for d in registry.schedule(key, doctor).days for s in d.slots)
    go_offline(demo, health)
    with pytest.raises(OfflineBookingRefused):
        registry.book(key, doctor, slot)
    with pytest.raises(OfflineBookingRefused):
        registry.reschedule(key, visits[0].appointment_id, doctor, slot)
    with pytest.raises(OfflineBookingRefused):
        registry.doctors_for_reschedule(key, visits[0])
    with pytest.raises(ActionQueued):  # on disk in the outbox, not done
        registry.cancel(key, visits[0].appointment_id)
    assert registry.supports_check_in() is True  # offered offline: queued (tests/offline/test_offline_check_in.py)
    with pytest.raises(ActionQueued):
        registry.check_in(key, visits[0].appointment_id)
    assert [(a.kind, a.status) for a in offline.outbox.listed()] == [("cancel", "pending"), ("check_in", "pending")]
    demo.up()
    assert [a.appointment_id for a in offline.registry.inner.appointments(key)] == [
        a.appointment_id for a in visits]  # nothing happened in the registry


def test_offline_a_patient_never_seen_here_is_not_made_up(offline: OfflineCache, demo: DemoRegistryHandle,
                                                          health: HealthCoordinator) -> None:
    go_offline(demo, health)
    with pytest.raises(RegistryUnavailable):
        offline.registry.identify(key_of(CLEAN))
    with pytest.raises(RegistryUnavailable):
        offline.registry.appointments(key_of(CLEAN))
    with pytest.raises(RegistryUnavailable):  # nothing synced yet: no made-up lists either
        offline.registry.specialties(key_of(CLEAN))
    with pytest.raises(RegistryUnavailable):
        offline.registry.referrals(key_of(CLEAN))


def test_a_read_that_finds_the_registry_silent_falls_back_before_the_coordinator_knows(
        offline: OfflineCache, demo: DemoRegistryHandle, health: HealthCoordinator, clock: ManualClock) -> None:
    assert offline.worker is not None and offline.worker.sync_full().ok
    key = key_of(WITH_VISITS)
    offline.registry.identify(key)
    demo.down()  # the coordinator has not probed since: still available
    assert offline.registry.specialties(key)
    assert offline.registry.served_as_of == clock.now()
    with pytest.raises(RegistryUnavailable):
        offline.registry.referrals(key)  # not cached: the registry's own error
    demo.up()
    assert offline.registry.specialties(key) and offline.registry.served_as_of is None  # live again


def test_the_registry_back_brings_live_answers_and_a_full_sync(
        offline: OfflineCache, demo: DemoRegistryHandle, health: HealthCoordinator) -> None:
    assert offline.worker is not None
    asked: list[bool] = []
    offline.worker.request_full = lambda: asked.append(True)  # type: ignore[method-assign]
    go_offline(demo, health)
    demo.up()
    assert health.probe_once().status is HealthStatus.AVAILABLE
    assert asked == [True]
    assert offline.registry.specialties(key_of(CLEAN)) and offline.registry.served_as_of is None


def test_a_write_asks_the_registry_once_more_before_refusing(
        offline: OfflineCache, demo: DemoRegistryHandle, health: HealthCoordinator) -> None:
    """One lost probe must not turn a patient away: the coordinator says offline, the registry is back."""
    registry, key = offline.registry, key_of(CLEAN)
    code = registry.specialties(key)[0].code
    doctor = next(d for d in registry.doctors(key, code) if d.bookable)
    slot = next(s for d in registry.schedule(key, doctor).days for s in d.slots)
    go_offline(demo, health)
    demo.up()  # back, but the coordinator has not probed since
    booking = registry.book(key, doctor, slot)
    assert health.current.status is HealthStatus.AVAILABLE
    assert booking.appointment_id in [a.appointment_id for a in registry.appointments(key)]
    registry.cancel(key, booking.appointment_id)


def test_a_cancel_queued_offline_is_passed_on_once_the_registry_is_back(
        offline: OfflineCache, demo: DemoRegistryHandle, health: HealthCoordinator) -> None:
    registry, key = offline.registry, key_of(CLEAN)
    code = registry.specialties(key)[0].code
    doctor = next(d for d in registry.doctors(key, code) if d.bookable)
    slot = next(s for d in registry.schedule(key, doctor).days for s in d.slots)
    booked = registry.book(key, doctor, slot).appointment_id
    go_offline(demo, health)
    with pytest.raises(ActionQueued) as queued:
        registry.cancel(key, booked)
    assert offline.sender.deliver_all().confirmed == 0  # offline: nothing is sent
    demo.up()
    assert health.probe_once().status is HealthStatus.AVAILABLE
    assert offline.sender.deliver_all().confirmed == 1
    assert offline.outbox.get(queued.value.action_id).status == "confirmed"
    assert booked not in [a.appointment_id for a in registry.appointments(key)]
