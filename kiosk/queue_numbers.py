"""Queue numbers for walk-in tickets to the registry desk: «Р-001», «Р-002», … from 1 each day.

The letter is the terminal's own (``[ticket] queue_prefix``): two terminals of one polyclinic with
different letters never hand out the same number. The day is the kiosk clock's (the caller passes it).

Kept in a small SQLite file in the data directory, so numbers never repeat within a
day across restarts. One short transaction per number; safe from several threads.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

PREFIX = "Р"  # «регистратура»


class QueueNumbers:
    def __init__(self, path: Path, prefix: str = PREFIX) -> None:
        """``prefix``: this terminal's letter(s) ([ticket] queue_prefix), so that the terminals of one
        polyclinic never hand out the same number."""
        self._path = path
        self._prefix = prefix
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("CREATE TABLE IF NOT EXISTS queue (day TEXT PRIMARY KEY, last INTEGER NOT NULL)")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self._path, timeout=5, isolation_level="IMMEDIATE")

    def next(self, day: date) -> str:
        """The next number of ``day``, committed before it is returned."""
        with self._connect() as db:
            db.execute("INSERT INTO queue (day, last) VALUES (?, 1) "
                       "ON CONFLICT(day) DO UPDATE SET last = last + 1", (day.isoformat(),))
            (last,) = db.execute("SELECT last FROM queue WHERE day = ?", (day.isoformat(),)).fetchone()
            db.execute("DELETE FROM queue WHERE day < ?", (day.isoformat(),))
        return f"{self._prefix}-{last:03d}"
