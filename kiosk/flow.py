"""The patient's way through the kiosk: identification and booking (DESIGN §5).

Screens are views of :class:`FlowState`: they call the intent methods of
:class:`BookingFlow` and redraw when it notifies them. Registry calls run through
:class:`kiosk.jobs.Jobs`, never on the caller's thread. Everything personal lives
only in the state object and is dropped by :meth:`BookingFlow.reset`.

The state and the machinery are in :mod:`kiosk.flow_base`; the menu's other
branches (referrals, the patient's appointments) in :mod:`kiosk.flow_visits`.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from datetime import date

from kiosk.domain import Appointment, Booking, Doctor, Patient, PatientKey, Schedule, Slot, Specialty
from kiosk.errors import (
    AppointmentExists,
    AttachedElsewhere,
    KioskError,
    NotAttached,
    OtherRegionPolicy,
    SlotTaken,
)
from kiosk.flow_base import (
    BACK,
    GENERIC_ERROR,
    Done,
    FlowState,
    PrintOutcome,
    Step,
    Tickets,
)
from kiosk.flow_visits import VisitsFlow
from kiosk.i18n import N_
from kiosk.registry.nearest import nearest_free_slot

__all__ = ["BACK", "GENERIC_ERROR", "BookingFlow", "Done", "FlowState", "PrintOutcome", "Step", "Tickets"]

log = logging.getLogger("kiosk.flow")

NO_FREE_TIME = N_("There is no free time with this specialist now. Please try again tomorrow morning.")


class BookingFlow(VisitsFlow):
    # -- identification ----------------------------------------------------------------------------

    def start(self) -> None:
        """The patient touched the start screen."""
        self.reset()
        self.state.step = Step.IDENTIFY
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
            self.state.step = Step.MENU
            log.info("patient identified: %s", key)

        self._run(work, done)

    def _why_not_attached(self, patient: Patient) -> NotAttached:
        """NO_ATTACHMENT says too little: attached elsewhere, a policy of another region, or neither."""
        if patient.attachments:
            return AttachedElsewhere(patient.attachments[0].name)
        if not patient.key.policy.startswith(self._home_region):
            return OtherRegionPolicy()
        return NotAttached()

    def walk_in(self) -> None:
        """The patient takes a queue ticket to the registry desk (offered after an error it can solve)."""
        reason = self.state.walk_in_reason
        if reason is None:
            return

        def done(outcome: PrintOutcome) -> None:
            self.state.ticket = outcome
            self.state.walk_in_number = outcome.queue_number
            self.state.done = Done.WALK_IN
            self.state.step = Step.DONE

        self._run(lambda: self._tickets.print_walk_in(reason), done)

    # -- the policy card ---------------------------------------------------------------------------

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

    # -- booking -----------------------------------------------------------------------------------

    def choose_specialty(self, code: str) -> None:
        patient = self._need_patient()
        specialty = next(s for s in self.state.specialties if s.code == code)
        self._run(lambda: self._registry.doctors(patient.key, code),
                  lambda doctors: self._show_doctors(doctors, specialty, Step.SPECIALTY))

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
            self.choose_slot(slot)

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
        """Book the chosen slot (or move the appointment the doctors were listed for), then print."""
        patient, doctor, slot = self._need_patient(), self.state.doctor, self.state.slot
        if doctor is None or slot is None:
            return
        moving = doctor.shift_appointment_id
        if moving is not None:
            self._book(lambda: self._registry.reschedule(patient.key, moving, doctor, slot), Done.MOVED)
        else:
            self._book(lambda: self._registry.book(patient.key, doctor, slot), Done.BOOKED)

    def move_existing(self) -> None:
        """The patient agreed to move the appointment that blocked the booking to the chosen time."""
        patient, doctor, slot, existing = self._need_patient(), self.state.doctor, self.state.slot, self.state.existing
        if doctor is None or slot is None or existing is None:
            return
        self._book(lambda: self._registry.reschedule(patient.key, existing.appointment_id, doctor, slot), Done.MOVED)

    def _book(self, make_booking: Callable[[], Booking], kind: Done) -> None:
        patient, doctor, slot = self._need_patient(), self.state.doctor, self.state.slot
        assert doctor is not None and slot is not None

        def work() -> tuple[Booking, Appointment | None, PrintOutcome | None]:
            booking = make_booking()
            appointment = self._registry_record(patient, booking) or _as_booked(booking, doctor, slot)
            if not appointment.doctor_name:
                appointment = dataclasses.replace(appointment, doctor_name=doctor.name)
            return booking, appointment, self._tickets.print_for(appointment, patient)

        def done(result: tuple[Booking, Appointment | None, PrintOutcome | None]) -> None:
            self.state.booking, self.state.appointment, self.state.ticket = result
            self.state.done = kind
            self.state.step = Step.DONE
            log.info("%s appointment %s", kind.value, result[0].appointment_id)

        def failed(error: BaseException) -> None:
            if isinstance(error, SlotTaken):
                self.state.slot = None
                self.state.step = Step.SLOT
                self._run(lambda: self._registry.schedule(patient.key, doctor), self._show_schedule,
                          keep_error=True)
            elif isinstance(error, AppointmentExists):
                self._run(lambda: self._registry.appointments(patient.key), self._show_existing, keep_error=True)

        self._run(work, done, on_business_error=failed)

    def _registry_record(self, patient: Patient, booking: Booking) -> Appointment | None:
        """The registry's own record of a booking just made (its clinic, address and room are the ticket's),
        or None when it cannot be read now: the booking stands all the same."""
        try:
            listed = self._registry.appointments(patient.key)
        except KioskError as error:
            log.warning("booked %s, but its record could not be read: %s", booking.appointment_id, error)
            return None
        return next((a for a in listed if a.appointment_id == booking.appointment_id), None)

    def _show_existing(self, listed: list[Appointment]) -> None:
        """Find the appointment that blocked the booking, so the confirm screen can offer to move it."""
        doctor, specialty = self.state.doctor, self.state.specialty
        codes = {c for c in (specialty.code if specialty else None, doctor.specialty_id if doctor else None) if c}
        names = {n for n in (specialty.name if specialty else None, doctor.specialty_name if doctor else None) if n}
        self.state.existing = next((a for a in listed if a.specialty_id in codes), None) or next(
            (a for a in listed if a.specialty_name in names), None)


def _as_booked(booking: Booking, doctor: Doctor, slot: Slot) -> Appointment:
    """The appointment as the booking screens knew it (protocol notes §4.5: the room's values)."""
    room = next((r for r in doctor.rooms if r.complex_resource_id == slot.complex_resource_id),
                doctor.rooms[0] if doctor.rooms else None)
    return Appointment(
        appointment_id=booking.appointment_id, kind="LDP" if doctor.kind == "diagnostic" else "RECEPTION",
        start=slot.start, end=slot.end, clinic=room.lpu_short_name if room else "",
        address=room.address if room else "", room=slot.cabinet, specialty_id=doctor.specialty_id,
        specialty_name=doctor.specialty_name, doctor_name=doctor.name, referral_id=doctor.referral_id,
    )
