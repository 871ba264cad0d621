"""«Расписание врачей» without identification: specialty → doctors (with cabinet) → a doctor's working
hours for the next days with the free slots of each; «Записаться к этому врачу» hands over to booking,
which asks who the patient is and continues at that doctor."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from kiosk.domain import PublicDoctor, Specialty, WorkingDay
from kiosk.i18n import N_
from kiosk.session.journey import Journey, intent

#: how far ahead the working hours are shown
DAYS_AHEAD = 14

NO_DOCTORS = N_("This specialty has no doctors here.")


class ScheduleStep(StrEnum):
    SPECIALTY = "schedule_specialty"
    DOCTOR = "schedule_doctor"
    HOURS = "schedule_hours"


@dataclass(frozen=True)
class ScheduleState:
    step: ScheduleStep = ScheduleStep.SPECIALTY
    specialties: tuple[Specialty, ...] = ()
    specialty: Specialty | None = None
    doctors: tuple[PublicDoctor, ...] = ()
    doctor: PublicDoctor | None = None
    days: tuple[WorkingDay, ...] = ()


class SchedulesJourney(Journey[ScheduleStep, ScheduleState]):
    name = "schedules"
    moves: ClassVar[Mapping[ScheduleStep, frozenset[ScheduleStep]]] = {
        ScheduleStep.SPECIALTY: frozenset({ScheduleStep.DOCTOR}),
        ScheduleStep.DOCTOR: frozenset({ScheduleStep.SPECIALTY, ScheduleStep.HOURS}),
        ScheduleStep.HOURS: frozenset({ScheduleStep.DOCTOR}),
    }
    entries: ClassVar[frozenset[ScheduleStep]] = frozenset({ScheduleStep.SPECIALTY})

    def initial(self) -> ScheduleState:
        return ScheduleState()

    def load(self) -> None:
        """«Расписание врачей»: the specialties; the list opens when they are read."""
        host = self.host

        def done(specialties: list[Specialty]) -> None:
            self._enter(ScheduleState(specialties=tuple(specialties)))
            host.activate(self)

        host.run(host.registry.public_specialties, done)

    @intent(ScheduleStep.SPECIALTY)
    def choose_specialty(self, code: str) -> None:
        specialty = next((s for s in self.state.specialties if s.code == code), None)
        if specialty is None:
            return
        host = self.host

        def done(doctors: list[PublicDoctor]) -> None:
            self._move(ScheduleStep.DOCTOR, specialty=specialty, doctors=tuple(doctors))
            if not doctors:
                host.fail(NO_DOCTORS)

        host.run(lambda: host.registry.public_doctors(code), done)

    @intent(ScheduleStep.DOCTOR)
    def choose_doctor(self, resource_id: int) -> None:
        doctor = next((d for d in self.state.doctors if d.resource_id == resource_id), None)
        if doctor is None:
            return
        host = self.host
        host.run(lambda: host.registry.working_hours(resource_id, DAYS_AHEAD),
                 lambda days: self._move(ScheduleStep.HOURS, doctor=doctor, days=tuple(days)))

    @intent(ScheduleStep.HOURS)
    def book_this_doctor(self) -> None:
        """«Записаться к этому врачу»: booking asks who the patient is and continues at this doctor."""
        doctor, specialty = self.state.doctor, self.state.specialty
        if doctor is not None and specialty is not None:
            self.host.book_doctor(specialty, doctor.resource_id)

    @intent(ScheduleStep.SPECIALTY, ScheduleStep.DOCTOR, ScheduleStep.HOURS)
    def back(self) -> None:
        if self.step is ScheduleStep.HOURS:
            self._move(ScheduleStep.DOCTOR, doctor=None, days=())
        elif self.step is ScheduleStep.DOCTOR:
            self._move(ScheduleStep.SPECIALTY, specialty=None, doctors=())
        else:
            self.host.leave()
