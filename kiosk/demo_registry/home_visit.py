"""The demo registry's home-visit requests («Вызов врача на дом», a documented extension,
docs/registry-protocol.md «Home visits», after N3's ``HomeCall``).

Rules: the patient is identified as for every patient method and attached here; the address is the one
on file (``getHomeVisitAddress``) or one typed (5..200 characters); the reason is one of ``REASONS``; the
temperature one of ``TEMPERATURES``; the phone a Russian number (as for the waiting list). A request made
before ``CUTOFF`` (Moscow time) is served the same day, later ones the next day, and a Sunday moves to
Monday; the doctor comes between ``VISIT_FROM`` and ``VISIT_TO``. One pending request per patient
(``HOME_VISIT_EXISTS``); a pending request may be cancelled.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from kiosk.demo_registry.patients import DemoPatient
from kiosk.demo_registry.rpc import INVALID_PARAMS, RpcError, param_int
from kiosk.demo_registry.store import Store

GET_ADDRESS = "getHomeVisitAddress"
CREATE = "createHomeVisit"
LIST = "getHomeVisitsByPatient"
CANCEL = "cancelHomeVisit"
REASONS = ("FEVER", "CANNOT_WALK", "CHRONIC_WORSE")
TEMPERATURES = ("NOT_MEASURED", "UP_TO_37", "FROM_37_TO_38", "FROM_38_TO_39", "ABOVE_39")
#: requests after this hour are for the next day
CUTOFF = time(14, 0)
VISIT_FROM, VISIT_TO = time(10, 0), time(18, 0)

_PHONE = re.compile(r"[78](\d{10})", re.ASCII)
_CHANNEL = re.compile(r"[a-z0-9_-]{1,32}", re.ASCII)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def address_on_file(patient: DemoPatient) -> str:
    """The demo patient's registered address (made up from the policy, the same every run)."""
    number = int(patient.policy[-4:])
    return f"г. Москва, ул. Примерная, д. {number % 90 + 1}, кв. {number % 200 + 1}"


def visit_day(now: datetime) -> date:
    day = now.date() if now.time() < CUTOFF else now.date() + timedelta(days=1)
    return day + timedelta(days=1) if day.weekday() == 6 else day


def _choice(params: dict[str, Any], name: str, allowed: tuple[str, ...]) -> str:
    value = params.get(name)
    if value not in allowed:
        raise RpcError("INVALID_PARAMS", INVALID_PARAMS, f"{name}: " + ", ".join(allowed))
    return str(value)


class HomeVisits:
    def __init__(self, store: Store, now: Callable[[], datetime],
                 require_attached: Callable[[DemoPatient], None]) -> None:
        self.store = store
        self.now = now
        self.require_attached = require_attached
        self.methods: dict[str, Callable[[DemoPatient, dict[str, Any]], Any]] = {
            GET_ADDRESS: self.address, CREATE: self.create, LIST: self.visits, CANCEL: self.cancel,
        }

    def address(self, patient: DemoPatient, params: dict[str, Any]) -> dict[str, Any]:
        return {"address": address_on_file(patient)}

    def create(self, patient: DemoPatient, params: dict[str, Any]) -> dict[str, Any]:
        self.require_attached(patient)
        address = params.get("address")
        if not isinstance(address, str) or not 5 <= len(address.strip()) <= 200 or _CONTROL.search(address):
            raise RpcError("INVALID_PARAMS", INVALID_PARAMS, "address: от 5 до 200 символов")
        reason = _choice(params, "reason", REASONS)
        temperature = _choice(params, "temperature", TEMPERATURES)
        phone = _PHONE.fullmatch(re.sub(r"[\s()+-]", "", str(params.get("phone") or "")))
        if phone is None:
            raise RpcError("INVALID_PARAMS", INVALID_PARAMS, "Некорректный номер телефона")
        channel = str(params.get("channel") or "kiosk")
        if not _CHANNEL.fullmatch(channel):
            raise RpcError("INVALID_PARAMS", INVALID_PARAMS, "Некорректный параметр channel")
        now = self.now()
        day = visit_day(now)
        visit_id = self.store.call_home(patient.policy, (" ".join(address.split()), reason, temperature,
                                                         "+7" + phone.group(1), channel), day.isoformat(),
                                        now.isoformat())
        if visit_id is None:
            raise RpcError("HOME_VISIT_EXISTS")
        return self._answer(visit_id, day, "PENDING", now)

    def _answer(self, visit_id: int, day: date, state: str, now: datetime) -> dict[str, Any]:
        zone = now.tzinfo
        return {"homeVisitId": visit_id, "status": state,
                "expectedFrom": datetime.combine(day, VISIT_FROM, zone).isoformat(),
                "expectedTo": datetime.combine(day, VISIT_TO, zone).isoformat()}

    def visits(self, patient: DemoPatient, params: dict[str, Any]) -> dict[str, Any]:
        """The patient's requests of the last 30 days (a pending one whose day has passed is done)."""
        now = self.now()
        items = []
        for visit_id, address, reason, _temperature, day_text, state in self.store.home_visits(patient.policy):
            day = date.fromisoformat(day_text)
            if (now.date() - day).days > 30:
                continue
            if state == "PENDING" and day < now.date():
                state = "DONE"
            items.append({**self._answer(visit_id, day, state, now), "address": address, "reason": reason})
        return {"items": items}

    def cancel(self, patient: DemoPatient, params: dict[str, Any]) -> str:
        visit_id = param_int(params, "homeVisitId") or 0
        day = next((date.fromisoformat(v[4]) for v in self.store.home_visits(patient.policy) if v[0] == visit_id),
                   None)
        if day is None or day < self.now().date() or not self.store.cancel_home_visit(patient.policy, visit_id):
            raise RpcError("HOME_VISIT_NOT_FOUND")
        return "OK"
