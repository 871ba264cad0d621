"""The demo polyclinic's model: buildings, specialties, doctors, diagnostic rooms, working hours.

The generator that fills it from a seed is :mod:`kiosk.demo_registry.generator`.

Everything here is derived from the seed and is immutable; the registry's changing state
(appointments, check-ins) lives in the SQLite store. Free slots are computed from the
working hours on request, so the schedule always covers the next :data:`HORIZON_DAYS`
days from "today" in Moscow time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

MSK = timezone(timedelta(hours=3))
HORIZON_DAYS = 14
UMBRELLA_DISTRICT = "200"


@dataclass(frozen=True)
class Building:
    lpu_id: int
    name: str
    short_name: str
    address: str
    address_point_id: int


@dataclass(frozen=True)
class SpecialtyDef:
    """A specialty the patient picks (getSpecialitiesInfo code) or a referral target."""

    code: str
    name: str
    self_booking: bool
    audience: str = "all"  # adult, child or all
    female_only: bool = False
    therapeutic: bool = False
    complaint: bool = False
    multi_lpu: bool = False

    def fits(self, age: int, female: bool) -> bool:
        if self.female_only and not female:
            return False
        if self.audience == "adult":
            return age >= 18
        if self.audience == "child":
            return age < 18
        return True


@dataclass(frozen=True)
class WorkDay:
    start: time
    end: time
    break_start: time | None = None
    break_end: time | None = None


@dataclass(frozen=True)
class Cabinet:
    complex_resource_id: int
    room_id: int
    number: str
    building: Building


@dataclass(frozen=True)
class Resource:
    """An available resource: a doctor (kind doctor) or a diagnostic room (kind ldp)."""

    resource_id: int
    kind: str
    menu_code: str  # the specialty code a patient books under (umbrella 200 for district doctors)
    spec_code: str  # arSpecialityId, or the ldpType code
    spec_name: str
    audience: str
    last_name: str
    first_name: str
    middle_name: str
    employee_id: int
    meji_id: int
    reception_code: str
    reception_name: str
    slot_minutes: int
    cabinets: tuple[Cabinet, ...]
    week: tuple[WorkDay | None, ...]  # Monday … Sunday
    vacation: tuple[date, date] | None = None

    @property
    def label(self) -> str:
        """The EMIAS ``name``: ``Фамилия_И.О.`` for doctors (quirk 6), the room title for diagnostics."""
        if self.kind == "ldp":
            return self.last_name
        return f"{self.last_name}_{self.first_name[0]}.{self.middle_name[0]}."

    def cabinet_on(self, day: date) -> Cabinet:
        """A doctor with two cabinets receives in the second one on odd days."""
        return self.cabinets[day.toordinal() % len(self.cabinets)]

    def works_on(self, day: date) -> WorkDay | None:
        if self.vacation and self.vacation[0] <= day <= self.vacation[1]:
            return None
        return self.week[day.weekday()]

    def slot_texts_on(self, day: date) -> list[tuple[str, str]]:
        """:meth:`slots_on` as the protocol's strings (``…T09:00:00+03:00``), computed once per day."""
        cache: dict[date, list[tuple[str, str]]] = self.__dict__.setdefault("_slot_texts", {})
        texts = cache.get(day)
        if texts is None:
            texts = [(start.isoformat(), end.isoformat()) for start, end in self.slots_on(day)]
            cache[day] = texts
        return texts

    def slots_on(self, day: date) -> list[tuple[datetime, datetime]]:
        """Every slot of the day by the working hours (free or not), Moscow time."""
        hours = self.works_on(day)
        if hours is None:
            return []
        step = timedelta(minutes=self.slot_minutes)
        cursor = datetime.combine(day, hours.start, MSK)
        day_end = datetime.combine(day, hours.end, MSK)
        slots = []
        while cursor + step <= day_end:
            end = cursor + step
            in_break = (
                hours.break_start is not None
                and hours.break_end is not None
                and cursor.time() < hours.break_end
                and end.time() > hours.break_start
            )
            if not in_break:
                slots.append((cursor, end))
            cursor = end
        return slots


@dataclass(frozen=True)
class Clinic:
    seed: int
    head: Building
    buildings: tuple[Building, ...]
    other_clinic: Building
    specialties: tuple[SpecialtyDef, ...]
    ldp_types: dict[str, str]
    resources: tuple[Resource, ...]

    def specialty(self, code: str) -> SpecialtyDef | None:
        return next((spec for spec in self.specialties if spec.code == code), None)

    def resource(self, resource_id: int) -> Resource | None:
        return self._by_id().get(resource_id)

    def _by_id(self) -> dict[int, Resource]:
        cache = self.__dict__.get("_resource_index")
        if cache is None:
            cache = {res.resource_id: res for res in self.resources}
            object.__setattr__(self, "_resource_index", cache)
        return cache


SPECIALTIES = (
    SpecialtyDef(UMBRELLA_DISTRICT, "Участковый врач", True, therapeutic=True),
    SpecialtyDef("6", "Офтальмолог", True),
    SpecialtyDef("603", "Оториноларинголог", True),
    SpecialtyDef("3", "Хирург", True),
    SpecialtyDef("2", "Уролог", True, audience="adult"),
    SpecialtyDef("2008", "Диспансеризация / профилактический медосмотр", True, audience="adult"),
    SpecialtyDef("2017", "Дежурный врач ОРВИ", True, complaint=True),
    SpecialtyDef("21", "Акушер-гинеколог", True, audience="adult", female_only=True, multi_lpu=True),
    SpecialtyDef("14", "Кардиолог", False, audience="adult"),
    SpecialtyDef("11", "Невролог", False),
    SpecialtyDef("112", "Эндокринолог", False, audience="adult"),
)

LDP_TYPES = {
    "105": "Электрокардиография",
    "106": "Ультразвуковое исследование органов брюшной полости",
    "107": "Рентгенография органов грудной клетки",
}

# (menu code, arSpecialityId, arSpecialityName, audience, count, slot minutes)
