"""The demo registry's visit history (a documented extension, docs/registry-protocol.md «Past visits»;
EMIAS has no such read): the patient's visits of the last 30 days with the status the polyclinic set.

Where statuses come from: an appointment booked here whose start has passed is ``VISITED`` when the
arrival was marked and ``NO_SHOW`` when not; one the patient cancelled is ``CANCELLED_BY_PATIENT``.
Each patient of the fixed demo cast also has three visits made at the desk (6, 13 and 20 days ago:
visited, not shown up with the doctor's note, cancelled by the polyclinic), so every status can be seen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

from kiosk.demo_registry.clinic import MSK, Clinic, Resource
from kiosk.demo_registry.patients import DEMO_PATIENTS, DemoPatient
from kiosk.demo_registry.store import CANCELLED, Store

PAST_VISITS = "getPastVisitsByPatient"
STATUSES = ("VISITED", "NO_SHOW", "CANCELLED_BY_PATIENT", "CANCELLED_BY_CLINIC")
DAYS = 30
#: the desk's visits of each demo patient: (days ago, status, note)
DESK_HISTORY = (
    (6, "VISITED", ""),
    (13, "NO_SHOW", "Неявка отмечена врачом"),
    (20, "CANCELLED_BY_CLINIC", "Приём отменён: врач на больничном"),
)
FIRST_DESK_ID = 990_000_000_001


class PastVisits:
    def __init__(self, clinic: Clinic, store: Store, now: Callable[[], datetime],
                 fits: Callable[[DemoPatient, Resource], bool]) -> None:
        self.clinic = clinic
        self.store = store
        self.now = now
        self.fits = fits
        self.methods: dict[str, Callable[[DemoPatient, dict[str, Any]], Any]] = {PAST_VISITS: self.visits}

    def _item(self, visit_id: int, start: datetime, res: Resource, status: str, note: str) -> dict[str, Any]:
        return {"appointmentId": visit_id, "startTime": start.isoformat(), "specialityName": res.spec_name,
                "doctorName": res.label, "status": status, "note": note}

    def visits(self, patient: DemoPatient, params: dict[str, Any]) -> dict[str, Any]:
        now = self.now()
        since = now - timedelta(days=DAYS)
        items = []
        for stored in self.store.past(patient.policy, since.isoformat(), now.isoformat()):
            res = self.clinic.resource(stored.resource_id)
            if res is None:
                continue
            if stored.state == CANCELLED:
                status = "CANCELLED_BY_PATIENT"
            else:
                status = "VISITED" if stored.checked_in_at else "NO_SHOW"
            items.append(self._item(stored.id, datetime.fromisoformat(stored.start_time), res, status, ""))
        items.extend(self._desk_history(patient, now))
        items.sort(key=lambda item: str(item["startTime"]), reverse=True)
        return {"items": items}

    def _desk_history(self, patient: DemoPatient, now: datetime) -> list[dict[str, Any]]:
        if patient not in DEMO_PATIENTS:
            return []
        doctors = [res for res in self.clinic.resources if res.kind == "doctor" and self.fits(patient, res)]
        if not doctors:
            return []
        offset = DEMO_PATIENTS.index(patient) * len(DESK_HISTORY)
        found = []
        for n, (days_ago, status, note) in enumerate(DESK_HISTORY):
            res = doctors[(offset + n) % len(doctors)]
            start = datetime.combine(now.date() - timedelta(days=days_ago), time(9 + n, 0), MSK)
            found.append(self._item(FIRST_DESK_ID + offset + n, start, res, status, note))
        return found
