"""The cache file itself: migrations and the schema version checked at start, replacing schedules, the key file."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.clock import ManualClock
from offline_cache import SCHEMA_VERSION, CacheSchemaError, CacheStore, KeyFileError, Sealer, SealError, SlotItem
from offline_cache.crypto import load_or_create_key


def slots_for(resource_id: int, day: date, count: int, tz: object) -> list[SlotItem]:
    base = datetime.combine(day, datetime.min.time(), tz).replace(hour=8)  # type: ignore[arg-type]
    out = []
    for n in range(count):
        start = base + timedelta(minutes=20 * n)
        end = start + timedelta(minutes=20)
        out.append(SlotItem(resource_id, start, end, start.isoformat(), end.isoformat(), 77, "101"))
    return out


def test_a_new_file_is_migrated_to_the_current_version_and_reopens_unchanged(tmp_path: Path) -> None:
    store = CacheStore(tmp_path / "cache.sqlite")
    assert (store.version_found, store.version) == (0, SCHEMA_VERSION)
    assert store.integrity() == "ok"
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()
    again = CacheStore(tmp_path / "cache.sqlite")
    assert (again.version_found, again.version) == (SCHEMA_VERSION, SCHEMA_VERSION)
    again.close()


def test_a_file_from_a_newer_kiosk_is_refused_with_its_path(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(CacheSchemaError) as refused:
        CacheStore(path)
    assert str(path) in str(refused.value) and "newer" in str(refused.value)


def test_replacing_a_schedule_touches_only_its_doctor_and_days(tmp_path: Path, clock: ManualClock) -> None:
    store = CacheStore(tmp_path / "cache.sqlite")
    today, tz = clock.today(), clock.now().tzinfo
    days = [today + timedelta(days=n) for n in range(3)]
    for resource in (1, 2):
        store.replace_schedule(resource, days, [s for d in days for s in slots_for(resource, d, 5, tz)], clock.now())
    clock.advance(60)
    # doctor 1, the first two days again: day one now has 2 slots, day two none; day three and doctor 2 stay
    written = store.replace_schedule(1, days[:2], slots_for(1, days[0], 2, tz), clock.now())
    assert written == 2
    assert len(store.free_slots(1, days[0])) == 2
    assert store.free_slots(1, days[1]) == []
    assert len(store.free_slots(1, days[2])) == 5
    assert all(len(store.free_slots(2, d)) == 5 for d in days)
    cached = store.schedule(1, today)
    assert cached.fetched_at is not None and cached.fetched_at < clock.now()  # the oldest day's fetch
    assert [s.start for s in cached.items] == sorted(s.start for s in cached.items)
    store.drop_days_before(days[1])
    assert store.free_slots(2, days[0]) == [] and len(store.free_slots(2, days[1])) == 5
    store.close()


def test_the_key_file_is_made_0600_and_refused_when_others_may_read_it(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "cache.key"
    key = load_or_create_key(path)
    assert len(key) == 64 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_key(path) == key  # the same key on the next start
    os.chmod(path, 0o644)
    with pytest.raises(KeyFileError, match="0600"):
        load_or_create_key(path)
    os.chmod(path, 0o600)
    path.write_text("not a key\n")
    with pytest.raises(KeyFileError, match="not a cache key"):
        load_or_create_key(path)


def test_sealed_values_open_only_with_their_key_and_in_their_place(tmp_path: Path) -> None:
    sealer = Sealer.from_key_file(tmp_path / "a.key")
    other = Sealer.from_key_file(tmp_path / "b.key")
    lookup = sealer.lookup("7700000000000017", date(1985, 4, 12))
    assert lookup != other.lookup("7700000000000017", date(1985, 4, 12))  # keyed: another key, another hash
    assert "7700000000000017" not in lookup and len(lookup) == 64
    blob = sealer.seal({"last_name": "Иванова"}, f"patient|{lookup}")
    assert "Иванова".encode() not in blob
    assert sealer.open(blob, f"patient|{lookup}") == {"last_name": "Иванова"}
    with pytest.raises(SealError):
        sealer.open(blob, "patient|someone-else")  # moved to another row: does not open
    with pytest.raises(SealError):
        other.open(blob, f"patient|{lookup}")
    with pytest.raises(SealError):
        sealer.open(blob[:-1] + bytes([blob[-1] ^ 1]), f"patient|{lookup}")
