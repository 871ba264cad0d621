"""Reader of the visit-history extension (docs/registry-protocol.md «Past visits»). Anything of the
wrong shape raises :class:`UnexpectedAnswer`, as in ``parse``."""

from __future__ import annotations

from typing import Any

from kiosk.domain import PAST_VISIT_STATUSES, PastVisit
from kiosk.errors import UnexpectedAnswer
from kiosk.registry.values import clean_name, items, obj, text, to_datetime, to_int

MAX_VISITS = 200
MAX_TEXT = 200


def visits(result: Any) -> list[PastVisit]:
    listed = items(obj(result, "getPastVisitsByPatient").get("items"), "past visits")
    if len(listed) > MAX_VISITS:
        raise UnexpectedAnswer(f"past visits: {len(listed)} entries, more than {MAX_VISITS}")
    found = []
    for entry in listed:
        raw = obj(entry, "past visit")
        status = text(raw.get("status"), "status")
        if status not in PAST_VISIT_STATUSES:
            raise UnexpectedAnswer(f"status: unknown {status!r:.40}")
        found.append(PastVisit(
            appointment_id=to_int(raw.get("appointmentId"), "appointmentId"),
            start=to_datetime(raw.get("startTime"), "startTime"),
            specialty_name=" ".join(text(raw.get("specialityName"), "specialityName").split())[:MAX_TEXT],
            doctor_name=clean_name(text(raw.get("doctorName"), "doctorName"))[:MAX_TEXT],
            status=status, note=" ".join(text(raw.get("note"), "note").split())[:MAX_TEXT],
        ))
    return found
