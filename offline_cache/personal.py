"""The personal part of the cache: patients and their appointments seen at this kiosk, sealed.

Rows are found by the keyed hash of policy + birth date (:meth:`Sealer.lookup`); what they hold is
an AES-GCM blob. ``keep_until`` (an ISO day) is when a row may go: an appointment on its own day,
a patient's record on the last day of the appointments known for them. :meth:`purge` drops what has
passed. A blob that does not open (a new key file) counts as not cached and is dropped.
"""

from __future__ import annotations

import logging
from datetime import date

from offline_cache.crypto import Sealer, SealError
from offline_cache.records import Payload
from offline_cache.store import CacheStore

log = logging.getLogger("offline_cache.personal")


class PersonalVault:
    def __init__(self, store: CacheStore, sealer: Sealer) -> None:
        self.store = store
        self.sealer = sealer

    def lookup(self, policy: str, birth_date: date) -> str:
        return self.sealer.lookup(policy, birth_date)

    def remember_patient(self, lookup: str, patient: Payload, keep_until: date) -> None:
        blob = self.sealer.seal(patient, f"patient|{lookup}")
        with self.store.transaction() as conn:
            row = conn.execute("SELECT keep_until FROM personal_patients WHERE lookup = ?", (lookup,)).fetchone()
            until = max(keep_until.isoformat(), row[0]) if row else keep_until.isoformat()
            conn.execute("INSERT OR REPLACE INTO personal_patients (lookup, blob, keep_until) VALUES (?, ?, ?)",
                         (lookup, blob, until))

    def patient(self, lookup: str) -> Payload | None:
        with self.store.lock:
            row = self.store.conn.execute("SELECT blob FROM personal_patients WHERE lookup = ?", (lookup,)).fetchone()
        if row is None:
            return None
        try:
            value: Payload = self.sealer.open(row[0], f"patient|{lookup}")
        except SealError:
            log.warning("a sealed patient record does not open with the current key; dropped")
            self.forget(lookup)
            return None
        return value

    def replace_appointments(self, lookup: str, appointments: list[tuple[str, date, Payload]]) -> None:
        """Everything the registry just said about this patient's appointments: (id, day, payload) each."""
        rows = [(self.sealer.item(lookup, ident), lookup, self.sealer.seal(payload, f"appointment|{lookup}"),
                 day.isoformat()) for ident, day, payload in appointments]
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM personal_appointments WHERE lookup = ?", (lookup,))
            conn.executemany("INSERT OR REPLACE INTO personal_appointments (item, lookup, blob, keep_until) "
                             "VALUES (?, ?, ?, ?)", rows)
            if rows:
                last = max(row[3] for row in rows)
                conn.execute("UPDATE personal_patients SET keep_until = MAX(keep_until, ?) WHERE lookup = ?",
                             (last, lookup))

    def add_appointment(self, lookup: str, ident: str, day: date, payload: Payload) -> None:
        """One appointment seen here (booked, moved): added to what is known."""
        with self.store.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO personal_appointments (item, lookup, blob, keep_until) "
                         "VALUES (?, ?, ?, ?)", (self.sealer.item(lookup, ident), lookup,
                                                 self.sealer.seal(payload, f"appointment|{lookup}"), day.isoformat()))
            conn.execute("UPDATE personal_patients SET keep_until = MAX(keep_until, ?) WHERE lookup = ?",
                         (day.isoformat(), lookup))

    def drop_appointment(self, lookup: str, ident: str) -> None:
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM personal_appointments WHERE item = ?", (self.sealer.item(lookup, ident),))

    def appointments(self, lookup: str, from_day: date) -> list[Payload]:
        with self.store.lock:
            rows = self.store.conn.execute(
                "SELECT blob FROM personal_appointments WHERE lookup = ? AND keep_until >= ?",
                (lookup, from_day.isoformat())).fetchall()
        found = []
        for (blob,) in rows:
            try:
                found.append(self.sealer.open(blob, f"appointment|{lookup}"))
            except SealError:
                log.warning("a sealed appointment does not open with the current key; skipped")
        return found

    def forget(self, lookup: str) -> None:
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM personal_appointments WHERE lookup = ?", (lookup,))
            conn.execute("DELETE FROM personal_patients WHERE lookup = ?", (lookup,))

    def purge(self, today: date) -> int:
        """Drop everything whose day has passed; returns how many rows went."""
        day = today.isoformat()
        with self.store.transaction() as conn:
            gone = conn.execute("DELETE FROM personal_appointments WHERE keep_until < ?", (day,)).rowcount
            gone += conn.execute("DELETE FROM personal_patients WHERE keep_until < ?", (day,)).rowcount
        return int(gone)
