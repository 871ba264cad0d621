"""The session kernel: who is here and how they were identified, the language, the idle timeout,
which journey is active, and the wipe (DESIGN §5).

Plain Python, no kivy. Screens are views of the session: they read its ``status``,
``patient``, ``receipt`` and the state of the journey they show, call intents, and
redraw when it notifies them. Registry and printer work runs through
:class:`kiosk.jobs.Jobs`, one request at a time, never on the caller's thread.
Everything personal lives only here and in the journeys' states, and
:meth:`Session.wipe` drops it.

Routing between journeys is here and only here: each journey hands the patient on
through the :class:`~kiosk.session.journey.Host` methods this class implements.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Any

from kiosk.check_in_queue import CheckInQueue
from kiosk.clock import Clock
from kiosk.domain import Patient, Specialty
from kiosk.errands import ANONYMOUS, DEFAULT, NEEDS_REGISTRY_EXTENSION, WALK_IN_REASON, Errand, parse_errands
from kiosk.errors import KioskError
from kiosk.i18n import N_
from kiosk.jobs import JobCancelled, JobHandle, Jobs, JobTimedOut
from kiosk.journeys.book import BookJourney
from kiosk.journeys.home_visit import HomeVisitJourney
from kiosk.journeys.identify import WALK_IN_REASONS, IdentifyJourney
from kiosk.journeys.referral import ReferralJourney
from kiosk.journeys.schedules import SchedulesJourney
from kiosk.journeys.visits import VisitsJourney
from kiosk.journeys.waiting_list import WaitingListJourney
from kiosk.journeys.walk_in import WalkInJourney
from kiosk.registry.port import RegistryPort
from kiosk.scan_reading import ScanKind, ScanReading
from kiosk.session.events import NoEvents, SessionEvents
from kiosk.session.idle import IdleLimits, IdleWatch
from kiosk.session.journey import DoctorChoice, Journey, JourneyError, Receipt
from kiosk.tickets.outcome import Tickets

log = logging.getLogger("kiosk.session")

NOT_YOUR_SPECIALTY = N_("You cannot book this specialist by yourself here. Choose a specialist from the list.")
GENERIC_ERROR = N_("Something went wrong. Please try again or ask at the registry desk.")

WELCOME, MENU, DONE = "welcome", "menu", "done"


class Source(StrEnum):
    """How the patient identified."""

    CARD = "card"
    KEYPAD = "keypad"
    SCANNER = "scanner"


@dataclass(frozen=True)
class Identity:
    """Who is here: known to the registry, with the specialties they may book."""

    patient: Patient
    source: Source
    specialties: tuple[Specialty, ...]


@dataclass(frozen=True)
class Status:
    """What every screen shows besides its own content."""

    busy: bool = False
    #: the wait has been long enough to offer «Отменить» (``[jobs] offer_cancel_after``)
    cancellable: bool = False
    #: msgid of the last error, or None
    error: str | None = None
    #: values for the %(name)s placeholders of ``error``
    error_params: dict[str, str] = field(default_factory=dict)
    #: msgid of the reason for a queue ticket to the registry desk offered with the error, or None
    walk_in: str | None = None


class Session:
    def __init__(self, registry: RegistryPort, jobs: Jobs, tickets: Tickets, clock: Clock, *,
                 home_region: str = "77", language: str = "ru", idle: IdleLimits | None = None,
                 check_in_queue: CheckInQueue | None = None, events: SessionEvents | None = None,
                 errands: tuple[Errand, ...] | None = None) -> None:
        self.registry = registry
        #: the outbox's seam for a check-in while the registry is unreachable (None: not queued, the error shows)
        self.check_in_queue = check_in_queue
        self.tickets = tickets
        self.clock = clock
        self.home_region = home_region
        self.default_language = language
        #: speech for a new session: on while headphones are plugged in (``headphones_changed``)
        self.default_speech = False
        #: the start screen's errands, in the technician's order ([ui] errands)
        self._errands = errands if errands is not None else parse_errands(DEFAULT)
        #: whether the registry offers the schedule reads that need no patient (None: not known yet)
        self.public_schedules: bool | None = None
        #: whether the registry takes home-visit requests (None: not known yet)
        self.home_visits_offered: bool | None = None
        self._jobs = jobs
        self._events: SessionEvents = events or NoEvents()
        self._listeners: list[Callable[[], None]] = []
        self._idle = IdleWatch(clock, idle or IdleLimits(90, 30, 30))
        self._wait: _Wait | None = None
        #: how many times the session was wiped: a screen showing a later one has nothing of before
        self.wipes = 0
        # the journeys: one each, routed here
        self.identify = IdentifyJourney(self)
        self.book = BookJourney(self)
        self.referral = ReferralJourney(self)
        self.visits = VisitsJourney(self)
        self.walk_in = WalkInJourney(self)
        self.schedules = SchedulesJourney(self)
        self.waiting_list = WaitingListJourney(self)
        self.home_visit = HomeVisitJourney(self)
        self._journeys: dict[str, Journey[Any, Any]] = {
            j.name: j for j in (self.identify, self.book, self.referral, self.visits, self.walk_in, self.schedules,
                                self.waiting_list, self.home_visit)}
        self._clear()

    def _clear(self) -> None:
        #: for the metrics: a patient's session is open, the last errand opened in it, and whether one finished
        self._open_session = False
        self._errand = "none"
        self._finished = False
        self.identity: Identity | None = None
        self.source: Source | None = None
        self.language = self.default_language
        #: «Озвучить»: the screens speak, for this session only (like the language)
        self.speech = self.default_speech
        self.active: Journey[Any, Any] | None = None
        self.status = Status()
        self.receipt: Receipt | None = None
        #: the errand chosen on the start screen, opened once the patient is identified
        self.errand: Errand | None = None
        #: another person's card came while a patient is here: it waits for «Да, начать» (see card_inserted)
        self._waiting_card: tuple[str, date] | None = None
        #: the doctor chosen on the schedules, booked once the patient is identified
        self._book_at: tuple[Specialty, int] | None = None
        #: where the patient is when no journey is active: welcome, menu or done
        self._place = WELCOME
        self._screen = WELCOME
        for journey in self._journeys.values():
            journey.reset()

    # -- what the screens read ---------------------------------------------------------------------

    @property
    def patient(self) -> Patient | None:
        return self.identity.patient if self.identity else None

    @property
    def screen(self) -> str:
        """The name of the screen to show: welcome, menu, done, or the active journey's step."""
        return self._screen

    def subscribe(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def changed(self) -> None:
        if self.active is not None and self.active.step.value in JOURNEY_SCREENS:
            self._screen = self.active.step.value
        elif self.active is None:
            self._screen = self._place
        for listener in self._listeners:
            listener()

    def is_active(self, journey: Journey[Any, Any]) -> bool:
        return self.active is journey

    # -- the kernel's own intents ------------------------------------------------------------------

    def start(self) -> None:
        """The patient touched the start screen: the keypad (in the language chosen there)."""
        language, speech = self.language, self.speech
        self.wipe(notify=False)
        self.language, self.speech = language, speech
        self.source = Source.KEYPAD
        self._open_session = True
        self._open(self.identify)
        self.identify.open()
        self.changed()

    @property
    def errands(self) -> tuple[Errand, ...]:
        """The start screen's errands: the ini's, less those the registry turned out not to support."""
        offered = {Errand.SCHEDULES: self.public_schedules, Errand.HOME_VISIT: self.home_visits_offered}
        return tuple(e for e in self._errands if e not in NEEDS_REGISTRY_EXTENSION or offered.get(e))

    def registry_offers_errands(self, schedules: bool, home_visits: bool) -> None:
        """The registry's answers on the schedule reads and on home visits, together: the start screen
        changes once."""
        if (schedules, home_visits) != (self.public_schedules, self.home_visits_offered):
            self.public_schedules, self.home_visits_offered = schedules, home_visits
            self.changed()

    def open_errand(self, errand: Errand) -> None:
        """A start-screen (or menu) button: the errand itself, asking who the patient is first when it needs
        to know and nobody is identified yet."""
        if errand in ANONYMOUS:
            if self.identity is None:
                self.wipe(notify=False)
            if errand is Errand.SCHEDULES:
                self.schedules.load()
            else:
                self.take_walk_in(WALK_IN_REASON)
            self.changed()
            return
        if self.identity is None:
            self.start()
            self.errand = errand
            return
        self.errand = None
        if errand is not Errand.BOOK:
            self._go_menu()  # the list opens once it is read (the menu stays meanwhile)
        self._land(errand)

    def _land(self, errand: Errand) -> None:
        """Open an errand for the identified patient (check-in: today's visits only, «Я пришёл» on each)."""
        if errand is Errand.BOOK:
            target, self._book_at = self._book_at, None
            self.open_booking()
            identity = self._need_identity()
            if target is not None and any(s.code == target[0].code for s in identity.specialties):
                self.book.choose_specialty(target[0].code, doctor=target[1])
            elif target is not None:
                self.fail(NOT_YOUR_SPECIALTY)
        elif errand is Errand.REFERRALS:
            self.referral.load()
        elif errand is Errand.HOME_VISIT:
            self.home_visit.load()
        elif errand is Errand.VISITS:
            self.visits.load()
        elif errand is Errand.CHECK_IN:
            self.visits.load(today_only=True)

    def take_offered_walk_in(self) -> None:
        """«Талон в регистратуру» shown beside an error: the ticket, with the error's reason printed."""
        reason = self.status.walk_in
        if reason is None and self.active is self.identify:
            reason = self.identify.state.walk_in_reason
        if reason is not None:
            self.take_walk_in(reason)
            self.changed()

    def wipe(self, notify: bool = True, reason: str = "left") -> None:
        """Forget the patient, every choice and the language; back to the start screen.
        A request still pending is given up (one still queued never runs).

        ``reason`` (one of ``events.END_REASONS``) is counted in the metrics when no errand was finished."""
        if self._wait is not None:
            self._jobs.cancel(self._wait.job)
            self._wait = None
        if self._open_session:
            self._events.session_ended(self._errand, "done" if self._finished else reason)
        self._jobs.invalidate()
        self._clear()
        self.wipes += 1  # the screens forget what they showed (also when the next one follows at once)
        self._idle.touched()
        if notify:
            self.changed()

    def back(self) -> None:
        """«Назад»: the active journey steps back (past its first step, the session routes on)."""
        if self._place == MENU and self.active is None:
            self.wipe()
        elif self.active is not None:
            self._leave_screen()
            self.active.back()
            self.changed()

    def to_menu(self) -> None:
        """From the final screen: more for the same patient (another booking, the appointments)."""
        if self.identity is not None:
            self._go_menu()
            self.changed()

    def set_language(self, language: str) -> None:
        """The patient's choice on the start screen, for this session only."""
        self.language = language
        self.changed()

    def set_speech(self, on: bool) -> None:
        """«Озвучить» (or the keypad's key for it): speech on or off for this session only."""
        self.speech = on
        self.changed()

    def headphones_changed(self, plugged: bool) -> None:
        """Headphones plugged in turn speech on (for this and every later session until unplugged)."""
        self.default_speech = plugged
        self.set_speech(plugged)

    def open_booking(self) -> None:
        """«Записаться к врачу»: the specialty list."""
        identity = self._need_identity()
        self._open(self.book)
        self.book.open(list(identity.specialties))
        self.changed()

    def open_referrals(self) -> None:
        """«По направлению»: the list opens once the referrals are read (the menu stays meanwhile)."""
        self._go_menu()
        self.referral.load()

    def open_visits(self) -> None:
        """«Мои записи»: the list opens once the appointments are read."""
        self._go_menu()
        self.visits.load()

    # -- the policy card (the session follows the card) ----------------------------------------------

    @property
    def card_waiting(self) -> bool:
        """Another person's card is in the reader: the screen asks whether to end this patient's session."""
        return self._waiting_card is not None

    def another_person(self) -> None:
        """«Записать другого человека» on the final screen: nothing of this patient is kept; a fresh
        identification, then the booking."""
        self.wipe(notify=False)
        self.open_errand(Errand.BOOK)

    def switch_patient(self, confirmed: bool) -> None:
        """The answer to «Закончить приём … и начать для другого человека?»."""
        waiting, self._waiting_card = self._waiting_card, None
        if confirmed and waiting is not None:
            self._card_session(*waiting)
        else:
            self.changed()

    def card_inserted(self, policy: str, birth_date: date) -> None:
        """A policy card was read. Another person's card while a patient is here asks first (a second card
        must not silently replace the first patient); otherwise a new session starts for its owner."""
        if self.identity is not None and self.identity.patient.key.policy != policy:
            log.info("another person's card while a patient is here: asking")
            self._waiting_card = (policy, birth_date)
            self.changed()
            return
        self._card_session(policy, birth_date)

    def _card_session(self, policy: str, birth_date: date) -> None:
        """A policy card was read: whoever was here before, a new session starts for its owner (in the errand
        chosen on the start screen, when the card comes while the keypad asks who the patient is)."""
        errand = self.errand if self.identity is None else None
        book_at = self._book_at if self.identity is None else None
        self.start()
        self.errand, self._book_at = errand, book_at
        self.source = Source.CARD
        self.identify.submit(policy, birth_date)

    def card_removed(self) -> None:
        """The card left the reader: a session that began with it ends at once."""
        if self._waiting_card is not None:  # the other person took their card back: no question any more
            self._waiting_card = None
            self.changed()
        elif self.source is Source.CARD:
            log.info("card removed; the session ends")
            self.wipe(reason="card_removed")

    def card_unreadable(self, message: str, walk_in: str | None = None) -> None:
        """The card could not be used: say why and offer typing the number instead (and, for a card the
        registry desk must look at, such as an expired policy, a queue ticket to it with ``walk_in``)."""
        self.start()
        self.status = Status(error=message, walk_in=walk_in)
        self.changed()

    # -- the scanner (kiosk.scanner_session hands each read scan over on the UI thread) --------------

    def scanned(self, reading: ScanReading) -> None:
        """A scan was read: a paper policy identifies like a card, a policy number opens the keypad at the
        birth date, a ticket checks in; a refusal is shown on the keypad (unless a patient is already here,
        whose session a stray code must not end)."""
        if reading.kind is ScanKind.REFUSED:
            if self.identity is not None or self.status.busy:
                log.info("scan refused and ignored: a patient is here (%s)", reading.detail)
                return
            if self.active is not self.identify:
                self.start()
            self.source = Source.SCANNER
            self.status = Status(error=reading.message, error_params=dict(reading.params))
            self.changed()
            return
        self.start()
        self.source = Source.SCANNER
        if reading.kind is ScanKind.PAPER_POLICY and reading.policy and reading.birth_date:
            self.identify.submit(reading.policy, reading.birth_date)
        elif reading.kind is ScanKind.POLICY_NUMBER and reading.policy:
            self.identify.scanned_number(reading.policy)
        elif reading.kind is ScanKind.TICKET and reading.ticket is not None:
            self.identify.check_in_by_ticket(reading.ticket)

    # -- idle --------------------------------------------------------------------------------------

    def touched(self) -> None:
        self._idle.touched()

    def check_idle(self) -> int | None:
        """Called twice a second: the countdown's seconds while it shows; wipes the session when time is up.
        Not on the start screen; also while a request is pending (the patient may have walked away)."""
        if self._screen == WELCOME:
            return None
        verdict = self._idle.check(on_final_screen=self._screen == DONE)
        if verdict.expired:
            log.info("%s; the patient's data is wiped",
                     "final screen timed out" if self._screen == DONE else "idle timeout")
            self.wipe(reason="idle")
            return None
        return verdict.countdown

    # -- waiting for a request --------------------------------------------------------------------------

    def check_wait(self) -> bool:
        """Called twice a second: once a request has kept the patient waiting ``[jobs] offer_cancel_after``
        seconds, the busy screen offers «Отменить» (``status.cancellable``). True when that just became due.

        Listeners are not notified: nothing the patient did happened, so the idle time runs on."""
        wait = self._wait
        if wait is None or not self.status.busy or self.status.cancellable:
            return False
        if self.clock.monotonic() - wait.job.submitted < self._jobs.config.offer_cancel_after:
            return False
        self.status = replace(self.status, cancellable=True)
        return True

    def cancel(self) -> None:
        """«Отменить» on the busy screen: stop waiting; the screen the patient was on is usable again.

        The request's late result is dropped. A booking, move or cancellation already sent is not
        called "not done": the patient is told the outcome is unknown and where to check it."""
        wait = self._wait
        if wait is None or not self.status.busy:
            return
        if not self._jobs.cancel(wait.job):
            return  # the answer is already on its way: it lands on the next frame, and it is the truth
        started = wait.job.started
        log.info("the patient cancelled a pending request (%s)", "sent" if started else "not yet sent")
        wait.fail(JobCancelled(wait.job.name, started))

    # -- Host: what the journeys ask of the session --------------------------------------------------

    def identified(self, patient: Patient, specialties: list[Specialty]) -> None:
        self.identity = Identity(patient, self.source or Source.KEYPAD, tuple(specialties))
        errand, self.errand = self.errand, None
        if errand is None:
            self._go_menu()
        else:  # the patient lands in the errand chosen on the start screen (the keypad stays, busy, while it loads)
            self._land(errand)

    def activate(self, journey: Journey[Any, Any]) -> None:
        self.active = journey

    def open_doctors(self, choice: DoctorChoice) -> None:
        identity = self._need_identity()
        self._open(self.book)
        self.book.open_doctors(choice, list(identity.specialties))

    def book_doctor(self, specialty: Specialty, resource_id: int) -> None:
        if self.identity is None:
            self.start()
            self.errand = Errand.BOOK
        else:
            self._go_menu()
        self._book_at = (specialty, resource_id)
        if self.identity is not None:
            self._land(Errand.BOOK)
            self.changed()

    def join_waiting_list(self, specialty: Specialty, walk_in: str | None) -> None:
        self._open(self.waiting_list)
        self.waiting_list.open(specialty, walk_in)
        self.changed()

    def take_walk_in(self, reason: str) -> None:
        self._open(self.walk_in)
        self.walk_in.open(reason)

    def leave(self, to: str | None = None) -> None:
        if to is not None and to in self._journeys:
            self._open(self._journeys[to])
        elif self.identity is not None:
            self._go_menu()
        else:
            self.wipe(notify=False)

    def finish(self, receipt: Receipt) -> None:
        if self.active is not None:
            self._events.errand_done(self.active.name, receipt.done.value, receipt.booking is not None)
        self._finished = True
        self.receipt = receipt
        self.active = None
        self._place = DONE

    def fail(self, message: str) -> None:
        self.status = replace(self.status, error=message, error_params={})
        self.changed()

    def clear_error(self) -> None:
        self.status = replace(self.status, error=None, error_params={})

    def offer_walk_in(self, reason: str) -> None:
        self.status = dataclasses.replace(self.status, walk_in=reason)

    def run(self, work: Callable[[], Any], done: Callable[[Any], None],
            on_error: Callable[[BaseException], None] | None = None, keep_error: bool = False,
            write: str | None = None) -> None:
        """Run ``work`` on a worker; ``done(result)`` or the error's message on the UI thread.

        ``write`` marks work that changes the registry (book, move, cancel, check in): the msgid told
        to the patient when it was sent but its outcome never came back (deadline passed, «Отменить»)."""
        if self.status.busy:
            return  # one request at a time: repeated taps are ignored
        self.status = Status(busy=True) if not keep_error else Status(True, error=self.status.error,
                                                                        error_params=self.status.error_params)
        self.changed()

        def ok(result: Any) -> None:
            self._wait = None
            self.status = Status(error=self.status.error, error_params=self.status.error_params)
            try:
                done(result)
            except JourneyError:  # a bug in a journey's rules must not take the kiosk down with it
                log.exception("a journey refused the answer it asked for")
                self.status = Status(error=GENERIC_ERROR)
            self.changed()

        def err(error: BaseException) -> None:
            self._wait = None
            step = self.active.step.value if self.active is not None else self._screen
            self._events.request_failed(step, type(error).__name__)
            if write is not None and isinstance(error, (JobTimedOut, JobCancelled)) and error.started:
                self.status = Status(error=write)  # it may have happened: never "not done"
                log.warning("request %s: outcome unknown (%s)", type(error).__name__, error)
            elif isinstance(error, KioskError):
                walk_in = next((reason for kind, reason in WALK_IN_REASONS if isinstance(error, kind)), None)
                self.status = Status(error=error.patient_message, error_params=dict(error.patient_params),
                                     walk_in=walk_in)
                log.warning("request failed: %s: %s", type(error).__name__, error)
            else:
                self.status = Status(error=GENERIC_ERROR)
                log.error("unexpected failure", exc_info=error)
            if on_error is not None:
                on_error(error)
            self.changed()

        deadline = self._jobs.config.write_deadline if write is not None else None
        self._wait = _Wait(self._jobs.submit(work, ok, err, deadline=deadline), err)

    # -- plumbing ----------------------------------------------------------------------------------

    def _need_identity(self) -> Identity:
        if self.identity is None:
            raise RuntimeError("no patient in this session")
        return self.identity

    def _leave_screen(self) -> None:
        """The patient leaves the screen: its late answers are dropped, its message forgotten."""
        self._jobs.invalidate()
        self.status = Status()

    def _open(self, journey: Journey[Any, Any]) -> None:
        self._errand = journey.name
        self._leave_screen()
        self.activate(journey)
        self.receipt = None

    def _go_menu(self) -> None:
        self._leave_screen()
        self.active = None
        self.receipt = None
        self._place = MENU


@dataclass(frozen=True)
class _Wait:
    """The request the patient is waiting for, and how it ends if they give up on it."""

    job: JobHandle
    fail: Callable[[BaseException], None]


#: screens the journeys' steps are shown on (a step without its own screen keeps the last one)
JOURNEY_SCREENS = frozenset({"identify", "specialty", "doctor", "slot", "confirm", "referrals", "visits",
                             "schedule_specialty", "schedule_doctor", "schedule_hours",
                             "waiting_reason", "waiting_phone", "home_address", "home_typed_address", "home_reason",
                             "home_temperature", "home_phone", "home_confirm"})
