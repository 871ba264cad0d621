"""Readers of the waiting-list extension (docs/registry-protocol.md «Waiting list»). Anything of the
wrong shape raises :class:`UnexpectedAnswer`, as in ``parse``; the phone is kept only as its last two
digits."""

from __future__ import annotations

from typing import Any

from kiosk.domain import WAITING_REASONS, WaitingListEntry
from kiosk.errors import UnexpectedAnswer
from kiosk.registry.values import items, obj, text, to_datetime, to_int

#: a bound on a hostile answer's size
MAX_ENTRIES = 100


def added(result: Any) -> int:
    """``setWaitingList`` → the entry's id."""
    entry_id = to_int(obj(result, "setWaitingList").get("waitingListId"), "waitingListId")
    if entry_id <= 0:
        raise UnexpectedAnswer(f"waitingListId: {entry_id} is not an id")
    return entry_id


def entries(result: Any) -> list[WaitingListEntry]:
    """``getWaitingListByPatient`` → the entries; an unknown reason or a bad time is an unreadable answer."""
    listed = items(obj(result, "getWaitingListByPatient").get("items"), "waiting list")
    if len(listed) > MAX_ENTRIES:
        raise UnexpectedAnswer(f"waiting list: {len(listed)} entries, more than {MAX_ENTRIES}")
    found = []
    for entry in listed:
        raw = obj(entry, "waiting list entry")
        reason = text(raw.get("reason"), "reason")
        if reason not in WAITING_REASONS:
            raise UnexpectedAnswer(f"reason: unknown {reason!r:.40}")
        digits = "".join(c for c in text(raw.get("phone"), "phone") if c.isascii() and c.isdigit())
        found.append(WaitingListEntry(
            entry_id=to_int(raw.get("waitingListId"), "waitingListId"),
            specialty_id=text(raw.get("specialityId"), "specialityId"),
            specialty_name=text(raw.get("specialityName"), "specialityName")[:200],
            reason=reason, created=to_datetime(raw.get("createdAt"), "createdAt"), phone_tail=digits[-2:],
        ))
    return found
