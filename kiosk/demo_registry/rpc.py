"""JSON-RPC vocabulary of the demo registry: error codes, messages, parameter readers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kiosk.demo_registry.clinic import MSK

BUSINESS_ERROR = 500
INVALID_PARAMS = -32602
METHOD_NOT_FOUND = -32601

CHECK_IN_METHOD = "checkInAppointment"

MESSAGES = {
    "PATIENT_NOT_FOUND": "Пациент с указанными полисом ОМС и датой рождения не найден",
    "INVALID_PARAMS": "Некорректный номер полиса ОМС или дата рождения",
    "NO_ATTACHMENT": "Пациент не прикреплен к медицинской организации",
    "REFERRAL_REQUIRED": "Запись к специалисту возможна только по направлению",
    "REFERRAL_NOT_VALID": "Направление недействительно",
    "SLOT_UNAVAILABLE": "Выбранное время уже занято, выберите другое",
    "APPOINTMENT_ALREADY_EXISTS": "У вас уже есть запись к этому специалисту. Перенесите существующую запись",
    "APPOINTMENT_RECEPTION_NOT_FOUND": "Запись на прием не найдена",
    "CHECK_IN_TOO_EARLY": "Отметиться о приходе можно не ранее чем за {before} мин до приема",
    "CHECK_IN_TOO_LATE": "Время отметки о приходе истекло",
    "HOME_VISIT_EXISTS": "Вызов врача на дом уже оформлен",
    "HOME_VISIT_NOT_FOUND": "Вызов врача на дом не найден или уже не ожидает",
}


class RpcError(Exception):
    def __init__(self, data_code: str, code: int = BUSINESS_ERROR, message: str | None = None) -> None:
        super().__init__(data_code)
        self.data_code = data_code
        self.code = code
        self.message = message or MESSAGES.get(data_code, data_code)


@dataclass(frozen=True)
class CheckInWindow:
    minutes_before: int = 60
    minutes_after: int = 15


POLICY = re.compile(r"\d{16}")


def param_int(params: dict[str, Any], name: str, required: bool = True) -> int | None:
    value = params.get(name)
    if value is None or value == "":
        if required:
            raise RpcError("INVALID_PARAMS", INVALID_PARAMS, f"Не указан параметр {name}")
        return None
    try:
        return int(value)  # ids may come as numbers or strings (quirk 3)
    except (TypeError, ValueError):
        raise RpcError("INVALID_PARAMS", INVALID_PARAMS, f"Некорректный параметр {name}") from None


def param_time(value: Any) -> datetime:
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise RpcError("SLOT_UNAVAILABLE") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=MSK)
