"""Readers of the schedule reads that need no patient (docs/registry-protocol.md, «Schedules without
identification»). Anything of the wrong shape raises :class:`UnexpectedAnswer`, as in ``parse``."""

from __future__ import annotations

import re
from datetime import time
from typing import Any

from kiosk.domain import PublicDoctor, Specialty, WorkingDay
from kiosk.errors import UnexpectedAnswer
from kiosk.registry.values import clean_name, items, obj, text, to_date, to_int

_HH_MM = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])", re.ASCII)

#: no more days than the kiosk shows, and a bound on a hostile answer's size
MAX_DAYS = 31
MAX_ITEMS = 500


def _clock(value: Any, what: str) -> time:
    if not isinstance(value, str) or not _HH_MM.fullmatch(value):
        raise UnexpectedAnswer(f"{what}: expected HH:MM, got {value!r}"[:200])
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def _bounded(result: Any, what: str, limit: int) -> list[Any]:
    listed = items(result, what)
    if len(listed) > limit:
        raise UnexpectedAnswer(f"{what}: {len(listed)} entries, more than {limit}")
    return listed


def specialties(result: Any) -> list[Specialty]:
    found = []
    for entry in _bounded(result, "public specialities", MAX_ITEMS):
        raw = obj(entry, "public speciality")
        found.append(Specialty(code=text(raw.get("code"), "speciality.code"),
                               name=text(raw.get("name"), "speciality.name")))
    if any(not s.code or not s.name for s in found):
        raise UnexpectedAnswer("public speciality without code or name")
    return found


def doctors(result: Any) -> list[PublicDoctor]:
    found = []
    for entry in _bounded(result, "public doctors", MAX_ITEMS):
        raw = obj(entry, "public doctor")
        found.append(PublicDoctor(
            resource_id=to_int(raw.get("id"), "doctor.id"),
            name=clean_name(text(raw.get("name"), "doctor.name")),
            specialty_code=text(raw.get("specialityId"), "doctor.specialityId"),
            specialty_name=text(raw.get("specialityName"), "doctor.specialityName"),
            cabinet=text(raw.get("cabinet"), "doctor.cabinet"),
        ))
    return found


def working_hours(result: Any) -> list[WorkingDay]:
    days = []
    for entry in _bounded(result, "working hours", MAX_DAYS):
        raw = obj(entry, "working day")
        start, end = _clock(raw.get("start"), "day.start"), _clock(raw.get("end"), "day.end")
        free = to_int(raw.get("freeSlots"), "day.freeSlots")
        if end <= start or free < 0:
            raise UnexpectedAnswer(f"working day {start}–{end} with {free} free slots")
        days.append(WorkingDay(to_date(raw.get("date"), "day.date"), start, end, free))
    return sorted(days, key=lambda d: d.day)
