"""Readers of the home-visit extension (docs/registry-protocol.md «Home visits»). Anything of the wrong
shape raises :class:`UnexpectedAnswer`, as in ``parse``."""

from __future__ import annotations

from typing import Any

from kiosk.domain import HOME_VISIT_REASONS, HomeVisit
from kiosk.errors import UnexpectedAnswer
from kiosk.registry.values import items, obj, text, to_datetime, to_int

STATUSES = ("PENDING", "DONE", "CANCELLED")
MAX_VISITS = 100
MAX_ADDRESS = 200


def address(result: Any) -> str:
    """``getHomeVisitAddress`` → the address on file ("" when the registry has none)."""
    found = " ".join(text(obj(result, "getHomeVisitAddress").get("address"), "address").split())
    if len(found) > MAX_ADDRESS:
        raise UnexpectedAnswer(f"address: {len(found)} characters, more than {MAX_ADDRESS}")
    return found


def visit(result: Any) -> HomeVisit:
    raw = obj(result, "home visit")
    visit_id = to_int(raw.get("homeVisitId"), "homeVisitId")
    status = text(raw.get("status"), "status")
    if visit_id <= 0 or status not in STATUSES:
        raise UnexpectedAnswer(f"home visit: id {visit_id}, status {status!r:.20}")
    start, end = to_datetime(raw.get("expectedFrom"), "expectedFrom"), to_datetime(raw.get("expectedTo"), "expectedTo")
    if end <= start:
        raise UnexpectedAnswer("home visit: expectedTo not after expectedFrom")
    reason = text(raw.get("reason"), "reason")
    if reason and reason not in HOME_VISIT_REASONS:
        raise UnexpectedAnswer(f"reason: unknown {reason!r:.40}")
    where = " ".join(text(raw.get("address"), "address").split())[:MAX_ADDRESS]
    return HomeVisit(visit_id, status, start, end, where, reason)


def visits(result: Any) -> list[HomeVisit]:
    listed = items(obj(result, "getHomeVisitsByPatient").get("items"), "home visits")
    if len(listed) > MAX_VISITS:
        raise UnexpectedAnswer(f"home visits: {len(listed)} entries, more than {MAX_VISITS}")
    return [visit(entry) for entry in listed]
