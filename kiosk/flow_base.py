"""The state of a patient's session and the machinery every intent of the flow uses.

Plain Python, no kivy. ``FlowBase`` owns the state, notifies the screens, runs
registry work through :class:`kiosk.jobs.Jobs` one request at a time, and turns
failures into the patient's words. The intents live in the subclasses:
:mod:`kiosk.flow_visits` (menu, referrals, the patient's appointments) and
:mod:`kiosk.flow` (identification, booking, cards).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from kiosk.clock import Clock
from kiosk.domain import (
    Appointment,
    Booking,
    DaySchedule,
    Doctor,
    Patient,
    Referral,
    Schedule,
    Slot,
    Specialty,
)
from kiosk.errors import KioskError, NotAttached, PatientNotFound, RegistryUnavailable
from kiosk.i18n import N_
from kiosk.jobs import Jobs
from kiosk.registry.port import RegistryPort

log = logging.getLogger("kiosk.flow")

GENERIC_ERROR = N_("Something went wrong. Please try again or ask at the registry desk.")


class Step(StrEnum):
    WELCOME = "welcome"
    IDENTIFY = "identify"
    MENU = "menu"
    SPECIALTY = "specialty"
    REFERRALS = "referrals"
    VISITS = "visits"
    DOCTOR = "doctor"
    SLOT = "slot"
    CONFIRM = "confirm"
    DONE = "done"


#: where «Назад» leads from each step (the doctor list goes back to where it was opened from)
BACK: dict[Step, Step] = {
    Step.IDENTIFY: Step.WELCOME,
    Step.MENU: Step.WELCOME,
    Step.SPECIALTY: Step.MENU,
    Step.REFERRALS: Step.MENU,
    Step.VISITS: Step.MENU,
    Step.SLOT: Step.DOCTOR,
    Step.CONFIRM: Step.SLOT,
}


class Done(StrEnum):
    """What the final screen reports."""

    BOOKED = "booked"
    MOVED = "moved"
    CHECKED_IN = "checked_in"
    REPRINT = "reprint"
    WALK_IN = "walk_in"


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
    #: a good-news line (msgid), e.g. «Запись отменена»
    notice: str | None = None
    patient: Patient | None = None
    specialties: list[Specialty] = field(default_factory=list)
    specialty: Specialty | None = None
    referrals: list[Referral] = field(default_factory=list)
    visits: list[Appointment] = field(default_factory=list)
    #: the appointment the patient asked to cancel, waiting for «Да, отменить»
    cancel_asked: Appointment | None = None
    doctors: list[Doctor] = field(default_factory=list)
    #: the list the doctors were opened from: specialties, referrals or the patient's visits (moving)
    doctors_from: Step = Step.SPECIALTY
    doctor: Doctor | None = None
    schedule: Schedule | None = None
    day: DaySchedule | None = None
    slot: Slot | None = None
    booking: Booking | None = None
    appointment: Appointment | None = None
    ticket: PrintOutcome | None = None
    done: Done = Done.BOOKED
    #: the session began with a policy card: taking the card out ends it
    by_card: bool = False
    #: the patient's appointment with the chosen specialist that blocks a new booking (offer to move it)
    existing: Appointment | None = None
    #: msgid of the reason for a queue ticket to the registry desk, when one is offered
    walk_in_reason: str | None = None
    #: the queue number given, once the walk-in ticket is made
    walk_in_number: str | None = None


class FlowBase:
    def __init__(self, registry: RegistryPort, jobs: Jobs, tickets: Tickets, clock: Clock,
                 home_region: str = "77") -> None:
        self._registry = registry
        self.clock = clock
        self._home_region = home_region
        self._jobs = jobs
        self._tickets = tickets
        self._listeners: list[Callable[[FlowState], None]] = []
        self.state = FlowState()

    def subscribe(self, listener: Callable[[FlowState], None]) -> None:
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in self._listeners:
            listener(self.state)

    # -- navigation ------------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget the patient and everything chosen; back to the start screen."""
        self._jobs.invalidate()
        self.state = FlowState()
        self._changed()

    def back(self) -> None:
        step = self.state.step
        target = self.state.doctors_from if step is Step.DOCTOR else BACK.get(step)
        if target is None:
            return
        if target in (Step.WELCOME, Step.IDENTIFY):
            self.reset()
            self.state.step = target
        else:
            self._go(target)
        self._changed()

    def to_menu(self) -> None:
        """From the final screen: more for the same patient (another booking, the appointments)."""
        if self.state.patient is not None:
            self._go(Step.MENU)
            self._changed()

    def _go(self, step: Step) -> None:
        """Leave the current screen: its late answers are dropped, its messages forgotten."""
        self._jobs.invalidate()
        self.state.busy = False
        self.state.error = None
        self.state.error_params = {}
        self.state.notice = None
        self.state.cancel_asked = None
        self.state.step = step

    # -- running registry work ---------------------------------------------------------------------

    def _need_patient(self) -> Patient:
        if self.state.patient is None:
            raise RuntimeError("no patient in this session")
        return self.state.patient

    def _show_schedule(self, schedule: Schedule) -> None:
        self.state.schedule = schedule
        self.state.day = schedule.days[0] if schedule.days else None
        self.state.slot = None
        self.state.step = Step.SLOT

    def _run(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        on_business_error: Callable[[BaseException], None] | None = None,
        keep_error: bool = False,
    ) -> None:
        """Run ``work`` on a worker; ``done(result)`` or the error's message on the UI thread."""
        if self.state.busy:
            return  # one request at a time: repeated taps are ignored
        self.state.busy = True
        if not keep_error:
            self.state.error = None
            self.state.error_params = {}
            self.state.walk_in_reason = None
        self._changed()

        def ok(result: Any) -> None:
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
