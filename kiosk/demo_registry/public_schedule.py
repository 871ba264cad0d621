"""The demo registry's schedule reads that need no patient (a documented extension,
docs/registry-protocol.md «Schedules without identification»): what a lobby board shows —
specialties, their doctors with the cabinet, and each doctor's working hours with the free slots.

No identity is asked or accepted: these methods never see a patient, so they can reveal nothing
about one. The kiosk's client detects them (``METHOD_NOT_FOUND`` = a registry without them).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from kiosk.demo_registry.clinic import HORIZON_DAYS, Clinic, Resource
from kiosk.demo_registry.rpc import INVALID_PARAMS, RpcError, param_int
from kiosk.demo_registry.store import Store

PUBLIC_SPECIALITIES = "getPublicSpecialities"
PUBLIC_DOCTORS = "getPublicDoctors"
WORKING_HOURS = "getDoctorWorkingHours"
PUBLIC_METHODS = (PUBLIC_SPECIALITIES, PUBLIC_DOCTORS, WORKING_HOURS)


class PublicSchedule:
    def __init__(self, clinic: Clinic, store: Store, now: Callable[[], datetime]) -> None:
        self.clinic = clinic
        self.store = store
        self.now = now
        self.methods: dict[str, Callable[[dict[str, Any]], Any]] = {
            PUBLIC_SPECIALITIES: self.specialities,
            PUBLIC_DOCTORS: self.doctors,
            WORKING_HOURS: self.working_hours,
        }

    def _doctors_of(self, code: str) -> list[Resource]:
        return [res for res in self.clinic.resources if res.kind == "doctor" and code in (res.menu_code, res.spec_code)]

    def specialities(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Specialties a patient may book by themselves and that have a doctor here."""
        return [{"code": spec.code, "name": spec.name} for spec in self.clinic.specialties
                if spec.self_booking and self._doctors_of(spec.code)]

    def doctors(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        code = str(params.get("specialityId", "")).strip()
        if not code:
            raise RpcError("INVALID_PARAMS", INVALID_PARAMS, "Не указан параметр specialityId")
        today = self.now().date()
        return [{"id": res.resource_id, "name": res.label, "specialityId": code, "specialityName": res.spec_name,
                 "cabinet": res.cabinet_on(today).number} for res in self._doctors_of(code)]

    def working_hours(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """The doctor's working days from today, at most ``days`` (1..HORIZON_DAYS, default all), with the
        number of slots nobody has booked that have not begun yet."""
        resource_id = param_int(params, "availableResourceId")
        days = param_int(params, "days", required=False) or HORIZON_DAYS
        res = self.clinic.resource(resource_id or 0)
        if res is None or res.kind != "doctor":
            raise RpcError("INVALID_PARAMS", INVALID_PARAMS, "Нет такого врача")
        if not 1 <= days <= HORIZON_DAYS:
            raise RpcError("INVALID_PARAMS", INVALID_PARAMS, f"days: от 1 до {HORIZON_DAYS}")
        now = self.now()
        now_text = now.isoformat()
        booked = self.store.booked_slots(now_text, [res.resource_id])
        answer = []
        for offset in range(days):
            day: date = now.date() + timedelta(days=offset)
            work = res.works_on(day)
            if work is None:
                continue
            free = sum(1 for start, _end in res.slot_texts_on(day)
                       if start > now_text and (res.resource_id, start) not in booked)
            answer.append({"date": day.isoformat(), "start": work.start.strftime("%H:%M"),
                           "end": work.end.strftime("%H:%M"), "freeSlots": free})
        return answer
