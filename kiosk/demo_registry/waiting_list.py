"""The demo registry's waiting list (a documented extension, docs/registry-protocol.md «Waiting list»):
a patient who found no free time with a specialist leaves a reason and a contact phone, and the
registry calls back when time is freed (N3's ``SetWaitingList`` with its reason codes).

Rules: the patient is identified as for every patient method and attached here; the specialty is one
of the polyclinic's; the reason is one of ``REASONS``; the phone is a Russian number (11 digits from
7 or 8, stored as ``+7`` and 10 digits); one entry per patient and specialty, a second request updates
its reason and phone and keeps its id (so a retried request never makes two).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from kiosk.demo_registry.clinic import Clinic
from kiosk.demo_registry.patients import DemoPatient
from kiosk.demo_registry.rpc import INVALID_PARAMS, RpcError
from kiosk.demo_registry.store import Store

SET_WAITING_LIST = "setWaitingList"
GET_WAITING_LIST = "getWaitingListByPatient"
#: no free slots / no convenient time / the specialist is absent
REASONS = ("NO_SLOTS", "NO_CONVENIENT_TIME", "SPECIALIST_ABSENT")

_PHONE = re.compile(r"[78](\d{10})", re.ASCII)
_CHANNEL = re.compile(r"[a-z0-9_-]{1,32}", re.ASCII)


def _param_text(params: dict[str, Any], name: str) -> str:
    value = params.get(name)
    if not isinstance(value, str | int) or not str(value).strip():
        raise RpcError("INVALID_PARAMS", INVALID_PARAMS, f"Не указан параметр {name}")
    return str(value).strip()


class WaitingList:
    def __init__(self, clinic: Clinic, store: Store, now: Callable[[], datetime],
                 require_attached: Callable[[DemoPatient], None]) -> None:
        self.clinic = clinic
        self.store = store
        self.now = now
        self.require_attached = require_attached
        self.methods: dict[str, Callable[[DemoPatient, dict[str, Any]], Any]] = {
            SET_WAITING_LIST: self.add,
            GET_WAITING_LIST: self.entries,
        }

    def add(self, patient: DemoPatient, params: dict[str, Any]) -> dict[str, Any]:
        self.require_attached(patient)
        code = _param_text(params, "specialityId")
        if self.clinic.specialty(code) is None:
            raise RpcError("INVALID_PARAMS", INVALID_PARAMS, "Нет такой специальности")
        reason = _param_text(params, "reason")
        if reason not in REASONS:
            raise RpcError("INVALID_PARAMS", INVALID_PARAMS, "reason: " + ", ".join(REASONS))
        phone = _PHONE.fullmatch(re.sub(r"[\s()+-]", "", _param_text(params, "phone")))
        if phone is None:
            raise RpcError("INVALID_PARAMS", INVALID_PARAMS, "Некорректный номер телефона")
        channel = str(params.get("channel") or "kiosk")
        if not _CHANNEL.fullmatch(channel):
            raise RpcError("INVALID_PARAMS", INVALID_PARAMS, "Некорректный параметр channel")
        entry_id = self.store.wait_for(patient.policy, code, reason, "+7" + phone.group(1), channel,
                                       self.now().isoformat())
        return {"waitingListId": entry_id}

    def entries(self, patient: DemoPatient, params: dict[str, Any]) -> dict[str, Any]:
        items = []
        for entry_id, code, reason, phone, created in self.store.waiting(patient.policy):
            spec = self.clinic.specialty(code)
            items.append({"waitingListId": entry_id, "specialityId": code,
                          "specialityName": spec.name if spec else code, "reason": reason,
                          "phone": phone, "createdAt": created, "status": "WAITING"})
        return {"items": items}
