"""Faults on demand through the demo registry's fault injection (down, slow, answering with errors,
flapping): the registry health coordinator says offline within the configured number of failed probes
(so within failures × interval seconds), the caching registry serves from the cache and says how old,
an offline cancel is queued, and when the fault ends the kiosk comes back by itself after the
configured good probes and the outbox drains. The demo registry over HTTP on loopback, real SQLite
files, the real coordinator, its probe run as its thread runs it (``probe_once``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.clock import ManualClock
from kiosk.demo_registry import DemoRegistryHandle
from kiosk.demo_registry.patients import generated_patients
from kiosk.domain import PatientKey
from kiosk.errors import ActionQueued
from kiosk.health.config import HealthConfig
from kiosk.health.coordinator import HealthCoordinator
from kiosk.health.factory import registry_health
from kiosk.health.state import HealthStatus
from kiosk.offline.config import CacheConfig
from kiosk.offline.factory import OfflineCache, open_offline
from kiosk.offline.notice import offline_note
from kiosk.registry.emias import EmiasRegistry

#: two failed probes in a row make it offline, two good ones bring it back (the ini's hysteresis)
FAULT_HEALTH = HealthConfig(registry_interval=5, registry_timeout=0.5, registry_failures=2, registry_successes=2)
PATIENT = generated_patients(3)[2]
KEY = PatientKey(PATIENT.policy, PATIENT.birth_date)

#: fault name → how to start it on the demo registry
FAULTS: dict[str, Callable[[DemoRegistryHandle], object]] = {
    "down": lambda demo: demo.down(),
    "maintenance": lambda demo: demo.set_faults(down=True, fail_status=503),
    "errors": lambda demo: demo.set_faults(fail_rate=1.0, fail_status=500),
    "slow": lambda demo: demo.set_faults(latency=1.5),  # longer than the probe's 0.5 s deadline
}


def clear(demo: DemoRegistryHandle) -> None:
    demo.up()
    demo.faults.reset()


@pytest.fixture
def watch(client: EmiasRegistry, clock: ManualClock) -> HealthCoordinator:
    return registry_health(client, FAULT_HEALTH, clock)


@pytest.fixture
def cache(data_dir: Path, client: EmiasRegistry, watch: HealthCoordinator,
          clock: ManualClock) -> Iterator[OfflineCache]:
    cfg = CacheConfig(file=data_dir / "cache.sqlite", key_file=data_dir / "cache.key", days=3)
    opened = open_offline(cfg, data_dir, "demo", client, watch, clock)
    yield opened
    opened.close()


def probes_until(watch: HealthCoordinator, clock: ManualClock, status: HealthStatus, limit: int = 10) -> int:
    """Probe every ``registry_interval`` seconds (as the coordinator's thread does) until ``status``."""
    for probes in range(1, limit + 1):
        clock.advance(FAULT_HEALTH.registry_interval)
        if watch.probe_once().status is status:
            return probes
    raise AssertionError(f"still {watch.current.status} after {limit} probes")


def booked_and_synced(cache: OfflineCache, clock: ManualClock) -> int:
    registry = cache.registry
    assert cache.worker is not None and cache.worker.sync_full().ok
    code = registry.specialties(KEY)[0].code
    doctor = next(d for d in registry.doctors(KEY, code) if d.bookable)
    later = clock.today() + timedelta(days=2)
    slot = next(s for d in registry.schedule(KEY, doctor).days if d.day >= later for s in d.slots)
    appointment_id = registry.book(KEY, doctor, slot).appointment_id
    registry.appointments(KEY)
    return appointment_id


def served_offline_and_queued(cache: OfflineCache, appointment_id: int) -> int:
    registry = cache.registry
    specialties = registry.specialties(KEY)
    assert specialties and registry.served_as_of is not None  # from the cache, with its age
    doctor = next(d for d in registry.doctors(KEY, specialties[0].code) if d.bookable)
    registry.schedule(KEY, doctor)
    assert offline_note(registry).startswith("Нет связи с регистратурой. Расписание на")
    assert appointment_id in [a.appointment_id for a in registry.appointments(KEY)]
    assert "неполным" in offline_note(registry)
    with pytest.raises(ActionQueued) as queued:
        registry.cancel(KEY, appointment_id)
    return queued.value.action_id


def drained(cache: OfflineCache, client: EmiasRegistry, action_id: int, appointment_id: int) -> None:
    assert cache.sender.deliver_all().confirmed == 1
    assert cache.outbox.get(action_id).status == "confirmed"
    assert appointment_id not in [a.appointment_id for a in client.appointments(KEY)]


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_fault_turns_the_kiosk_offline_in_time_it_serves_from_the_cache_and_comes_back_by_itself(
        fault: str, cache: OfflineCache, demo: DemoRegistryHandle, client: EmiasRegistry, watch: HealthCoordinator,
        clock: ManualClock) -> None:
    appointment_id = booked_and_synced(cache, clock)
    assert watch.probe_once().status is HealthStatus.AVAILABLE
    FAULTS[fault](demo)
    assert probes_until(watch, clock, HealthStatus.UNAVAILABLE) == FAULT_HEALTH.registry_failures
    action_id = served_offline_and_queued(cache, appointment_id)
    assert cache.sender.deliver_all().confirmed == 0  # offline: the outbox waits
    clear(demo)
    assert probes_until(watch, clock, HealthStatus.AVAILABLE) == FAULT_HEALTH.registry_successes
    drained(cache, client, action_id, appointment_id)


def test_a_flapping_registry_does_not_flip_the_kiosk_and_a_longer_outage_does(
        cache: OfflineCache, demo: DemoRegistryHandle, client: EmiasRegistry, watch: HealthCoordinator,
        clock: ManualClock) -> None:
    appointment_id = booked_and_synced(cache, clock)
    assert watch.probe_once().status is HealthStatus.AVAILABLE
    for _ in range(3):  # down and up at every probe: one failure at a time never makes it offline
        demo.down()
        clock.advance(FAULT_HEALTH.registry_interval)
        assert watch.probe_once().status is not HealthStatus.UNAVAILABLE
        demo.up()
        clock.advance(FAULT_HEALTH.registry_interval)
        assert watch.probe_once().status is HealthStatus.AVAILABLE
    demo.down()
    assert probes_until(watch, clock, HealthStatus.UNAVAILABLE) == FAULT_HEALTH.registry_failures
    action_id = served_offline_and_queued(cache, appointment_id)
    for _ in range(3):  # flapping while offline: one good probe at a time does not bring it back
        demo.up()
        clock.advance(FAULT_HEALTH.registry_interval)
        assert watch.probe_once().status is HealthStatus.UNAVAILABLE
        demo.down()
        clock.advance(FAULT_HEALTH.registry_interval)
        assert watch.probe_once().status is HealthStatus.UNAVAILABLE
    demo.up()
    assert probes_until(watch, clock, HealthStatus.AVAILABLE) == FAULT_HEALTH.registry_successes
    drained(cache, client, action_id, appointment_id)
