"""The nearest free time "in one tap": the earliest slot of a specialty over all its doctors.

Works with any :class:`RegistryPort` (the EMIAS adapter, the offline cache): one doctors call,
then the schedules of only the doctors whose cabinets report the earliest free day
(``room.availabilityDate``), instead of every doctor's schedule.
"""

from __future__ import annotations

from datetime import date

from kiosk.domain import Doctor, PatientKey, Slot
from kiosk.registry.port import RegistryPort

#: at most this many schedules are read when several doctors share the earliest day
MAX_SCHEDULES = 3


def _earliest_day(doctor: Doctor) -> date | None:
    days = [room.nearest_date for room in doctor.rooms if room.nearest_date is not None]
    return min(days) if days else None


def nearest_free_slot(
    registry: RegistryPort, key: PatientKey, specialty_id: str, lpu_id: int | None = None
) -> tuple[Doctor, Slot] | None:
    """The earliest free slot of ``specialty_id`` and its doctor, or None when nothing is free."""
    doctors = [d for d in registry.doctors(key, specialty_id, lpu_id) if d.bookable]
    if not doctors:
        return None
    dated = [(day, d) for d in doctors if (day := _earliest_day(d)) is not None]
    if dated:
        first = min(day for day, _d in dated)
        candidates = [d for day, d in dated if day == first][:MAX_SCHEDULES]
    else:  # the registry does not say: look at a few
        candidates = doctors[:MAX_SCHEDULES]
    best: tuple[Doctor, Slot] | None = None
    for doctor in candidates:
        schedule = registry.schedule(key, doctor)
        slots = [slot for day in schedule.days for slot in day.slots]
        if slots and (best is None or slots[0].start < best[1].start):
            best = (schedule.doctor, slots[0])
    return best
