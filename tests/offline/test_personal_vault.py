"""The sealed personal part: kept while needed, purged when its day has passed, unreadable with another key;
a cached payload that does not decode is "not cached", never a raw exception."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.clock import ManualClock
from kiosk.demo_registry import DEMO_PATIENTS, DemoRegistryHandle
from kiosk.domain import PatientKey
from kiosk.errors import RegistryUnavailable
from kiosk.health.coordinator import HealthCoordinator
from kiosk.health.state import HealthStatus
from kiosk.offline.factory import OfflineCache
from offline_cache import CacheStore, PersonalVault, Sealer

WITH_VISITS = next(p for p in DEMO_PATIENTS if p.kind == "attached, appointments")


def test_personal_rows_go_when_their_day_has_passed(tmp_path: Path, clock: ManualClock) -> None:
    vault = PersonalVault(CacheStore(tmp_path / "c.sqlite"), Sealer.from_key_file(tmp_path / "k"))
    lookup = vault.lookup("7700000000000017", clock.today())
    today = clock.today()
    vault.remember_patient(lookup, {"last_name": "X"}, today)
    vault.replace_appointments(lookup, [("1", today, {"n": 1}), ("2", today + timedelta(days=3), {"n": 2})])
    assert vault.purge(today) == 0
    assert sorted(p["n"] for p in vault.appointments(lookup, today)) == [1, 2]
    assert vault.purge(today + timedelta(days=1)) == 1  # the first appointment's day is over
    assert [p["n"] for p in vault.appointments(lookup, today + timedelta(days=1))] == [2]
    assert vault.patient(lookup) is not None  # kept while an appointment of theirs is known
    assert vault.purge(today + timedelta(days=4)) == 2
    assert vault.patient(lookup) is None and vault.appointments(lookup, today) == []


def test_a_new_key_makes_the_personal_part_unreadable_and_it_is_dropped(tmp_path: Path, clock: ManualClock) -> None:
    store = CacheStore(tmp_path / "c.sqlite")
    old = PersonalVault(store, Sealer.from_key_file(tmp_path / "old.key"))
    lookup = old.lookup("7700000000000017", clock.today())
    old.remember_patient(lookup, {"last_name": "X"}, clock.today())
    new = PersonalVault(store, Sealer.from_key_file(tmp_path / "new.key"))
    assert new.patient(lookup) is None  # does not open: treated as not cached, and dropped
    assert old.patient(lookup) is None


def test_a_cached_payload_that_does_not_decode_is_not_cached(
        offline: OfflineCache, demo: DemoRegistryHandle, health: HealthCoordinator) -> None:
    assert offline.worker is not None and offline.worker.sync_full().ok
    key = PatientKey(WITH_VISITS.policy, WITH_VISITS.birth_date)
    offline.registry.identify(key)
    with offline.store.transaction() as conn:
        conn.execute("UPDATE specialties SET payload = '{\"code\": 1}'")  # no name: not what this kiosk writes
    demo.down()
    assert health.probe_once().status is HealthStatus.UNAVAILABLE
    with pytest.raises(RegistryUnavailable):
        offline.registry.specialties(key)
    assert offline.registry.identify(key).last_name == WITH_VISITS.last_name


def test_the_cached_appointments_drop_the_past_days_as_the_clock_moves(
        offline: OfflineCache, demo: DemoRegistryHandle, health: HealthCoordinator, clock: ManualClock) -> None:
    key = PatientKey(WITH_VISITS.policy, WITH_VISITS.birth_date)
    offline.registry.identify(key)
    visits = offline.registry.appointments(key)
    assert visits
    last_day = max(a.start.date() for a in visits)
    clock.set(clock.now() + timedelta(days=(last_day - clock.today()).days + 1))
    offline.vault.purge(clock.today())
    demo.down()
    assert health.probe_once().status is HealthStatus.UNAVAILABLE
    with pytest.raises(RegistryUnavailable):  # nothing of theirs is kept once every visit is past
        offline.registry.identify(key)
