"""The cache file: reference data and schedules in one SQLite file (sqlite-utils, WAL).

One connection, one lock: every write and read goes through it, so there is one writer and a
reader never sees half a change (each replacement is one short transaction). The sync writes one
doctor's schedule at a time, so memory stays bounded by one doctor's slots.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from offline_cache.records import Cached, DoctorItem, Item, Payload, SlotItem
from offline_cache.schema import migrate

SLOT_COLUMNS = ("resource_id", "day", "start", "end", "start_raw", "end_raw", "room_id", "cabinet")
SLOT_INSERT = ('INSERT OR REPLACE INTO slots (resource_id, day, start, "end", start_raw, end_raw, room_id, cabinet) '
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")


def slot_row(resource_id: int, slot: SlotItem) -> dict[str, Any]:
    """A slot as a row (for the row-by-row baseline of bench/sync.py)."""
    return dict(zip(SLOT_COLUMNS, (resource_id, slot.start.date().isoformat(), slot.start.isoformat(),
                                   slot.end.isoformat(), slot.start_raw, slot.end_raw, slot.room_id, slot.cabinet),
                    strict=True))


SLOT_SELECT = 'resource_id, start, "end", start_raw, end_raw, room_id, cabinet'


def _slot(row: tuple[Any, ...]) -> SlotItem:
    return SlotItem(row[0], datetime.fromisoformat(row[1]), datetime.fromisoformat(row[2]), row[3], row[4],
                    row[5], row[6])


def _dump(payload: Payload) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


class CacheStore:
    """Open (and migrate) the cache file at ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.exists():  # owner only, like the key (SQLite gives its -wal and -shm the same mode)
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        conn = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None, timeout=10)
        self.db = sqlite_utils.Database(conn)
        self.db.enable_wal()
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        self.conn = conn
        self.lock = threading.RLock()
        with self.lock:
            self.version_found, self.version = migrate(conn, str(self.path))

    def close(self) -> None:
        with self.lock:
            self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction under the lock (``BEGIN IMMEDIATE``: the writer waits, never fails half-way)."""
        with self.lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def integrity(self) -> str:
        with self.lock:
            return str(self.conn.execute("PRAGMA integrity_check").fetchone()[0])

    # --- writes (the sync worker, and the caching registry's write-through) ----------------------

    def replace_clinic(self, items: Iterable[Item], fetched_at: datetime) -> None:
        self._replace_keyed("clinic", "item", items, fetched_at)

    def replace_specialties(self, items: Iterable[Item], fetched_at: datetime) -> None:
        self._replace_keyed("specialties", "code", items, fetched_at, positions=True)

    def _replace_keyed(self, table: str, key: str, items: Iterable[Item], fetched_at: datetime,
                       positions: bool = False) -> None:
        stamp = fetched_at.isoformat()
        rows = []
        for position, item in enumerate(items):
            row: dict[str, Any] = {key: item.key, "payload": _dump(item.payload), "fetched_at": stamp}
            if positions:
                row["position"] = position
            rows.append(row)
        with self.transaction():
            self.conn.execute(f"DELETE FROM {table}")
            self.db.table(table).insert_all(rows)

    def replace_doctors(self, specialty_code: str, items: Iterable[DoctorItem], fetched_at: datetime) -> None:
        stamp = fetched_at.isoformat()
        rows = [{"specialty_code": specialty_code, "resource_id": item.resource_id, "position": position,
                 "payload": _dump(item.payload), "fetched_at": stamp} for position, item in enumerate(items)]
        with self.transaction():
            self.conn.execute("DELETE FROM doctors WHERE specialty_code = ?", (specialty_code,))
            self.db.table("doctors").insert_all(rows)

    def replace_schedule(self, resource_id: int, days: Iterable[date], slots: Iterable[SlotItem],
                         fetched_at: datetime) -> int:
        """Replace the free slots of ``days`` for one doctor (slots outside those days are ignored)."""
        return self.replace_schedules([(resource_id, slots)], days, fetched_at)

    def replace_schedules(self, schedules: Iterable[tuple[int, Iterable[SlotItem]]], days: Iterable[date],
                          fetched_at: datetime) -> int:
        """Replace the free slots of ``days`` for a few doctors, in one transaction.

        The hot path of a full sync (a schedule is hundreds of rows): one range delete per doctor and one
        ``executemany`` for all the slots. Returns the number of slots written."""
        day_texts = sorted({day.isoformat() for day in days})
        if not day_texts:
            return 0
        first, last = day_texts[0], day_texts[-1]
        contiguous = len(day_texts) == 1 + (date.fromisoformat(last) - date.fromisoformat(first)).days
        wanted = set(day_texts)
        stamp = fetched_at.isoformat()
        rows = []
        doctors = []
        for resource_id, slots in schedules:
            doctors.append(resource_id)
            for slot in slots:
                day = slot.start.date().isoformat()
                if day in wanted:
                    rows.append((resource_id, day, slot.start.isoformat(), slot.end.isoformat(), slot.start_raw,
                                 slot.end_raw, slot.room_id, slot.cabinet))
        with self.transaction() as conn:
            if contiguous:
                conn.executemany("DELETE FROM slots WHERE resource_id = ? AND day BETWEEN ? AND ?",
                                 [(resource_id, first, last) for resource_id in doctors])
            else:
                conn.executemany("DELETE FROM slots WHERE resource_id = ? AND day = ?",
                                 [(resource_id, day) for resource_id in doctors for day in day_texts])
            conn.executemany(SLOT_INSERT, rows)
            conn.executemany("INSERT OR REPLACE INTO schedule_days (resource_id, day, fetched_at) VALUES (?, ?, ?)",
                             [(resource_id, day, stamp) for resource_id in doctors for day in day_texts])
        return len(rows)

    def forget_doctors_except(self, resource_ids: Iterable[int]) -> None:
        """After a full sync: drop the schedules of doctors no longer listed anywhere."""
        keep = sorted(set(resource_ids))
        with self.transaction():
            self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS keep_ids (id INTEGER PRIMARY KEY)")
            self.conn.execute("DELETE FROM keep_ids")
            self.conn.executemany("INSERT INTO keep_ids VALUES (?)", [(i,) for i in keep])
            for table in ("slots", "schedule_days"):
                self.conn.execute(f"DELETE FROM {table} WHERE resource_id NOT IN (SELECT id FROM keep_ids)")
            self.conn.execute("DELETE FROM doctors WHERE resource_id NOT IN (SELECT id FROM keep_ids)")

    def drop_days_before(self, day: date) -> None:
        """Past days go: their slots and their fetch marks."""
        with self.transaction():
            for table in ("slots", "schedule_days"):
                self.conn.execute(f"DELETE FROM {table} WHERE day < ?", (day.isoformat(),))

    def record_sync(self, kind: str, started_at: datetime, finished_at: datetime, ok: bool, detail: str = "") -> None:
        with self.transaction():
            previous = self.conn.execute("SELECT last_ok_at FROM sync_log WHERE kind = ?", (kind,)).fetchone()
            last_ok = finished_at.isoformat() if ok else (previous[0] if previous else None)
            self.conn.execute(
                "INSERT OR REPLACE INTO sync_log (kind, started_at, finished_at, ok, detail, last_ok_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (kind, started_at.isoformat(), finished_at.isoformat(), int(ok), detail[:300], last_ok))

    def set_state(self, key: str, value: str, since: datetime, detail: str = "") -> None:
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO kiosk_state (key, value, since, detail) VALUES (?, ?, ?, ?)",
                         (key, value, since.isoformat(), detail[:300]))

    # --- reads -----------------------------------------------------------------------------------

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self.lock:
            return list(self.conn.execute(sql, params).fetchall())

    def clinic(self) -> Cached:
        rows = self._rows("SELECT item, payload, fetched_at FROM clinic ORDER BY item")
        return Cached(tuple(Item(r[0], json.loads(r[1])) for r in rows), _when(min((r[2] for r in rows), default=None)))

    def specialties(self) -> Cached:
        rows = self._rows("SELECT code, payload, fetched_at FROM specialties ORDER BY position")
        return Cached(tuple(Item(r[0], json.loads(r[1])) for r in rows), _when(min((r[2] for r in rows), default=None)))

    def doctors(self, specialty_code: str) -> Cached:
        rows = self._rows("SELECT resource_id, payload, fetched_at FROM doctors WHERE specialty_code = ? "
                          "ORDER BY position", (specialty_code,))
        return Cached(tuple(DoctorItem(r[0], json.loads(r[1])) for r in rows),
                      _when(min((r[2] for r in rows), default=None)))

    def doctor(self, resource_id: int) -> DoctorItem | None:
        rows = self._rows("SELECT resource_id, payload FROM doctors WHERE resource_id = ? LIMIT 1", (resource_id,))
        return DoctorItem(rows[0][0], json.loads(rows[0][1])) if rows else None

    def doctor_ids(self) -> list[int]:
        return [r[0] for r in self._rows("SELECT DISTINCT resource_id FROM doctors ORDER BY resource_id")]

    def schedule(self, resource_id: int, from_day: date) -> Cached:
        """Free slots of one doctor from ``from_day`` on; fetched_at is the oldest fetch of those days."""
        day = from_day.isoformat()
        fetched = self._rows("SELECT MIN(fetched_at) FROM schedule_days WHERE resource_id = ? AND day >= ?",
                             (resource_id, day))
        rows = self._rows(f"SELECT {SLOT_SELECT} FROM slots WHERE resource_id = ? AND day >= ? ORDER BY start",
                          (resource_id, day))
        return Cached(tuple(_slot(r) for r in rows), _when(fetched[0][0] if fetched else None))

    def free_slots(self, resource_id: int, day: date) -> list[SlotItem]:
        """One doctor's free slots on one day, earliest first (the slot screen's query)."""
        rows = self._rows(f"SELECT {SLOT_SELECT} FROM slots WHERE resource_id = ? AND day = ? ORDER BY start",
                          (resource_id, day.isoformat()))
        return [_slot(r) for r in rows]

    def status(self) -> dict[str, Any]:
        """Counts and the oldest/newest fetch per kind, and the last syncs (for `kiosk cache status`)."""
        kinds: dict[str, Any] = {}
        for kind, table in (("clinic", "clinic"), ("specialties", "specialties"), ("doctors", "doctors"),
                            ("schedule_days", "schedule_days")):
            count, oldest, newest = self._rows(
                f"SELECT COUNT(*), MIN(fetched_at), MAX(fetched_at) FROM {table}")[0]
            kinds[kind] = {"count": count, "oldest": oldest, "newest": newest}
        kinds["slots"] = {"count": self._rows("SELECT COUNT(*) FROM slots")[0][0]}
        for table in ("personal_patients", "personal_appointments"):
            kinds[table] = {"count": self._rows(f"SELECT COUNT(*) FROM {table}")[0][0]}
        syncs = {r[0]: {"started_at": r[1], "finished_at": r[2], "ok": bool(r[3]), "detail": r[4],
                        "last_ok_at": r[5]}
                 for r in self._rows("SELECT kind, started_at, finished_at, ok, detail, last_ok_at FROM sync_log")}
        outbox = {r[0]: r[1] for r in self._rows("SELECT status, COUNT(*) FROM outbox GROUP BY status")}
        state = {r[0]: {"value": r[1], "since": r[2], "detail": r[3]}
                 for r in self._rows("SELECT key, value, since, detail FROM kiosk_state")}
        return {"path": str(self.path), "schema_version": self.version, "kinds": kinds, "syncs": syncs,
                "state": state, "outbox": outbox}
