"""The patient's upcoming appointments: the ticket again, cancel (asked twice), move, «Я пришёл» on the day."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from kiosk.domain import Appointment, Doctor, HomeVisit, PastVisit, PatientKey, Specialty, WaitingListEntry
from kiosk.errors import ActionQueued, KioskError
from kiosk.i18n import N_
from kiosk.scan_messages import CHECK_IN_QUEUED
from kiosk.session.journey import DoctorChoice, Done, Journey, Receipt, intent
from kiosk.tickets import messages as ticket_messages
from kiosk.tickets.outcome import PrintOutcome

log = logging.getLogger("kiosk.journeys.visits")

CANCELLED = N_("The appointment is cancelled. The time is free for other patients.")
CANCEL_QUEUED = N_("Your cancellation is accepted: it will be passed on to the registry as soon as the connection "
                   "is back. Until then the appointment stays in the list.")
NO_SHOW_REASON = N_("A visit marked as missed")
HOME_VISIT_CANCELLED = N_("The home visit request is cancelled.")
NO_VISITS = N_("You have no upcoming appointments.")
NO_VISITS_TODAY = N_("You have no appointments today. The registry desk will help: take a queue ticket.")
NO_VISIT_TODAY_REASON = N_("Arrival without an appointment found for today")
SHOW_TICKET = N_("Show this ticket at the cabinet: it confirms your visit.")
#: a cancellation or check-in was sent and its answer never came (deadline passed, «Отменить»)
CANCEL_UNKNOWN = N_("We could not confirm whether your appointment was cancelled. "
                    "Please check your appointments in a few minutes or ask at the registry desk.")
CHECK_IN_UNKNOWN = N_("We could not confirm your arrival. Please ask at the registry desk.")


class VisitsStep(StrEnum):
    LIST = "visits"


@dataclass(frozen=True)
class VisitsState:
    step: VisitsStep = VisitsStep.LIST
    #: upcoming appointments, earliest first
    visits: tuple[Appointment, ...] = ()
    #: a good-news or empty-list line (msgid)
    notice: str | None = None
    #: the appointment the patient asked to cancel, waiting for «Да, отменить»
    cancel_asked: Appointment | None = None
    #: opened as «Я пришёл на приём»: today's visits only
    today_only: bool = False
    #: the patient's waiting-list entries (where the registry keeps a waiting list)
    waiting: tuple[WaitingListEntry, ...] = ()
    #: the patient's home-visit requests (where the registry takes them)
    home_visits: tuple[HomeVisit, ...] = ()
    #: the home-visit request the patient asked to cancel, waiting for «Да, отменить»
    cancel_home_asked: HomeVisit | None = None
    #: the visits of the last 30 days with their status (where the registry tells them), newest first
    past: tuple[PastVisit, ...] = ()

    def visit(self, appointment_id: int) -> Appointment:
        return next(a for a in self.visits if a.appointment_id == appointment_id)


class VisitsJourney(Journey[VisitsStep, VisitsState]):
    name = "visits"
    moves: ClassVar[Mapping[VisitsStep, frozenset[VisitsStep]]] = {VisitsStep.LIST: frozenset({VisitsStep.LIST})}
    entries: ClassVar[frozenset[VisitsStep]] = frozenset({VisitsStep.LIST})

    def initial(self) -> VisitsState:
        return VisitsState()

    def load(self, notice: str | None = None, today_only: bool = False) -> None:
        """«Мои записи» (or «Я пришёл на приём», ``today_only``): read the appointments; the list opens when
        they are there."""
        patient = self._need_patient()
        registry = self.host.registry

        def work() -> tuple[list[Appointment], list[WaitingListEntry], list[HomeVisit], list[PastVisit]]:
            if today_only:
                return registry.appointments(patient.key), [], [], []
            return (registry.appointments(patient.key), self._waiting(patient.key), self._home_visits(patient.key),
                    self._past(patient.key))

        def done(found: tuple[list[Appointment], list[WaitingListEntry], list[HomeVisit], list[PastVisit]]) -> None:
            visits, waiting, home_visits, past = found
            self._show(visits, notice, today_only, tuple(waiting), tuple(home_visits), tuple(past))

        self.host.run(work, done)

    def _past(self, key: PatientKey) -> list[PastVisit]:
        """The visit history, where the registry tells it; a failure leaves it out (logged)."""
        registry = self.host.registry
        try:
            return registry.past_visits(key) if registry.supports_past_visits() else []
        except KioskError as error:
            log.warning("past visits not read: %s", error)
            return []

    def _home_visits(self, key: PatientKey) -> list[HomeVisit]:
        """The home-visit requests, where the registry takes them; a failure leaves them out (logged)."""
        registry = self.host.registry
        try:
            return registry.home_visits(key) if registry.supports_home_visits() else []
        except KioskError as error:
            log.warning("home visits not read: %s", error)
            return []

    def _waiting(self, key: PatientKey) -> list[WaitingListEntry]:
        """The waiting-list entries, where the registry keeps them; a failure leaves them out (the
        appointments are what the patient came for) and is logged."""
        registry = self.host.registry
        try:
            return registry.waiting_list(key) if registry.supports_waiting_list() else []
        except KioskError as error:
            log.warning("waiting list not read: %s", error)
            return []

    def _show(self, visits: list[Appointment], notice: str | None, today_only: bool = False,
              waiting: tuple[WaitingListEntry, ...] | None = None,
              home_visits: tuple[HomeVisit, ...] | None = None, past: tuple[PastVisit, ...] | None = None) -> None:
        today = self.host.clock.today()
        ordered = tuple(sorted((v for v in visits if not today_only or v.start.date() == today),
                               key=lambda a: a.start))
        empty = NO_VISITS_TODAY if today_only else NO_VISITS
        waiting = self.state.waiting if waiting is None else waiting
        home_visits = self.state.home_visits if home_visits is None else home_visits
        past = self.state.past if past is None else past
        listed = ordered or waiting or home_visits or past
        self._enter(VisitsState(visits=ordered, notice=notice or (None if listed else empty), today_only=today_only,
                                waiting=waiting, home_visits=home_visits, past=past))
        self.host.activate(self)
        if today_only and not ordered:
            self.host.offer_walk_in(NO_VISIT_TODAY_REASON)

    def can_check_in(self, visit: Appointment) -> bool:
        """«Я пришёл» is offered on the day of the visit (the kiosk's day, from its clock)."""
        return visit.start.date() == self.host.clock.today() and not visit.checked_in

    def can_change(self, visit: Appointment) -> bool:
        """Move and cancel are offered until the arrival is marked (then only the ticket again)."""
        return not visit.checked_in

    @intent(VisitsStep.LIST)
    def reprint(self, appointment_id: int) -> None:
        """The ticket of an appointment, again."""
        patient, visit = self._need_patient(), self.state.visit(appointment_id)
        host = self.host
        host.run(lambda: host.tickets.print_for(visit, patient),
                 lambda outcome: host.finish(Receipt(Done.REPRINT, ticket=outcome, appointment=visit)))

    @intent(VisitsStep.LIST)
    def ask_cancel(self, appointment_id: int) -> None:
        """First tap on «Отменить»: the screen asks again before anything is sent."""
        self._update(cancel_asked=self.state.visit(appointment_id), notice=None)
        self.host.changed()

    @intent(VisitsStep.LIST)
    def keep_appointment(self) -> None:
        self._update(cancel_asked=None, cancel_home_asked=None)
        self.host.changed()

    @intent(VisitsStep.LIST)
    def no_show_ticket(self) -> None:
        """«Пациент не пришёл» on a past visit: the registry desk corrects it (two no-shows a year can
        block self-booking elsewhere), so its queue ticket is offered beside it."""
        if any(v.status == "NO_SHOW" for v in self.state.past):
            self.host.take_walk_in(NO_SHOW_REASON)

    @intent(VisitsStep.LIST)
    def ask_cancel_home_visit(self, visit_id: int) -> None:
        """First tap on «Отменить вызов»: the screen asks again before anything is sent."""
        visit = next((v for v in self.state.home_visits if v.visit_id == visit_id and v.pending), None)
        self._update(cancel_home_asked=visit, cancel_asked=None, notice=None)
        self.host.changed()

    def _cancel_home_visit(self, visit: HomeVisit) -> None:
        patient, registry = self._need_patient(), self.host.registry

        def work() -> list[HomeVisit]:
            registry.cancel_home_visit(patient.key, visit.visit_id)
            return registry.home_visits(patient.key)

        def done(home_visits: list[HomeVisit]) -> None:
            log.info("home visit %s cancelled", visit.visit_id)
            self._update(home_visits=tuple(home_visits), cancel_home_asked=None, notice=HOME_VISIT_CANCELLED)

        self.host.run(work, done, write=CANCEL_UNKNOWN)

    @intent(VisitsStep.LIST)
    def cancel_confirmed(self) -> None:
        patient, visit = self._need_patient(), self.state.cancel_asked
        if self.state.cancel_home_asked is not None:
            self._cancel_home_visit(self.state.cancel_home_asked)
            return
        if visit is None:
            return
        registry = self.host.registry

        def work() -> list[Appointment] | PrintOutcome:
            try:
                registry.cancel(patient.key, visit.appointment_id)
            except ActionQueued as queued:  # offline: on disk in the outbox, not yet in the registry
                return self.host.tickets.print_queued(queued.action_id, ticket_messages.QUEUED_CANCEL)
            return registry.appointments(patient.key)

        def done(result: list[Appointment] | PrintOutcome) -> None:
            if isinstance(result, PrintOutcome):  # the receipt «Принято» is printed; the list stays as it was
                self._update(cancel_asked=None, notice=CANCEL_QUEUED)
                self.host.changed()
                return
            log.info("appointment %s cancelled", visit.appointment_id)
            self._show(result, CANCELLED, self.state.today_only)

        self.host.run(work, done, write=CANCEL_UNKNOWN)

    @intent(VisitsStep.LIST)
    def move(self, appointment_id: int) -> None:
        """«Перенести»: doctors and rooms the registry allows for moving this appointment."""
        patient, visit = self._need_patient(), self.state.visit(appointment_id)
        host = self.host

        def done(doctors: list[Doctor]) -> None:
            host.open_doctors(DoctorChoice(tuple(doctors), Specialty(visit.specialty_id or "", visit.specialty_name),
                                           origin=self.name, moving=visit))

        host.run(lambda: host.registry.doctors_for_reschedule(patient.key, visit), done)

    @intent(VisitsStep.LIST)
    def check_in(self, appointment_id: int) -> None:
        """«Я пришёл» on the day: the registry confirms the arrival where it can; the ticket is printed."""
        patient, visit = self._need_patient(), self.state.visit(appointment_id)
        host = self.host

        def work() -> tuple[bool, bool, PrintOutcome]:
            confirmed = queued = host.registry.supports_check_in()
            if confirmed:
                try:
                    host.registry.check_in(patient.key, appointment_id)
                    queued = False
                    log.info("arrival confirmed for appointment %s", appointment_id)
                except ActionQueued as action:  # offline: the receipt «Принято», then the ticket for the cabinet
                    host.tickets.print_queued(action.action_id, ticket_messages.QUEUED_CHECK_IN)
            return confirmed, queued, host.tickets.print_for(visit, patient)

        def done(result: tuple[bool, bool, PrintOutcome]) -> None:
            confirmed, queued, outcome = result
            notice = CHECK_IN_QUEUED if queued else None if confirmed else SHOW_TICKET
            done_as = Done.CHECK_IN_QUEUED if queued else Done.CHECKED_IN if confirmed else Done.REPRINT
            host.finish(Receipt(done_as, ticket=outcome, appointment=visit, notice=notice))

        host.run(work, done, write=CHECK_IN_UNKNOWN)
