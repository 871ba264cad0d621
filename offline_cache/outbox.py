"""The outbox: actions a patient took while the registry was offline, kept until the registry has them.

An action is committed (one transaction) before :meth:`Outbox.enqueue` returns, so the kiosk may tell
the patient «Принято, будет передано в регистратуру» only after it is on disk. What the action is about
(the patient's identity, the appointment) is sealed like the personal tables; ``kind`` (``cancel``,
``check_in``) and the status are in clear for the technician's counts.

Statuses: ``pending`` (waiting to be sent), ``sent`` (handed to the registry, its answer not known yet:
the sender asks the registry what happened before any retry), ``confirmed`` (the registry has it, or
had it already), ``failed`` (the registry refused, with its reason: it stays visible until a technician
retries or discards it), ``discarded`` (a technician gave it up, with a reason). Nothing is deleted.
Delivery, with its was-it-done checks, is the kiosk's (kiosk.offline.sender); this module is its storage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from offline_cache.crypto import Sealer
from offline_cache.records import Payload
from offline_cache.store import CacheStore

PENDING, SENT, CONFIRMED, FAILED, DISCARDED = "pending", "sent", "confirmed", "failed", "discarded"
STATUSES = (PENDING, SENT, CONFIRMED, FAILED, DISCARDED)

#: status → the statuses it may move to
MOVES: dict[str, frozenset[str]] = {
    PENDING: frozenset({SENT, CONFIRMED, FAILED, DISCARDED}),
    # sent → sent: a kiosk killed before the answer came sends again, after the sender's was-it-done check
    SENT: frozenset({SENT, PENDING, CONFIRMED, FAILED}),
    FAILED: frozenset({PENDING, DISCARDED}),
    CONFIRMED: frozenset(),
    DISCARDED: frozenset(),
}


class OutboxError(Exception):
    """No such action, or a move its status does not allow (the message says which)."""


@dataclass(frozen=True)
class QueuedAction:
    action_id: int
    kind: str
    lookup: str
    status: str
    attempts: int
    detail: str
    created_at: datetime
    updated_at: datetime
    payload: Payload


def _where(lookup: str, kind: str, created_at: str) -> str:
    return f"outbox|{kind}|{lookup}|{created_at}"


class Outbox:
    def __init__(self, store: CacheStore, sealer: Sealer) -> None:
        self.store = store
        self.sealer = sealer

    def enqueue(self, kind: str, lookup: str, payload: Payload, at: datetime) -> int:
        """Keep one action; returns its id once it is committed."""
        stamp = at.isoformat()
        blob = self.sealer.seal(payload, _where(lookup, kind, stamp))
        with self.store.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO outbox (kind, lookup, blob, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                (kind, lookup, blob, PENDING, stamp, stamp))
            return int(cursor.lastrowid or 0)

    def _row(self, row: tuple[Any, ...]) -> QueuedAction:
        action_id, kind, lookup, blob, status, attempts, detail, created, updated = row
        return QueuedAction(action_id, kind, lookup, status, attempts, detail, datetime.fromisoformat(created),
                            datetime.fromisoformat(updated), self.sealer.open(blob, _where(lookup, kind, created)))

    _COLUMNS = "id, kind, lookup, blob, status, attempts, detail, created_at, updated_at"

    def get(self, action_id: int) -> QueuedAction:
        with self.store.lock:
            row = self.store.conn.execute(f"SELECT {self._COLUMNS} FROM outbox WHERE id = ?", (action_id,)).fetchone()
        if row is None:
            raise OutboxError(f"no queued action {action_id}")
        return self._row(row)

    def listed(self, statuses: tuple[str, ...] = STATUSES) -> list[QueuedAction]:
        """Actions in these statuses, oldest first."""
        marks = ",".join("?" * len(statuses))
        with self.store.lock:
            rows = self.store.conn.execute(
                f"SELECT {self._COLUMNS} FROM outbox WHERE status IN ({marks}) ORDER BY id", statuses).fetchall()
        return [self._row(r) for r in rows]

    def next_to_send(self) -> QueuedAction | None:
        """The oldest action not yet confirmed by the registry (pending, or sent with no answer known)."""
        found = self.listed((PENDING, SENT))
        return found[0] if found else None

    def counts(self) -> dict[str, int]:
        with self.store.lock:
            rows = self.store.conn.execute("SELECT status, COUNT(*) FROM outbox GROUP BY status").fetchall()
        return {status: 0 for status in STATUSES} | {status: int(n) for status, n in rows}

    def move(self, action_id: int, status: str, at: datetime, detail: str = "") -> QueuedAction:
        """Change an action's status (checked against :data:`MOVES`); ``sent`` counts an attempt."""
        if status not in STATUSES:
            raise OutboxError(f"unknown status {status!r}; one of {', '.join(STATUSES)}")
        with self.store.transaction() as conn:
            row = conn.execute("SELECT status FROM outbox WHERE id = ?", (action_id,)).fetchone()
            if row is None:
                raise OutboxError(f"no queued action {action_id}")
            if status not in MOVES[row[0]]:
                raise OutboxError(f"queued action {action_id} is {row[0]}: it cannot become {status}")
            conn.execute("UPDATE outbox SET status = ?, detail = ?, updated_at = ?, attempts = attempts + ? "
                         "WHERE id = ?", (status, detail[:500], at.isoformat(), int(status == SENT), action_id))
        return self.get(action_id)

    def retry(self, action_id: int, at: datetime) -> QueuedAction:
        """A technician sends a failed action again."""
        return self.move(action_id, PENDING, at, "retry asked by a technician")

    def discard(self, action_id: int, at: datetime, reason: str) -> QueuedAction:
        """A technician gives a failed (or pending) action up; the reason is kept with it."""
        if not reason.strip():
            raise OutboxError("a reason is needed to discard a queued action")
        return self.move(action_id, DISCARDED, at, reason.strip())
