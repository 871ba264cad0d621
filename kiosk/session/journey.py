"""What every journey is made of: a frozen state, a transition table, intents, and the host.

A journey is one errand's state machine (identify, book, referral, visits, walk-in
ticket). It keeps its own frozen state; the step changes only through
:meth:`Journey._move`, which checks the journey's transition table. Intents (the
methods the screens call) declare the steps they fit with :func:`intent`; an intent
that does not fit the current step — or comes to a journey that is not the active
one — is refused and logged, never half-done.

Journeys never import each other. What they need beyond their own state — the
patient, the registry, the ticket desk, the clock, running registry work off the UI
thread, handing the patient to another journey, the final screen — they ask of the
:class:`Host`, which the session kernel (:mod:`kiosk.session.kernel`) implements.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from kiosk.check_in_queue import CheckInQueue
from kiosk.clock import Clock
from kiosk.domain import Appointment, Booking, Doctor, HomeVisit, Patient, Specialty, WaitingListEntry
from kiosk.registry.port import RegistryPort
from kiosk.tickets.outcome import PrintOutcome, Tickets

log = logging.getLogger("kiosk.session")


class Done(StrEnum):
    """What the final screen reports."""

    BOOKED = "booked"
    MOVED = "moved"
    CHECKED_IN = "checked_in"
    #: offline: the arrival is in the outbox, not yet marked by the registry (the screen must not say it is)
    CHECK_IN_QUEUED = "check_in_queued"
    REPRINT = "reprint"
    WALK_IN = "walk_in"
    WAITING_LIST = "waiting_list"
    HOME_VISIT = "home_visit"


@dataclass(frozen=True)
class Receipt:
    """What a finished errand leaves on the final screen."""

    done: Done
    ticket: PrintOutcome | None
    appointment: Appointment | None = None
    booking: Booking | None = None
    #: a line for the patient (msgid), e.g. «Покажите талон у кабинета»
    notice: str | None = None
    #: the queue number of a walk-in ticket
    walk_in_number: str | None = None
    #: the waiting-list entry just kept
    waiting: WaitingListEntry | None = None
    #: the home-visit request just made
    home_visit: HomeVisit | None = None


@dataclass(frozen=True)
class DoctorChoice:
    """Doctors listed for the patient, handed to the booking journey by the journey that listed them."""

    doctors: tuple[Doctor, ...]
    specialty: Specialty
    #: the journey «Назад» from the doctor list returns to ("book" = the specialty list)
    origin: str
    #: the appointment being moved, when the doctors are listed for moving it (its time is shown)
    moving: Appointment | None = None


class Host(Protocol):
    """What a journey may ask of the session that hosts it."""

    registry: RegistryPort
    tickets: Tickets
    clock: Clock
    #: the two-digit region of this polyclinic
    home_region: str
    #: where a check-in goes while the registry is unreachable (the outbox), if anywhere
    check_in_queue: CheckInQueue | None

    @property
    def patient(self) -> Patient | None: ...

    def is_active(self, journey: Journey[Any, Any]) -> bool: ...

    def run(self, work: Callable[[], Any], done: Callable[[Any], None],
            on_error: Callable[[BaseException], None] | None = None, keep_error: bool = False,
            write: str | None = None) -> None:
        """Run ``work`` on a worker; ``done(result)`` or the error's message on the UI thread.
        ``write`` (a msgid) marks work that changes the registry: what the patient is told when it was
        sent and its outcome is unknown (its deadline passed, or the patient cancelled the wait)."""
        ...

    def changed(self) -> None:
        """The journey's state changed: redraw."""
        ...

    def fail(self, message: str) -> None:
        """Show ``message`` (msgid) as the current screen's error."""
        ...

    def clear_error(self) -> None: ...

    def offer_walk_in(self, reason: str) -> None:
        """Offer a queue ticket to the registry desk for ``reason`` (msgid) on the current screen."""
        ...

    def identified(self, patient: Patient, specialties: list[Specialty]) -> None: ...

    def activate(self, journey: Journey[Any, Any]) -> None:
        """The journey's first screen is ready (e.g. its list was read): it becomes the active one."""
        ...

    def open_doctors(self, choice: DoctorChoice) -> None:
        """Hand the patient to the booking journey at its doctor list."""
        ...

    def book_doctor(self, specialty: Specialty, resource_id: int) -> None:
        """Hand the patient to booking at this doctor (asking who they are first when nobody is identified)."""
        ...

    def join_waiting_list(self, specialty: Specialty, walk_in: str | None) -> None:
        """Hand the patient to the waiting-list journey for ``specialty`` (the desk's ticket for ``walk_in``
        stays offered there)."""
        ...

    def take_walk_in(self, reason: str) -> None:
        """Hand the patient to the walk-in journey: a queue ticket to the registry desk for ``reason``."""
        ...

    def leave(self, to: str | None = None) -> None:
        """«Назад» past the journey's first step: to journey ``to``, or to the menu (the start screen
        before identification)."""
        ...

    def finish(self, receipt: Receipt) -> None:
        """The errand is done: the final screen with ``receipt``."""
        ...


S = TypeVar("S", bound=StrEnum)
St = TypeVar("St")


class Journey(Generic[S, St]):
    """Base of every journey: ``name``, the step enum's transition table ``moves``, the ``entries``
    (steps a journey may be opened at) and the frozen state (a dataclass with a ``step`` field)."""

    name: ClassVar[str]
    moves: ClassVar[Mapping[Any, frozenset[Any]]]
    entries: ClassVar[frozenset[Any]]

    def __init__(self, host: Host) -> None:
        self.host = host
        self.state: St = self.initial()

    def initial(self) -> St:
        """The state before the journey is opened (and after the session is wiped)."""
        raise NotImplementedError

    @property
    def step(self) -> S:
        return self.state.step  # type: ignore[attr-defined]

    def reset(self) -> None:
        self.state = self.initial()

    def _enter(self, state: St) -> None:
        """Open the journey afresh at one of its entry steps."""
        step = state.step  # type: ignore[attr-defined]
        if step not in self.entries:
            raise JourneyError(f"{self.name}: {step} is not an entry step")
        self.state = state

    def _move(self, step: S, **changes: Any) -> None:
        """Change the step through the transition table (and other fields with it)."""
        if step not in self.moves.get(self.step, frozenset()):
            raise JourneyError(f"{self.name}: no move from {self.step} to {step}")
        self.state = dataclasses.replace(self.state, step=step, **changes)  # type: ignore[type-var]

    def _update(self, **changes: Any) -> None:
        """Change fields of the state within the current step."""
        self.state = dataclasses.replace(self.state, **changes)  # type: ignore[type-var]

    def back(self) -> None:
        """«Назад» on the journey's screen; by default past its first step (journeys with more steps
        override this)."""
        self.host.leave()

    def _need_patient(self) -> Patient:
        patient = self.host.patient
        if patient is None:
            raise JourneyError(f"{self.name}: no patient in this session")
        return patient


class JourneyError(RuntimeError):
    """A journey was driven against its own rules: a bug, not a patient's mistake."""


F = TypeVar("F", bound=Callable[..., Any])


def intent(*steps: StrEnum) -> Callable[[F], F]:
    """Mark a journey method as an intent that fits ``steps`` only; otherwise it is refused and logged."""
    allowed = frozenset(steps)

    def wrap(method: F) -> F:
        @functools.wraps(method)
        def checked(self: Journey[Any, Any], *args: Any, **kwargs: Any) -> Any:
            if not self.host.is_active(self) or self.step not in allowed:
                log.warning("refused intent %s.%s in step %s (%s)", self.name, method.__name__, self.step,
                            "active" if self.host.is_active(self) else "journey not active")
                return None
            return method(self, *args, **kwargs)

        return checked  # type: ignore[return-value]

    return wrap
