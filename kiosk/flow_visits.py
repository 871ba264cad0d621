"""The patient's menu after identification: booking by referral and their own appointments
(see them, print a ticket again, cancel, move, confirm arrival on the day)."""

from __future__ import annotations

import logging

from kiosk.domain import Appointment, Doctor, Referral, Specialty
from kiosk.flow_base import Done, FlowBase, PrintOutcome, Step
from kiosk.i18n import N_

log = logging.getLogger("kiosk.flow")

CANCELLED = N_("The appointment is cancelled. The time is free for other patients.")
NO_REFERRALS = N_("You have no referrals that can be used for booking now.")
NO_VISITS = N_("You have no upcoming appointments.")
SHOW_TICKET = N_("Show this ticket at the cabinet: it confirms your visit.")


class VisitsFlow(FlowBase):
    # -- the menu ----------------------------------------------------------------------------------

    def open_booking(self) -> None:
        """«Записаться к врачу»: the specialties the patient may book (read at identification)."""
        self._go(Step.SPECIALTY)
        self._changed()

    def open_referrals(self) -> None:
        """«По направлению»: the patient's referrals that can be booked today."""
        patient = self._need_patient()

        def done(referrals: list[Referral]) -> None:
            today = self.clock.today()
            self.state.referrals = [r for r in referrals if r.is_valid_on(today) and r.active_appointments == 0]
            self.state.notice = None if self.state.referrals else NO_REFERRALS
            self.state.step = Step.REFERRALS

        self._go(Step.MENU)
        self._run(lambda: self._registry.referrals(patient.key), done)

    def choose_referral(self, referral_id: int) -> None:
        patient = self._need_patient()
        referral = next(r for r in self.state.referrals if r.referral_id == referral_id)

        def done(doctors: list[Doctor]) -> None:
            self._show_doctors(doctors, Specialty(referral.target_id, referral.target_name), Step.REFERRALS)

        self._run(lambda: self._registry.doctors_by_referral(patient.key, referral_id), done)

    def open_visits(self) -> None:
        """«Мои записи»: upcoming appointments, earliest first."""
        patient = self._need_patient()
        self._go(Step.MENU)
        self._run(lambda: self._registry.appointments(patient.key), self._show_visits)

    def _show_visits(self, visits: list[Appointment]) -> None:
        self.state.visits = sorted(visits, key=lambda a: a.start)
        self.state.notice = self.state.notice or (None if visits else NO_VISITS)
        self.state.cancel_asked = None
        self.state.step = Step.VISITS

    def _show_doctors(self, doctors: list[Doctor], specialty: Specialty, origin: Step) -> None:
        self.state.doctors = doctors
        self.state.specialty = specialty
        self.state.doctors_from = origin
        self.state.step = Step.DOCTOR

    def _visit(self, appointment_id: int) -> Appointment:
        return next(a for a in self.state.visits if a.appointment_id == appointment_id)

    # -- one appointment ---------------------------------------------------------------------------

    def reprint(self, appointment_id: int) -> None:
        """The ticket of an appointment, again."""
        patient, visit = self._need_patient(), self._visit(appointment_id)
        self._run(lambda: self._tickets.print_for(visit, patient), lambda outcome: self._finish(visit, outcome,
                                                                                            Done.REPRINT))

    def ask_cancel(self, appointment_id: int) -> None:
        """First tap on «Отменить»: the screen asks again before anything is sent."""
        self.state.cancel_asked = self._visit(appointment_id)
        self.state.notice = None
        self._changed()

    def keep_appointment(self) -> None:
        self.state.cancel_asked = None
        self._changed()

    def cancel_confirmed(self) -> None:
        patient, visit = self._need_patient(), self.state.cancel_asked
        if visit is None:
            return

        def work() -> list[Appointment]:
            self._registry.cancel(patient.key, visit.appointment_id)
            return self._registry.appointments(patient.key)

        def done(visits: list[Appointment]) -> None:
            log.info("appointment %s cancelled", visit.appointment_id)
            self.state.notice = CANCELLED
            self._show_visits(visits)

        self._run(work, done)

    def move(self, appointment_id: int) -> None:
        """«Перенести»: doctors and rooms the registry allows for moving this appointment."""
        patient, visit = self._need_patient(), self._visit(appointment_id)

        def done(doctors: list[Doctor]) -> None:
            self._show_doctors(doctors, Specialty(visit.specialty_id or "", visit.specialty_name), Step.VISITS)

        self._run(lambda: self._registry.doctors_for_reschedule(patient.key, visit), done)

    def check_in(self, appointment_id: int) -> None:
        """«Я пришёл» on the day: the registry confirms the arrival where it can; the ticket is printed."""
        patient, visit = self._need_patient(), self._visit(appointment_id)

        def work() -> tuple[bool, PrintOutcome]:
            confirmed = self._registry.supports_check_in()
            if confirmed:
                self._registry.check_in(patient.key, appointment_id)
                log.info("arrival confirmed for appointment %s", appointment_id)
            return confirmed, self._tickets.print_for(visit, patient)

        def done(result: tuple[bool, PrintOutcome]) -> None:
            confirmed, outcome = result
            self._finish(visit, outcome, Done.CHECKED_IN if confirmed else Done.REPRINT)
            if not confirmed:
                self.state.notice = SHOW_TICKET

        self._run(work, done)

    def _finish(self, appointment: Appointment, outcome: PrintOutcome, kind: Done) -> None:
        self.state.appointment = appointment
        self.state.booking = None
        self.state.ticket = outcome
        self.state.done = kind
        self.state.step = Step.DONE
