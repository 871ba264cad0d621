"""The demo registry's changing state in SQLite: appointments and check-ins.

One connection guarded by a lock, every write in ``BEGIN IMMEDIATE``; a partial unique
index on (resource, start) over booked appointments makes double booking impossible even
if two processes share the file.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FIRST_APPOINTMENT_ID = 334_455_600_001

BOOKED = "BOOKED"
SHIFTED = "SHIFTED"
CANCELLED = "CANCELLED"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS appointment (
    id INTEGER PRIMARY KEY,
    policy TEXT NOT NULL,
    resource_id INTEGER NOT NULL,
    complex_resource_id INTEGER NOT NULL,
    start_time TEXT NOT NULL,
    end_time TEXT NOT NULL,
    spec_group TEXT NOT NULL,
    referral_id INTEGER,
    reception_type TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    origin TEXT NOT NULL DEFAULT 'kiosk',
    created_at TEXT NOT NULL,
    checked_in_at TEXT,
    replaced_by INTEGER
);
CREATE UNIQUE INDEX IF NOT EXISTS one_booking_per_slot
    ON appointment (resource_id, start_time) WHERE state = 'BOOKED';
CREATE INDEX IF NOT EXISTS appointment_by_patient ON appointment (policy, state);
CREATE TABLE IF NOT EXISTS waiting_list (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    policy TEXT NOT NULL,
    speciality_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    phone TEXT NOT NULL,
    channel TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (policy, speciality_id)
);
CREATE TABLE IF NOT EXISTS home_visit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    policy TEXT NOT NULL,
    address TEXT NOT NULL,
    reason TEXT NOT NULL,
    temperature TEXT NOT NULL,
    phone TEXT NOT NULL,
    channel TEXT NOT NULL,
    visit_date TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS one_pending_home_visit ON home_visit (policy) WHERE state = 'PENDING';
"""


class SlotConflictError(Exception):
    """The slot is already booked."""


class DuplicateAppointmentError(Exception):
    """The patient already has an upcoming appointment of this specialty or referral."""


class NoSuchAppointmentError(Exception):
    """No booked appointment with this id for this patient."""


@dataclass(frozen=True)
class StoredAppointment:
    id: int
    policy: str
    resource_id: int
    complex_resource_id: int
    start_time: str
    end_time: str
    spec_group: str
    referral_id: int | None
    reception_type: str
    state: str
    origin: str
    checked_in_at: str | None


@dataclass(frozen=True)
class NewAppointment:
    policy: str
    resource_id: int
    complex_resource_id: int
    start_time: str
    end_time: str
    spec_group: str
    referral_id: int | None
    reception_type: str
    origin: str = "kiosk"


_COLUMNS = (
    "id, policy, resource_id, complex_resource_id, start_time, end_time, spec_group, referral_id, "
    "reception_type, state, origin, checked_in_at"
)


class Store:
    def __init__(self, path: Path, seed: int) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=10)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)
        with self._write() as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'seed'").fetchone()
            if row is None or int(row[0]) != seed:  # another polyclinic: old bookings point nowhere
                db.execute("DELETE FROM appointment")
                db.execute("DELETE FROM waiting_list")
                db.execute("DELETE FROM home_visit")
                db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('seed', ?)", (str(seed),))

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _read(self, sql: str, args: tuple[object, ...] = ()) -> list[Any]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    # --- queries ---------------------------------------------------------------------------

    def booked_slots(self, since: str, resource_ids: Iterable[int] | None = None) -> set[tuple[int, str]]:
        """(resource, start) of booked appointments not yet over; optionally of some resources only."""
        sql = "SELECT resource_id, start_time FROM appointment WHERE state = 'BOOKED' AND end_time > ?"
        args: tuple[object, ...] = (since,)
        if resource_ids is not None:
            ids = sorted(set(resource_ids))
            sql += f" AND resource_id IN ({', '.join('?' * len(ids))})"
            args += tuple(ids)
        return {(int(r[0]), str(r[1])) for r in self._read(sql, args)}

    def upcoming(self, policy: str, now: str) -> list[StoredAppointment]:
        rows = self._read(
            f"SELECT {_COLUMNS} FROM appointment WHERE policy = ? AND state = ? AND end_time > ? "
            "ORDER BY start_time",
            (policy, BOOKED, now),
        )
        return [StoredAppointment(*row) for row in rows]

    def get(self, appointment_id: int) -> StoredAppointment | None:
        rows = self._read(f"SELECT {_COLUMNS} FROM appointment WHERE id = ?", (appointment_id,))
        return StoredAppointment(*rows[0]) if rows else None

    def active_per_referral(self, policy: str, now: str) -> dict[int, int]:
        rows = self._read(
            "SELECT referral_id, COUNT(*) FROM appointment WHERE policy = ? AND state = ? "
            "AND end_time > ? AND referral_id IS NOT NULL GROUP BY referral_id",
            (policy, BOOKED, now),
        )
        return {int(r[0]): int(r[1]) for r in rows}

    def has_origin(self, policy: str, origin: str, since: str) -> bool:
        """Whether a seeded appointment of this origin still lies ahead (in any state)."""
        rows = self._read(
            "SELECT 1 FROM appointment WHERE policy = ? AND origin = ? AND end_time > ? LIMIT 1",
            (policy, origin, since),
        )
        return bool(rows)

    def count_booked(self) -> int:
        return int(self._read("SELECT COUNT(*) FROM appointment WHERE state = ?", (BOOKED,))[0][0])

    def duplicate_bookings(self) -> int:
        """Booked appointments sharing a (resource, start): must always be 0."""
        rows = self._read(
            "SELECT COUNT(*) FROM (SELECT 1 FROM appointment WHERE state = ? "
            "GROUP BY resource_id, start_time HAVING COUNT(*) > 1)",
            (BOOKED,),
        )
        return int(rows[0][0])

    # --- changes ---------------------------------------------------------------------------

    def book(self, new: NewAppointment, now: str, replacing: int | None = None) -> int:
        """Insert a booked appointment atomically; with ``replacing``, retire that one in the same step."""
        with self._write() as db:
            if replacing is not None:
                old = db.execute(
                    "SELECT policy FROM appointment WHERE id = ? AND state = ?", (replacing, BOOKED)
                ).fetchone()
                if old is None or old[0] != new.policy:
                    raise NoSuchAppointmentError(replacing)
            clash = db.execute(
                "SELECT 1 FROM appointment WHERE policy = ? AND state = ? AND end_time > ? AND id IS NOT ? "
                "AND (spec_group = ? OR (referral_id IS NOT NULL AND referral_id = ?)) LIMIT 1",
                (new.policy, BOOKED, now, replacing, new.spec_group, new.referral_id),
            ).fetchone()
            if clash:
                raise DuplicateAppointmentError(new.spec_group)
            (last,) = db.execute("SELECT MAX(id) FROM appointment").fetchone()
            new_id = max(int(last or 0) + 1, FIRST_APPOINTMENT_ID)
            if replacing is not None:
                db.execute(
                    "UPDATE appointment SET state = ?, replaced_by = ? WHERE id = ?",
                    (SHIFTED, new_id, replacing),
                )
            try:
                db.execute(
                    "INSERT INTO appointment (id, policy, resource_id, complex_resource_id, start_time, "
                    "end_time, spec_group, referral_id, reception_type, state, origin, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        new_id,
                        new.policy,
                        new.resource_id,
                        new.complex_resource_id,
                        new.start_time,
                        new.end_time,
                        new.spec_group,
                        new.referral_id,
                        new.reception_type,
                        BOOKED,
                        new.origin,
                        now,
                    ),
                )
            except sqlite3.IntegrityError:
                raise SlotConflictError(new.start_time) from None
            return new_id

    def cancel(self, policy: str, appointment_id: int, now: str) -> None:
        with self._write() as db:
            changed = db.execute(
                "UPDATE appointment SET state = ? WHERE id = ? AND policy = ? AND state = ? AND end_time > ?",
                (CANCELLED, appointment_id, policy, BOOKED, now),
            ).rowcount
            if changed != 1:
                raise NoSuchAppointmentError(appointment_id)

    def past(self, policy: str, since: str, now: str) -> list[StoredAppointment]:
        """The patient's appointments that began between ``since`` and ``now`` (booked or cancelled)."""
        rows = self._read(
            f"SELECT {_COLUMNS} FROM appointment WHERE policy = ? AND start_time >= ? AND start_time < ?"
            " AND state IN (?, ?) ORDER BY start_time DESC",
            (policy, since, now, BOOKED, CANCELLED),
        )
        return [StoredAppointment(*row) for row in rows]

    # --- the waiting list (extension, kiosk.demo_registry.waiting_list) ------------------------

    def wait_for(self, policy: str, speciality_id: str, reason: str, phone: str, channel: str, now: str) -> int:
        """Put the patient on the waiting list of a specialty; a second request for the same specialty
        updates the first (reason and phone) and keeps its id and place."""
        with self._write() as db:
            db.execute(
                "INSERT INTO waiting_list (policy, speciality_id, reason, phone, channel, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (policy, speciality_id)"
                " DO UPDATE SET reason = excluded.reason, phone = excluded.phone",
                (policy, speciality_id, reason, phone, channel, now),
            )
            (entry_id,) = db.execute(
                "SELECT id FROM waiting_list WHERE policy = ? AND speciality_id = ?", (policy, speciality_id)
            ).fetchone()
            return int(entry_id)

    def waiting(self, policy: str) -> list[tuple[int, str, str, str, str]]:
        """The patient's waiting-list entries: (id, speciality, reason, phone, created), oldest first."""
        rows = self._read(
            "SELECT id, speciality_id, reason, phone, created_at FROM waiting_list WHERE policy = ? ORDER BY id",
            (policy,),
        )
        return [(int(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4])) for r in rows]

    # --- home visits (extension, kiosk.demo_registry.home_visit) --------------------------------

    def call_home(self, policy: str, fields: tuple[str, str, str, str, str], visit_date: str, now: str) -> int | None:
        """Keep a pending request (address, reason, temperature, phone, channel); None when the patient
        already has a pending one."""
        with self._write() as db:
            try:
                cursor = db.execute(
                    "INSERT INTO home_visit (policy, address, reason, temperature, phone, channel, visit_date,"
                    " state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'PENDING', ?)",
                    (policy, *fields, visit_date, now),
                )
            except sqlite3.IntegrityError:
                return None
            return int(cursor.lastrowid or 0)

    def home_visits(self, policy: str) -> list[tuple[int, str, str, str, str, str]]:
        """(id, address, reason, temperature, visit date, state), newest first."""
        rows = self._read("SELECT id, address, reason, temperature, visit_date, state FROM home_visit"
                          " WHERE policy = ? ORDER BY id DESC", (policy,))
        return [(int(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]), str(r[5])) for r in rows]

    def cancel_home_visit(self, policy: str, visit_id: int) -> bool:
        with self._write() as db:
            return db.execute("UPDATE home_visit SET state = 'CANCELLED' WHERE id = ? AND policy = ?"
                              " AND state = 'PENDING'", (visit_id, policy)).rowcount == 1

    def check_in(self, appointment_id: int, at: str) -> str:
        """Record the arrival (first one wins) and return its time."""
        with self._write() as db:
            db.execute(
                "UPDATE appointment SET checked_in_at = ? WHERE id = ? AND checked_in_at IS NULL",
                (at, appointment_id),
            )
            (value,) = db.execute(
                "SELECT checked_in_at FROM appointment WHERE id = ?", (appointment_id,)
            ).fetchone()
            return str(value)
