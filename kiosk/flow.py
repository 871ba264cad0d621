"""The patient's way through the kiosk: a pure-Python state machine (DESIGN §5).

Screens are views of :class:`FlowState`: they call the intent methods of
:class:`BookingFlow` and redraw when it notifies them. Registry calls run through
:class:`kiosk.jobs.Jobs`, never on the caller's thread. Everything personal lives
only in the state object and is dropped by :meth:`BookingFlow.reset`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from kiosk.domain import (
    Appointment,
    Booking,
    DaySchedule,
    Doctor,
    Patient,
    PatientKey,
    Schedule,
    Slot,
    Specialty,
)
from kiosk.errors import (
    AppointmentExists,
    AttachedElsewhere,
    KioskError,
    NotAttached,
    OtherRegionPolicy,
    PatientNotFound,
    RegistryUnavailable,
    SlotTaken,
)
from kiosk.i18n import N_
from kiosk.jobs import Jobs
from kiosk.registry.nearest import nearest_free_slot
from kiosk.registry.port import RegistryPort

log = logging.getLogger(__name__)

GENERIC_ERROR = N_("Something went wrong. Please try again or ask at the registry desk.")
NO_FREE_TIME = N_("There is no free time with this specialist now. Please try again tomorrow morning.")


class Step(StrEnum):
    WELCOME = "welcome"
    IDENTIFY = "identify"
    SPECIALTY = "specialty"
    DOCTOR = "doctor"
    SLOT = "slot"
    CONFIRM = "confirm"
    DONE = "done"


#: where "Назад" leads from each step
BACK: dict[Step, Step] = {
    Step.IDENTIFY: Step.WELCOME,
    Step.SPECIALTY: Step.IDENTIFY,
    Step.DOCTOR: Step.SPECIALTY,
    Step.SLOT: Step.DOCTOR,
    Step.CONFIRM: Step.SLOT,
}


@dataclass(frozen=True)
class PrintOutcome:
    """What became of the ticket: printed, or shown on screen instead (``message`` says why)."""

    printed: bool
    image: Path | None
    message: str | None = None
    queue_number: str | None = None  # walk-in tickets


class Tickets(Protocol):
    """What the flow needs from the ticket desk (kiosk.ticket_desk.TicketDesk)."""

    def print_for(self, appointment: Appointment, patient: Patient) -> PrintOutcome: ...

    def print_walk_in(self, reason: str) -> PrintOutcome: ...


#: errors the registry desk can sort out in person: the patient is offered a queue ticket to it,
#: with the reason printed on the ticket
WALK_IN_REASONS: tuple[tuple[type[KioskError], str], ...] = (
    (PatientNotFound, N_("Check of the policy data")),
    (NotAttached, N_("Booking without attachment to this polyclinic")),
    (RegistryUnavailable, N_("Booking while the electronic registry is unavailable")),
)


@dataclass
class FlowState:
    step: Step = Step.WELCOME
    busy: bool = False
    error: str | None = None
    #: values for the %(name)s placeholders of ``error``
    error_params: dict[str, str] = field(default_factory=dict)
    patient: Patient | None = None
    specialties: list[Specialty] = field(default_factory=list)
    specialty: Specialty | None = None
    doctors: list[Doctor] = field(default_factory=list)
    doctor: Doctor | None = None
    schedule: Schedule | None = None
    day: DaySchedule | None = None
    slot: Slot | None = None
    booking: Booking | None = None
    appointment: Appointment | None = None
    ticket: PrintOutcome | None = None
    #: the session began with a policy card: taking the card out ends it
    by_card: bool = False
    #: the patient's appointment with the chosen specialist that blocks a new booking (offer to move it)
    existing: Appointment | None = None
    #: msgid of the reason for a queue ticket to the registry desk, when one is offered
    walk_in_reason: str | None = None
    #: the queue number given, once the walk-in ticket is made
    walk_in_number: str | None = None


class BookingFlow:
    def __init__(self, registry: RegistryPort, jobs: Jobs, tickets: Tickets,
                 home_region: str = "77") -> None:
        self._registry = registry
        self._home_region = home_region
        self._jobs = jobs
        self._tickets = tickets
        self._listeners: list[Callable[[FlowState], None]] = []
        self.state = FlowState()

    # -- observers -------------------------------------------------------------------------------

    def subscribe(self, listener: Callable[[FlowState], None]) -> None:
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in self._listeners:
            listener(self.state)

    # -- intents ---------------------------------------------------------------------------------

    def start(self) -> None:
        """The patient touched the start screen."""
        self.reset()
        self.state.step = Step.IDENTIFY
        self._changed()

    def reset(self) -> None:
        """Forget the patient and everything chosen; back to the start screen."""
        self._jobs.invalidate()
        self.state = FlowState()
        self._changed()

    def back(self) -> None:
        target = BACK.get(self.state.step)
        if target is None:
            return
        if target in (Step.WELCOME, Step.IDENTIFY):
            self.reset()
            self.state.step = target
        else:
            self._jobs.invalidate()
            self.state.busy = False
            self.state.error = None
            self.state.step = target
        self._changed()

    def walk_in(self) -> None:
        """The patient takes a queue ticket to the registry desk (offered after an error it can solve)."""
        reason = self.state.walk_in_reason
        if reason is None:
            return

        def done(outcome: PrintOutcome) -> None:
            self.state.ticket = outcome
            self.state.walk_in_number = outcome.queue_number
            self.state.step = Step.DONE

        self._run(lambda: self._tickets.print_walk_in(reason), done)

    def card_inserted(self, policy: str, birth_date: date) -> None:
        """A policy card was read: whoever was here before, a new session starts for its owner."""
        self.reset()
        self.state.step = Step.IDENTIFY
        self.state.by_card = True
        self.submit_identity(policy, birth_date)

    def card_removed(self) -> None:
        """The card left the reader: a session that began with it ends at once."""
        if self.state.by_card:
            log.info("card removed; the session ends")
            self.reset()

    def card_unreadable(self, message: str) -> None:
        """The card could not be used: say why and offer typing the number instead."""
        self.reset()
        self.state.step = Step.IDENTIFY
        self.state.error = message
        self._changed()

    def submit_identity(self, policy: str, birth_date: date) -> None:
        """Typed (or card-read) policy number and birth date, already validated for form."""
        key = PatientKey(policy=policy, birth_date=birth_date)

        def work() -> tuple[Patient, list[Specialty]]:
            patient = self._registry.identify(key)
            try:
                return patient, self._registry.specialties(key)
            except NotAttached as error:
                raise self._why_not_attached(patient) from error

        def done(result: tuple[Patient, list[Specialty]]) -> None:
            self.state.patient, self.state.specialties = result
            self.state.step = Step.SPECIALTY
            log.info("patient identified: %s", key)

        self._run(work, done)

    def choose_specialty(self, code: str) -> None:
        patient = self._need_patient()
        specialty = next(s for s in self.state.specialties if s.code == code)

        def done(doctors: list[Doctor]) -> None:
            self.state.specialty = specialty
            self.state.doctors = doctors
            self.state.step = Step.DOCTOR

        self._run(lambda: self._registry.doctors(patient.key, code), done)

    def choose_doctor(self, resource_id: int) -> None:
        patient = self._need_patient()
        doctor = next(d for d in self.state.doctors if d.resource_id == resource_id)

        def done(schedule: Schedule) -> None:
            self.state.doctor = doctor
            self._show_schedule(schedule)

        self._run(lambda: self._registry.schedule(patient.key, doctor), done)

    def choose_nearest(self) -> None:
        """One tap: the earliest free time with any doctor of the chosen specialty, straight to confirmation."""
        patient, specialty = self._need_patient(), self.state.specialty
        if specialty is None:
            return

        def work() -> tuple[Schedule, Slot] | None:
            found = nearest_free_slot(self._registry, patient.key, specialty.code)
            if found is None:
                return None
            doctor, slot = found
            return self._registry.schedule(patient.key, doctor), slot

        def done(found: tuple[Schedule, Slot] | None) -> None:
            if found is None:
                self.state.error = NO_FREE_TIME
                return
            schedule, slot = found
            self.state.doctor = schedule.doctor
            self._show_schedule(schedule)  # «Назад» from the confirmation shows this doctor's days
            self.state.day = next((d for d in schedule.days if d.day == slot.start.date()), self.state.day)
            self.state.slot = slot
            self.state.existing = None
            self.state.step = Step.CONFIRM

        self._run(work, done)

    def choose_day(self, day: date) -> None:
        schedule = self.state.schedule
        if schedule is None:
            return
        self.state.day = next((d for d in schedule.days if d.day == day), None)
        self._changed()

    def choose_slot(self, slot: Slot) -> None:
        self.state.slot = slot
        self.state.error = None
        self.state.existing = None
        self.state.step = Step.CONFIRM
        self._changed()

    def confirm(self) -> None:
        """Book the chosen slot, then fetch the registry's own record of it and print the ticket."""
        patient, doctor, slot = self._need_patient(), self.state.doctor, self.state.slot
        if doctor is None or slot is None:
            return
        self._book(lambda: self._registry.book(patient.key, doctor, slot))

    def move_existing(self) -> None:
        """The patient agreed to move the appointment that blocked the booking to the chosen time."""
        patient, doctor, slot, existing = self._need_patient(), self.state.doctor, self.state.slot, self.state.existing
        if doctor is None or slot is None or existing is None:
            return
        self._book(lambda: self._registry.reschedule(patient.key, existing.appointment_id, doctor, slot))

    def _book(self, make_booking: Callable[[], Booking]) -> None:
        patient, doctor = self._need_patient(), self.state.doctor
        assert doctor is not None

        def work() -> tuple[Booking, Appointment | None, PrintOutcome | None]:
            booking = make_booking()
            listed = self._registry.appointments(patient.key)
            appointment = next((a for a in listed if a.appointment_id == booking.appointment_id), None)
            if appointment is None:
                return booking, None, None
            if not appointment.doctor_name:
                appointment = _with_doctor(appointment, doctor.name)
            return booking, appointment, self._tickets.print_for(appointment, patient)

        def done(result: tuple[Booking, Appointment | None, PrintOutcome | None]) -> None:
            self.state.booking, self.state.appointment, self.state.ticket = result
            self.state.step = Step.DONE
            log.info("booked appointment %s", result[0].appointment_id)

        def failed(error: BaseException) -> bool:
            if isinstance(error, SlotTaken):
                self.state.slot = None
                self.state.step = Step.SLOT
                self._run(lambda: self._registry.schedule(patient.key, doctor), self._show_schedule,
                          keep_error=True)
            elif isinstance(error, AppointmentExists):
                self._run(lambda: self._registry.appointments(patient.key), self._show_existing, keep_error=True)
            return False

        self._run(work, done, on_business_error=failed)

    # -- helpers ---------------------------------------------------------------------------------

    def _why_not_attached(self, patient: Patient) -> NotAttached:
        """NO_ATTACHMENT says too little: attached elsewhere, a policy of another region, or neither."""
        if patient.attachments:
            return AttachedElsewhere(patient.attachments[0].name)
        if not patient.key.policy.startswith(self._home_region):
            return OtherRegionPolicy()
        return NotAttached()

    def _show_existing(self, listed: list[Appointment]) -> None:
        """Find the appointment that blocked the booking, so the confirm screen can offer to move it."""
        doctor, specialty = self.state.doctor, self.state.specialty
        codes = {code for code in (specialty.code if specialty else None, doctor.specialty_id if doctor else None)
                 if code}
        names = {name for name in (specialty.name if specialty else None, doctor.specialty_name if doctor else None)
                 if name}
        self.state.existing = next((a for a in listed if a.specialty_id in codes), None) or next(
            (a for a in listed if a.specialty_name in names), None)

    def _show_schedule(self, schedule: Schedule) -> None:
        self.state.schedule = schedule
        self.state.day = schedule.days[0] if schedule.days else None
        self.state.slot = None
        self.state.step = Step.SLOT

    def _need_patient(self) -> Patient:
        if self.state.patient is None:
            raise RuntimeError("no patient in this session")
        return self.state.patient

    def _run(
        self,
        work: Callable[[], object],
        done: Callable[[object], None] | Callable[..., None],
        on_business_error: Callable[[BaseException], bool] | None = None,
        keep_error: bool = False,
    ) -> None:
        if self.state.busy:
            return  # one request at a time: repeated taps are ignored
        self.state.busy = True
        if not keep_error:
            self.state.error = None
            self.state.error_params = {}
            self.state.walk_in_reason = None
        self._changed()

        def ok(result: object) -> None:
            self.state.busy = False
            done(result)
            self._changed()

        def err(error: BaseException) -> None:
            self.state.busy = False
            if isinstance(error, KioskError):
                self.state.error = error.patient_message
                self.state.error_params = dict(error.patient_params)
                if self.state.step is Step.IDENTIFY:
                    self.state.walk_in_reason = next(
                        (reason for kind, reason in WALK_IN_REASONS if isinstance(error, kind)), None)
                log.warning("request failed: %s: %s", type(error).__name__, error)
            else:
                self.state.error = GENERIC_ERROR
                log.error("unexpected failure", exc_info=error)
            if on_business_error is not None:
                on_business_error(error)
            self._changed()

        self._jobs.submit(work, ok, err)


def _with_doctor(appointment: Appointment, doctor_name: str) -> Appointment:
    from dataclasses import replace

    return replace(appointment, doctor_name=doctor_name)
