"""Identification: the policy number and birth date (typed, or read from a card by the session)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import ClassVar

from kiosk import scan_messages
from kiosk.domain import Appointment, Patient, PatientKey, Specialty
from kiosk.errors import (
    ActionQueued,
    AttachedElsewhere,
    CheckInTooLate,
    KioskError,
    NotAttached,
    OtherRegionPolicy,
    PatientNotFound,
    RegistryUnavailable,
)
from kiosk.i18n import N_
from kiosk.session.journey import Done, Journey, Receipt, intent
from kiosk.tickets import messages as ticket_messages
from kiosk.tickets.check_in_pass import CheckInPass
from kiosk.tickets.outcome import PrintOutcome
from kiosk.typed_identity import TypedIdentity, check_typed_identity

log = logging.getLogger("kiosk.journeys.identify")


class IdentifyStep(StrEnum):
    KEYPAD = "identify"


#: errors the registry desk can sort out in person: the patient is offered a queue ticket to it,
#: with the reason printed on the ticket
WALK_IN_REASONS: tuple[tuple[type[KioskError], str], ...] = (
    (PatientNotFound, N_("Check of the policy data")),
    (NotAttached, N_("Booking without attachment to this polyclinic")),
    (RegistryUnavailable, N_("Booking while the electronic registry is unavailable")),
    (CheckInTooLate, N_("Arrival after the appointment time")),
)


@dataclass(frozen=True)
class IdentifyState:
    step: IdentifyStep = IdentifyStep.KEYPAD
    #: msgid of the reason for a queue ticket to the registry desk, when one is offered
    walk_in_reason: str | None = None
    #: a policy number read by the scanner: the keypad shows it and asks for the birth date only
    scanned_policy: str | None = field(default=None, repr=False)


class IdentifyJourney(Journey[IdentifyStep, IdentifyState]):
    name = "identify"
    moves: ClassVar[Mapping[IdentifyStep, frozenset[IdentifyStep]]] = {IdentifyStep.KEYPAD: frozenset()}
    entries: ClassVar[frozenset[IdentifyStep]] = frozenset({IdentifyStep.KEYPAD})

    def initial(self) -> IdentifyState:
        return IdentifyState()

    def open(self) -> None:
        self._enter(IdentifyState())

    @intent(IdentifyStep.KEYPAD)
    def submit_typed(self, policy_digits: str, birth_digits: str) -> TypedIdentity:
        """The keypad's «Далее»: a problem with the form comes back at once (the screen shows it at the
        field); a well-formed identity goes to the registry."""
        checked = check_typed_identity(policy_digits, birth_digits, today=self.host.clock.today())
        if checked.problem is None:
            assert checked.policy is not None and checked.birth_date is not None
            self.submit(checked.policy, checked.birth_date)
        elif checked.walk_in is not None:  # a temporary certificate, an old policy: the desk sorts it out
            self._update(walk_in_reason=checked.walk_in)
            self.host.changed()
        return checked

    @intent(IdentifyStep.KEYPAD)
    def submit(self, policy: str, birth_date: date) -> None:
        """A policy number and birth date valid in form (typed, or read from a card)."""
        key = PatientKey(policy=policy, birth_date=birth_date)
        host = self.host

        def work() -> tuple[Patient, list[Specialty]]:
            patient = host.registry.identify(key)
            try:
                return patient, host.registry.specialties(key)
            except NotAttached as error:
                raise self._why_not_attached(patient) from error

        def done(result: tuple[Patient, list[Specialty]]) -> None:
            log.info("patient identified: %s", key)
            host.identified(*result)

        def failed(error: BaseException) -> None:
            reason = next((reason for kind, reason in WALK_IN_REASONS if isinstance(error, kind)), None)
            self._update(walk_in_reason=reason)

        self._update(walk_in_reason=None)
        host.run(work, done, on_error=failed)

    @intent(IdentifyStep.KEYPAD)
    def scanned_number(self, policy: str) -> None:
        """The scanner read a valid policy number: the keypad keeps it and asks for the birth date."""
        self._update(scanned_policy=policy, walk_in_reason=None)
        self.host.changed()

    @intent(IdentifyStep.KEYPAD)
    def check_in_by_ticket(self, ticket: CheckInPass) -> None:
        """The ticket's QR code on the day of the visit: the registry's check-in (one call, as by card),
        then the visit's details for the final screen (a second call, whose failure only hides them).
        Unreachable registry: the outbox keeps the check-in where the kiosk has one."""
        host = self.host

        def work() -> tuple[Appointment | None, PrintOutcome | None]:
            try:
                host.registry.check_in(ticket.key, ticket.appointment_id)
            except ActionQueued as queued:  # offline: the caching registry committed it to the outbox
                return None, host.tickets.print_queued(queued.action_id, ticket_messages.QUEUED_CHECK_IN)
            except RegistryUnavailable:
                if host.check_in_queue is None:
                    raise
                action_id = host.check_in_queue.queue_check_in(ticket.key, ticket.appointment_id)
                return None, host.tickets.print_queued(action_id, ticket_messages.QUEUED_CHECK_IN)
            log.info("arrival confirmed by ticket for appointment %s", ticket.appointment_id)
            try:
                visits = host.registry.appointments(ticket.key)
            except KioskError as error:
                log.warning("checked in, but the visit's details are not read: %s", type(error).__name__)
                return None, None
            return next((v for v in visits if v.appointment_id == ticket.appointment_id), None), None

        def done(result: tuple[Appointment | None, PrintOutcome | None]) -> None:
            visit, receipt = result  # receipt: the printed «Принято» of a queued check-in
            notice = scan_messages.CHECK_IN_QUEUED if receipt is not None else scan_messages.GO_TO_ROOM
            done_as = Done.CHECK_IN_QUEUED if receipt is not None else Done.CHECKED_IN
            host.finish(Receipt(done_as, ticket=receipt, appointment=visit, notice=notice))

        def failed(error: BaseException) -> None:
            reason = next((reason for kind, reason in WALK_IN_REASONS if isinstance(error, kind)), None)
            self._update(walk_in_reason=reason)

        self._update(walk_in_reason=None)
        host.run(work, done, on_error=failed)

    def _why_not_attached(self, patient: Patient) -> NotAttached:
        """NO_ATTACHMENT says too little: attached elsewhere, a policy of another region, or neither."""
        if patient.attachments:
            return AttachedElsewhere(patient.attachments[0].name)
        if not patient.key.policy.startswith(self.host.home_region):
            return OtherRegionPolicy()
        return NotAttached()

    @intent(IdentifyStep.KEYPAD)
    def take_walk_in(self) -> None:
        """The patient takes the queue ticket offered after an error the registry desk can solve."""
        reason = self.state.walk_in_reason
        if reason is not None:
            self.host.take_walk_in(reason)
