"""The outbox's storage (migration 2): an action is on disk before enqueue returns, sealed, listed oldest
first, and moves only along its statuses; a file made by the first migration is brought up to date."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.clock import ManualClock
from offline_cache import SCHEMA_VERSION, CacheStore, Outbox, OutboxError, Sealer
from offline_cache.outbox import CONFIRMED, DISCARDED, FAILED, PENDING, SENT
from offline_cache.schema import MIGRATIONS

POLICY = "7700000000000017"


@pytest.fixture
def outbox(tmp_path: Path) -> Outbox:
    return Outbox(CacheStore(tmp_path / "cache.sqlite"), Sealer.from_key_file(tmp_path / "cache.key"))


def test_a_file_of_the_first_version_is_migrated_and_keeps_its_data(tmp_path: Path, clock: ManualClock) -> None:
    path = tmp_path / "cache.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in MIGRATIONS[0][1]:
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO kiosk_state VALUES ('registry', 'available', ?, '')", (clock.now().isoformat(),))
    conn.close()
    store = CacheStore(path)
    assert (store.version_found, store.version) == (1, SCHEMA_VERSION)
    assert store.status()["state"]["registry"]["value"] == "available" and store.status()["outbox"] == {}
    assert store.integrity() == "ok"


def test_an_action_is_committed_and_sealed_before_enqueue_returns(outbox: Outbox, tmp_path: Path,
                                                                 clock: ManualClock) -> None:
    lookup = outbox.sealer.lookup(POLICY, clock.today())
    action = outbox.enqueue("cancel", lookup, {"policy": POLICY, "appointment_id": 42}, clock.now())
    other = sqlite3.connect(tmp_path / "cache.sqlite")  # another reader sees it at once
    (kind, status, blob), = other.execute("SELECT kind, status, blob FROM outbox WHERE id = ?", (action,))
    assert (kind, status) == ("cancel", PENDING) and POLICY.encode() not in blob
    assert outbox.get(action).payload == {"policy": POLICY, "appointment_id": 42}


def test_actions_go_oldest_first_and_only_along_their_statuses(outbox: Outbox, clock: ManualClock) -> None:
    lookup = outbox.sealer.lookup(POLICY, clock.today())
    first = outbox.enqueue("cancel", lookup, {"appointment_id": 1}, clock.now())
    clock.advance(60)
    second = outbox.enqueue("check_in", lookup, {"appointment_id": 2}, clock.now())
    assert outbox.next_to_send().action_id == first  # type: ignore[union-attr]
    assert outbox.move(first, SENT, clock.now()).attempts == 1
    assert outbox.next_to_send().action_id == first  # type: ignore[union-attr]  # sent, answer unknown: first still
    outbox.move(first, CONFIRMED, clock.now(), "appointment no longer listed")
    assert outbox.next_to_send().action_id == second  # type: ignore[union-attr]
    failed = outbox.move(second, FAILED, clock.now() + timedelta(seconds=1), "CHECK_IN_TOO_LATE")
    assert failed.detail == "CHECK_IN_TOO_LATE" and outbox.next_to_send() is None
    with pytest.raises(OutboxError, match="confirmed: it cannot become pending"):
        outbox.move(first, PENDING, clock.now())
    with pytest.raises(OutboxError, match="reason"):
        outbox.discard(second, clock.now(), "  ")
    assert outbox.retry(second, clock.now()).status == PENDING
    outbox.move(second, FAILED, clock.now(), "CHECK_IN_TOO_LATE")
    assert outbox.discard(second, clock.now(), "patient seen at the desk").detail == "patient seen at the desk"
    assert outbox.counts() == {PENDING: 0, SENT: 0, CONFIRMED: 1, FAILED: 0, DISCARDED: 1}
    assert [a.action_id for a in outbox.listed()] == [first, second]  # nothing is ever deleted
    with pytest.raises(OutboxError, match="no queued action"):
        outbox.get(999)
