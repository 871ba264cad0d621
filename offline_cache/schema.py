"""The cache file's schema: numbered migrations, applied in order, and the version the kiosk checks.

``PRAGMA user_version`` holds the number of the last migration applied. A file from a newer kiosk
(a higher number than this code knows) is refused rather than guessed at. Each migration runs in
one transaction together with its version bump, so a crash leaves the file at the old or the new
version, never between.

Personal data never gets a clear-text column: the ``personal_*`` tables and the ``outbox`` (migration 2)
hold a keyed hash (``lookup``) and an AES-GCM ``blob`` (see :mod:`offline_cache.crypto`).
"""

from __future__ import annotations

import sqlite3

#: (number, statements); never edit one that shipped: add the next number
MIGRATIONS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (1, (
        # the last sync of each kind ("full", "partial"): when it ran, whether it worked, a word on why not
        """CREATE TABLE sync_log (kind TEXT PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT NOT NULL,
           ok INTEGER NOT NULL, detail TEXT NOT NULL DEFAULT '', last_ok_at TEXT)""",
        # what the running kiosk last knew, for the technician's CLI (e.g. "registry" → offline, since when)
        """CREATE TABLE kiosk_state (key TEXT PRIMARY KEY, value TEXT NOT NULL, since TEXT NOT NULL,
           detail TEXT NOT NULL DEFAULT '')""",
        # reference data: the clinic's public data and the specialties, each row with its fetch time
        """CREATE TABLE clinic (item TEXT PRIMARY KEY, payload TEXT NOT NULL, fetched_at TEXT NOT NULL)""",
        """CREATE TABLE specialties (code TEXT PRIMARY KEY, position INTEGER NOT NULL, payload TEXT NOT NULL,
           fetched_at TEXT NOT NULL)""",
        # doctors (and diagnostic rooms) listed under a specialty code, with their cabinets in the payload
        """CREATE TABLE doctors (specialty_code TEXT NOT NULL, resource_id INTEGER NOT NULL,
           position INTEGER NOT NULL, payload TEXT NOT NULL, fetched_at TEXT NOT NULL,
           PRIMARY KEY (specialty_code, resource_id))""",
        "CREATE INDEX doctors_by_resource ON doctors (resource_id)",
        # which days of a doctor's schedule were fetched and when (a day may have no free slot)
        """CREATE TABLE schedule_days (resource_id INTEGER NOT NULL, day TEXT NOT NULL, fetched_at TEXT NOT NULL,
           PRIMARY KEY (resource_id, day))""",
        # free slots, clustered by doctor and day (no second index: a full sync writes them fastest in
        # this order, and every query of the kiosk is by doctor): aware ISO times, the registry's raw
        # strings (it wants them back), the room and its cabinet
        """CREATE TABLE slots (resource_id INTEGER NOT NULL, day TEXT NOT NULL, start TEXT NOT NULL,
           "end" TEXT NOT NULL, start_raw TEXT NOT NULL, end_raw TEXT NOT NULL, room_id INTEGER NOT NULL,
           cabinet TEXT NOT NULL, PRIMARY KEY (resource_id, day, start)) WITHOUT ROWID""",
        # personal data: keyed hash of policy + birth date, sealed blob, and the day after which it goes
        """CREATE TABLE personal_patients (lookup TEXT PRIMARY KEY, blob BLOB NOT NULL, keep_until TEXT NOT NULL)""",
        """CREATE TABLE personal_appointments (item TEXT PRIMARY KEY, lookup TEXT NOT NULL, blob BLOB NOT NULL,
           keep_until TEXT NOT NULL)""",
        "CREATE INDEX personal_appointments_by_lookup ON personal_appointments (lookup)",
    )),
    (2, (
        # the outbox of actions taken offline (offline_cache.outbox): committed before the patient is told,
        # delivered oldest first; what it is about is sealed like the personal tables
        """CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, lookup TEXT NOT NULL,
           blob BLOB NOT NULL, status TEXT NOT NULL
           CHECK (status IN ('pending', 'sent', 'confirmed', 'failed', 'discarded')),
           attempts INTEGER NOT NULL DEFAULT 0, detail TEXT NOT NULL DEFAULT '',
           created_at TEXT NOT NULL, updated_at TEXT NOT NULL)""",
        "CREATE INDEX outbox_by_status ON outbox (status, id)",
    )),
)

SCHEMA_VERSION = MIGRATIONS[-1][0]


class CacheSchemaError(Exception):
    """The cache file cannot be used by this kiosk (made by a newer one, or not a cache at all)."""


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, path: str) -> tuple[int, int]:
    """Bring the file to :data:`SCHEMA_VERSION`; return (version found, version now).

    ``conn`` must be in autocommit mode (``isolation_level=None``): each migration is its own
    ``BEGIN IMMEDIATE … COMMIT``.
    """
    found = schema_version(conn)
    if found > SCHEMA_VERSION:
        raise CacheSchemaError(
            f"{path}: cache schema version {found} is newer than this kiosk knows ({SCHEMA_VERSION}); "
            "update the kiosk or move the file away (it is rebuilt by the next sync)")
    for number, statements in MIGRATIONS:
        if number <= found:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in statements:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {int(number)}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return found, schema_version(conn)
