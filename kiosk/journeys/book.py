"""Booking a visit: specialty → doctor → day and time → confirm, or the nearest free time in one tap.

Other journeys hand their own doctor lists over (by referral; for moving an
appointment, whose doctors carry ``shift_appointment_id``): the booking then starts
at the doctor list, and «Назад» from there returns to the journey that listed them.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import ClassVar

from kiosk.domain import Appointment, Booking, DaySchedule, Doctor, Patient, Schedule, Slot, Specialty
from kiosk.errors import AppointmentExists, BookingOutcomeUnknown, KioskError, SlotTaken
from kiosk.i18n import N_
from kiosk.registry.nearest import nearest_free_slot
from kiosk.registry.port import RegistryPort
from kiosk.session.journey import DoctorChoice, Done, Journey, Receipt, intent
from kiosk.tickets.outcome import PrintOutcome

log = logging.getLogger("kiosk.journeys.book")

DUTY_DOCTOR_REASON = N_("Visit to the duty doctor today")
NO_FREE_TIME_REASON = N_("No free time with the specialist")
NO_FREE_TIME = N_("There is no free time with this specialist now. Please try again tomorrow morning.")


class BookStep(StrEnum):
    SPECIALTY = "specialty"
    DOCTOR = "doctor"
    SLOT = "slot"
    CONFIRM = "confirm"


#: origin of a doctor list opened from the specialty list
FROM_SPECIALTIES = "book"


@dataclass(frozen=True)
class BookState:
    step: BookStep = BookStep.SPECIALTY
    specialties: tuple[Specialty, ...] = ()
    specialty: Specialty | None = None
    doctors: tuple[Doctor, ...] = ()
    #: the journey the doctors were listed by («Назад» from the doctor list goes there)
    origin: str = FROM_SPECIALTIES
    doctor: Doctor | None = None
    schedule: Schedule | None = None
    day: DaySchedule | None = None
    slot: Slot | None = None
    #: the patient's appointment with this specialist that blocked the booking (offered to move it)
    existing: Appointment | None = None
    #: the appointment being moved (listed by «Перенести»): its time is shown beside the new one
    moving: Appointment | None = None
    #: the registry keeps a waiting list (asked when a specialty's doctors have no free time)
    waiting_list: bool = False

    @property
    def by_specialty(self) -> bool:
        return self.origin == FROM_SPECIALTIES


class BookJourney(Journey[BookStep, BookState]):
    name = "book"
    moves: ClassVar[Mapping[BookStep, frozenset[BookStep]]] = {
        BookStep.SPECIALTY: frozenset({BookStep.DOCTOR}),
        BookStep.DOCTOR: frozenset({BookStep.SPECIALTY, BookStep.SLOT, BookStep.CONFIRM}),
        BookStep.SLOT: frozenset({BookStep.DOCTOR, BookStep.CONFIRM, BookStep.SLOT}),
        BookStep.CONFIRM: frozenset({BookStep.SLOT}),
    }
    entries: ClassVar[frozenset[BookStep]] = frozenset({BookStep.SPECIALTY, BookStep.DOCTOR})

    def initial(self) -> BookState:
        return BookState()

    # -- opening -----------------------------------------------------------------------------------

    def open(self, specialties: list[Specialty]) -> None:
        """«Записаться к врачу»: the specialties the patient may book (read at identification)."""
        self._enter(BookState(specialties=tuple(specialties)))

    def open_doctors(self, choice: DoctorChoice, specialties: list[Specialty]) -> None:
        """Doctors listed by another journey (referral, moving an appointment)."""
        self._enter(BookState(step=BookStep.DOCTOR, specialties=tuple(specialties), specialty=choice.specialty,
                              doctors=choice.doctors, origin=choice.origin, moving=choice.moving))
        self._offer_desk_without_free_time()

    def _offer_desk_without_free_time(self) -> None:
        """No doctor of the list has free time: the registry desk's queue ticket on that screen."""
        if not any(d.bookable for d in self.state.doctors):
            self.host.offer_walk_in(NO_FREE_TIME_REASON)

    # -- the choices ---------------------------------------------------------------------------------

    @intent(BookStep.SPECIALTY)
    def choose_specialty(self, code: str, doctor: int | None = None) -> None:
        """The doctors of a specialty; with ``doctor`` (chosen on the schedules without identification),
        that doctor's days at once when the patient may book them."""
        patient = self._need_patient()
        specialty = next(s for s in self.state.specialties if s.code == code)
        registry = self.host.registry

        def work() -> tuple[list[Doctor], bool]:
            doctors = registry.doctors(patient.key, code)
            return doctors, not any(d.bookable for d in doctors) and _keeps_waiting_list(registry)

        def done(found: tuple[list[Doctor], bool]) -> None:
            doctors, waiting_list = found
            self._move(BookStep.DOCTOR, specialty=specialty, doctors=tuple(doctors), origin=FROM_SPECIALTIES,
                       waiting_list=waiting_list)
            self._offer_desk_without_free_time()
            if doctor is not None and any(d.resource_id == doctor and d.bookable for d in doctors):
                self.choose_doctor(doctor)

        self.host.run(work, done)

    @intent(BookStep.DOCTOR)
    def choose_doctor(self, resource_id: int) -> None:
        patient = self._need_patient()
        doctor = next(d for d in self.state.doctors if d.resource_id == resource_id)
        self.host.run(lambda: self.host.registry.schedule(patient.key, doctor),
                      lambda schedule: self._show_schedule(doctor, schedule))

    def _show_schedule(self, doctor: Doctor, schedule: Schedule, day: date | None = None) -> None:
        first = schedule.days[0] if schedule.days else None
        shown = next((d for d in schedule.days if d.day == day), first) if day else first
        self._move(BookStep.SLOT, doctor=doctor, schedule=schedule, day=shown, slot=None)
        if not schedule.days:
            self.host.offer_walk_in(NO_FREE_TIME_REASON)

    def offers_duty_doctor(self) -> bool:
        """No doctor of a therapeutic specialty has free time: the duty doctor's queue ticket is offered."""
        specialty = self.state.specialty
        return (self.step is BookStep.DOCTOR and specialty is not None and specialty.therapeutic
                and not any(d.bookable for d in self.state.doctors))

    @intent(BookStep.DOCTOR)
    def duty_doctor_ticket(self) -> None:
        """«Талон к дежурному врачу»: a queue ticket to the desk, which sends the patient to the duty doctor."""
        if self.offers_duty_doctor():
            self.host.take_walk_in(DUTY_DOCTOR_REASON)

    def offers_waiting_list(self) -> bool:
        """No doctor of the specialty has free time and the registry keeps a waiting list: «Лист ожидания»."""
        return (self.step is BookStep.DOCTOR and self.state.by_specialty and self.state.specialty is not None
                and self.state.waiting_list and not any(d.bookable for d in self.state.doctors))

    @intent(BookStep.DOCTOR)
    def join_waiting_list(self) -> None:
        """«Лист ожидания»: the reason and the phone, and the registry calls back."""
        specialty = self.state.specialty
        if self.offers_waiting_list() and specialty is not None:
            self.host.join_waiting_list(specialty, NO_FREE_TIME_REASON)

    @intent(BookStep.DOCTOR)
    def choose_nearest(self) -> None:
        """One tap: the earliest free time with any doctor of the specialty, straight to confirmation."""
        patient, specialty = self._need_patient(), self.state.specialty
        if specialty is None or not self.state.by_specialty:
            return
        registry = self.host.registry

        def work() -> tuple[Schedule, Slot] | None:
            found = nearest_free_slot(registry, patient.key, specialty.code)
            if found is None:
                return None
            doctor, slot = found
            return registry.schedule(patient.key, doctor), slot

        def done(found: tuple[Schedule, Slot] | None) -> None:
            if found is None:
                self.host.fail(NO_FREE_TIME)
                self.host.offer_walk_in(NO_FREE_TIME_REASON)
                return
            schedule, slot = found
            # «Назад» from the confirmation shows this doctor's days, at the day of the slot
            self._show_schedule(schedule.doctor, schedule, slot.start.date())
            self._move(BookStep.CONFIRM, slot=slot, existing=None)

        self.host.run(work, done)

    @intent(BookStep.SLOT)
    def choose_day(self, day: date) -> None:
        schedule = self.state.schedule
        if schedule is not None:
            self._update(day=next((d for d in schedule.days if d.day == day), None))
            self.host.changed()

    @intent(BookStep.SLOT)
    def choose_slot(self, slot: Slot) -> None:
        self._move(BookStep.CONFIRM, slot=slot, existing=None)
        self.host.clear_error()
        self.host.changed()

    # -- booking -----------------------------------------------------------------------------------

    @intent(BookStep.CONFIRM)
    def confirm(self) -> None:
        """Book the chosen slot (or move the appointment the doctors were listed for), then print."""
        patient, doctor, slot = self._need_patient(), self.state.doctor, self.state.slot
        assert doctor is not None and slot is not None
        registry = self.host.registry
        moving = doctor.shift_appointment_id
        if moving is not None:
            self._book(lambda: registry.reschedule(patient.key, moving, doctor, slot), Done.MOVED)
        else:
            self._book(lambda: registry.book(patient.key, doctor, slot), Done.BOOKED)

    @intent(BookStep.CONFIRM)
    def move_existing(self) -> None:
        """The patient agreed to move the appointment that blocked the booking to the chosen time."""
        patient, doctor, slot, existing = self._need_patient(), self.state.doctor, self.state.slot, self.state.existing
        if doctor is None or slot is None or existing is None:
            return
        registry = self.host.registry
        self._book(lambda: registry.reschedule(patient.key, existing.appointment_id, doctor, slot), Done.MOVED)

    def _book(self, make_booking: Callable[[], Booking], kind: Done) -> None:
        patient, doctor, slot = self._need_patient(), self.state.doctor, self.state.slot
        assert doctor is not None and slot is not None
        host = self.host

        def work() -> tuple[Booking, Appointment, PrintOutcome]:
            booking = make_booking()
            appointment = self._registry_record(patient, booking) or as_booked(booking, doctor, slot)
            if not appointment.doctor_name:
                appointment = dataclasses.replace(appointment, doctor_name=doctor.name)
            return booking, appointment, host.tickets.print_for(appointment, patient)

        def done(result: tuple[Booking, Appointment, PrintOutcome]) -> None:
            booking, appointment, ticket = result
            log.info("%s appointment %s", kind.value, booking.appointment_id)
            host.finish(Receipt(kind, ticket=ticket, appointment=appointment, booking=booking))

        def failed(error: BaseException) -> None:
            if isinstance(error, SlotTaken):  # someone was faster: a fresh day, with the message kept
                self._move(BookStep.SLOT, slot=None)
                host.run(lambda: host.registry.schedule(patient.key, doctor),
                         lambda schedule: self._fresh_schedule(schedule), keep_error=True)
            elif isinstance(error, AppointmentExists):
                host.run(lambda: host.registry.appointments(patient.key), self._show_existing, keep_error=True)

        host.run(work, done, on_error=failed, write=BookingOutcomeUnknown.patient_message)

    def _fresh_schedule(self, schedule: Schedule) -> None:
        self._move(BookStep.SLOT, schedule=schedule, day=schedule.days[0] if schedule.days else None, slot=None)

    def _registry_record(self, patient: Patient, booking: Booking) -> Appointment | None:
        """The registry's own record of a booking just made (its clinic, address and room are the ticket's),
        or None when it cannot be read now: the booking stands all the same."""
        try:
            listed = self.host.registry.appointments(patient.key)
        except KioskError as error:
            log.warning("booked %s, but its record could not be read: %s", booking.appointment_id, error)
            return None
        return next((a for a in listed if a.appointment_id == booking.appointment_id), None)

    def _show_existing(self, listed: list[Appointment]) -> None:
        """Find the appointment that blocked the booking, so the confirm screen can offer to move it."""
        doctor, specialty = self.state.doctor, self.state.specialty
        codes = {c for c in (specialty.code if specialty else None, doctor.specialty_id if doctor else None) if c}
        names = {n for n in (specialty.name if specialty else None, doctor.specialty_name if doctor else None) if n}
        existing = next((a for a in listed if a.specialty_id in codes), None) or next(
            (a for a in listed if a.specialty_name in names), None)
        self._update(existing=existing)

    # -- «Назад» -----------------------------------------------------------------------------------

    @intent(BookStep.SPECIALTY, BookStep.DOCTOR, BookStep.SLOT, BookStep.CONFIRM)
    def back(self) -> None:
        step = self.step
        if step is BookStep.SPECIALTY:
            self.host.leave()
        elif step is BookStep.DOCTOR:
            if self.state.by_specialty:
                self._move(BookStep.SPECIALTY, doctors=(), specialty=None)
            else:
                self.host.leave(self.state.origin)
        elif step is BookStep.SLOT:
            self._move(BookStep.DOCTOR, schedule=None, day=None, slot=None)
        else:
            self._move(BookStep.SLOT, slot=None, existing=None)


def _keeps_waiting_list(registry: RegistryPort) -> bool:
    """Whether the registry keeps a waiting list; not knowing (it is unreachable) counts as no."""
    try:
        return registry.supports_waiting_list()
    except KioskError as error:
        log.info("waiting list not offered: %s", error)
        return False


def as_booked(booking: Booking, doctor: Doctor, slot: Slot) -> Appointment:
    """The appointment as the booking screens knew it (protocol notes §4.5: the room's values)."""
    room = next((r for r in doctor.rooms if r.complex_resource_id == slot.complex_resource_id),
                doctor.rooms[0] if doctor.rooms else None)
    return Appointment(
        appointment_id=booking.appointment_id, kind="LDP" if doctor.kind == "diagnostic" else "RECEPTION",
        start=slot.start, end=slot.end, clinic=room.lpu_short_name if room else "",
        address=room.address if room else "", room=slot.cabinet, specialty_id=doctor.specialty_id,
        specialty_name=doctor.specialty_name, doctor_name=doctor.name, referral_id=doctor.referral_id,
    )
