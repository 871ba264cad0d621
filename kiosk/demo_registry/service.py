"""The demo registry's rules: the methods of emias-protocol.md §3 plus the check-in extension.

Pure Python over the clinic model and the store; the HTTP layer (server.py) only moves JSON.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from kiosk.demo_registry import scenario
from kiosk.demo_registry.clinic import HORIZON_DAYS, MSK, Clinic
from kiosk.demo_registry.home_visit import HomeVisits
from kiosk.demo_registry.past_visits import PastVisits
from kiosk.demo_registry.patients import DemoPatient
from kiosk.demo_registry.reads import DEFAULT_WINDOW, ReadingService
from kiosk.demo_registry.rpc import (
    BUSINESS_ERROR,
    CHECK_IN_METHOD,
    INVALID_PARAMS,
    MESSAGES,
    METHOD_NOT_FOUND,
    CheckInWindow,
    RpcError,
    param_int,
    param_time,
)
from kiosk.demo_registry.store import (
    DuplicateAppointmentError,
    NewAppointment,
    NoSuchAppointmentError,
    SlotConflictError,
    Store,
)
from kiosk.demo_registry.waiting_list import WaitingList

__all__ = [
    "BUSINESS_ERROR",
    "CHECK_IN_METHOD",
    "INVALID_PARAMS",
    "METHOD_NOT_FOUND",
    "CheckInWindow",
    "DemoService",
    "RpcError",
]


#: who takes slots in race mode (not a valid ENP: no real patient can ever be it)
GHOST_POLICY = "0000000000000000"


_CHANNEL = re.compile(r"[a-z0-9_-]{1,32}", re.ASCII)


def booking_channel(params: dict[str, Any]) -> str:
    """Where a booking was made (the extension's ``channel``: «infomat» from the kiosk); "kiosk" without one."""
    channel = params.get("channel")
    if channel is None:
        return "kiosk"
    if not isinstance(channel, str) or not _CHANNEL.fullmatch(channel):
        raise RpcError("INVALID_PARAMS", INVALID_PARAMS, "Некорректный параметр channel")
    return channel


class DemoService(ReadingService):
    def __init__(
        self,
        clinic: Clinic,
        store: Store,
        patients: dict[str, DemoPatient],
        clock: Callable[[], datetime],
        check_in: CheckInWindow | None = DEFAULT_WINDOW,
    ) -> None:
        super().__init__(clinic, store, patients, clock, check_in)
        self.methods.update(
            {
                "createAppointment": self.create,
                "shiftAppointment": self.shift,
                "cancelAppointment": self.cancel,
            }
        )
        if check_in is not None:
            self.methods[CHECK_IN_METHOD] = self.check_in
        #: the waiting-list extension; emptied (by start_demo_registry) for a registry without it
        self.waiting_methods = WaitingList(clinic, store, self.now, self._require_attached).methods
        self.methods.update(self.waiting_methods)
        #: the home-visit extension; emptied (by start_demo_registry) for a registry without it
        self.home_visit_methods = HomeVisits(store, self.now, self._require_attached).methods
        self.methods.update(self.home_visit_methods)
        #: the visit-history extension; emptied (by start_demo_registry) for a registry without it
        self.past_visit_methods = PastVisits(clinic, store, self.now, lambda p, res: self._fits(p, res)).methods
        self.methods.update(self.past_visit_methods)

    # --- changing methods ------------------------------------------------------------------

    def _new_appointment(
        self, patient: DemoPatient, params: dict[str, Any], origin: str = "kiosk"
    ) -> NewAppointment:
        """Validate a create/shift request: the resource, the referral and the exact slot."""
        referral_id = param_int(params, "referralId", required=False)
        reception = params.get("receptionTypeId")
        if referral_id is None and "appointmentId" in params:  # a move keeps the referral it was booked by
            moved = self.store.get(param_int(params, "appointmentId") or 0)
            referral_id = moved.referral_id if moved else None
        if referral_id is None and reception in (None, ""):
            raise RpcError("INVALID_PARAMS", INVALID_PARAMS, "Не указан receptionTypeId или referralId")
        context = dict(params)
        if "appointmentId" not in context and referral_id is None:
            context.pop("referralId", None)
        res = self._resource_for(patient, context)
        complex_id = param_int(params, "complexResourceId")
        start, end = param_time(params.get("startTime")), param_time(params.get("endTime"))
        day = start.astimezone(MSK).date()
        if res.cabinet_on(day).complex_resource_id != complex_id:
            raise RpcError("SLOT_UNAVAILABLE")
        if start <= self.now() or (day - self.now().date()).days >= HORIZON_DAYS:
            raise RpcError("SLOT_UNAVAILABLE")
        if (start, end) not in res.slots_on(day):
            raise RpcError("SLOT_UNAVAILABLE")
        return NewAppointment(
            patient.policy,
            res.resource_id,
            complex_id or 0,
            start.astimezone(MSK).isoformat(),
            end.astimezone(MSK).isoformat(),
            self._group(res),
            referral_id,
            str(reception or res.reception_code or res.spec_code),
            origin,
        )

    def _store_booking(self, new: NewAppointment, replacing: int | None = None) -> dict[str, Any]:
        try:
            new_id = self.store.book(new, self.now().isoformat(), replacing)
        except SlotConflictError:
            raise RpcError("SLOT_UNAVAILABLE") from None
        except DuplicateAppointmentError:
            raise RpcError("APPOINTMENT_ALREADY_EXISTS") from None
        except NoSuchAppointmentError:
            raise RpcError("APPOINTMENT_RECEPTION_NOT_FOUND") from None
        return {"appointmentId": new_id, "appointmentNumber": str(new_id)}

    def create(self, patient: DemoPatient, params: dict[str, Any]) -> dict[str, Any]:
        self._require_attached(patient)
        params = {key: value for key, value in params.items() if key != "appointmentId"}
        return self._store_booking(self._new_appointment(patient, params, booking_channel(params)))

    def shift(self, patient: DemoPatient, params: dict[str, Any]) -> dict[str, Any]:
        self._require_attached(patient)
        appointment_id = param_int(params, "appointmentId") or 0
        self._own_appointment(patient, appointment_id)
        return self._store_booking(self._new_appointment(patient, params, booking_channel(params)),
                                   replacing=appointment_id)

    def cancel(self, patient: DemoPatient, params: dict[str, Any]) -> str:
        try:
            self.store.cancel(patient.policy, param_int(params, "appointmentId") or 0, self.now().isoformat())
        except NoSuchAppointmentError:
            raise RpcError("APPOINTMENT_RECEPTION_NOT_FOUND") from None
        return "OK"

    def check_in(self, patient: DemoPatient, params: dict[str, Any]) -> dict[str, Any]:
        """Extension: confirm arrival within the window around the start (docs/registry-protocol.md)."""
        window = self.check_in_window or CheckInWindow()
        stored = self._own_appointment(patient, param_int(params, "appointmentId") or 0)
        now = self.now()
        start = datetime.fromisoformat(stored.start_time)
        if now < start - timedelta(minutes=window.minutes_before):
            raise RpcError(
                "CHECK_IN_TOO_EARLY",
                message=MESSAGES["CHECK_IN_TOO_EARLY"].format(before=window.minutes_before),
            )
        if stored.checked_in_at is None and now > start + timedelta(minutes=window.minutes_after):
            raise RpcError("CHECK_IN_TOO_LATE")
        arrived = self.store.check_in(stored.id, now.isoformat())
        return {"appointmentId": stored.id, "checkedIn": True, "arrivalTime": arrived}

    def steal_slot(self, params: Any) -> None:
        """Race mode: someone else books the requested slot a moment before this request."""
        try:
            ghost = NewAppointment(
                GHOST_POLICY,
                int(params["availableResourceId"]),
                int(params["complexResourceId"]),
                param_time(params["startTime"]).astimezone(MSK).isoformat(),
                param_time(params["endTime"]).astimezone(MSK).isoformat(),
                f"ghost:{params['startTime']}",
                None,
                "",
                "fault",
            )
            self.store.book(ghost, self.now().isoformat())
        except (KeyError, TypeError, ValueError, RpcError, SlotConflictError, DuplicateAppointmentError):
            pass  # nothing to steal: the request is malformed or the slot is gone already

    # --- the standing appointments of the demo cast ----------------------------------------

    def ensure_standing_appointments(self) -> None:
        """Give the demo patients their appointments again once the previous ones have passed."""
        now = self.now()
        booked = self.store.booked_slots(now.isoformat())
        for spec in scenario.STANDING:
            patient = self.patients.get(spec.policy)
            if patient is None or self.store.has_origin(spec.policy, spec.origin, now.isoformat()):
                continue
            candidates = [
                res
                for res in self.clinic.resources
                if spec.menu_code in (res.menu_code, res.spec_code)
                and self._fits(patient, res)
                and res.kind == ("ldp" if spec.referral_id else "doctor")
            ]
            for res in candidates:
                days = [d for d in self.free_days(res, booked) if (d[0] - now.date()).days >= spec.days_ahead]
                if not days:
                    continue
                _day, cr_id, _cabinet, slots = days[0]
                start, end = slots[min(2, len(slots) - 1)] if spec.days_ahead else slots[0]
                new = NewAppointment(
                    spec.policy,
                    res.resource_id,
                    cr_id,
                    start,
                    end,
                    self._group(res),
                    spec.referral_id,
                    res.reception_code or res.spec_code,
                    spec.origin,
                )
                try:
                    self.store.book(new, now.isoformat())
                except (SlotConflictError, DuplicateAppointmentError):
                    continue
                break
