"""«Лист ожидания»: no free time with a specialist, so the patient leaves the reason and a contact phone
and the registry calls back when time is freed (docs/registry-protocol.md «Waiting list»).

Opened from the booking journey's doctor list when no doctor has free time (``Host.join_waiting_list``);
the reason from a short list → the phone on the keypad → sent. The registry desk's queue ticket stays
offered on each step, as on the screen the patient came from.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from kiosk.contact_phone import phone_problem
from kiosk.domain import WAITING_REASONS, Specialty, WaitingListEntry
from kiosk.i18n import N_
from kiosk.session.journey import Done, Journey, Receipt, intent

log = logging.getLogger("kiosk.journeys.waiting_list")

#: the patient's words for each reason code (domain.WAITING_REASONS)
REASON_LABELS: dict[str, str] = {
    "NO_SLOTS": N_("There is no free time"),
    "NO_CONVENIENT_TIME": N_("There is no time that suits me"),
    "SPECIALIST_ABSENT": N_("The specialist is not working now"),
}
WAITING_UNKNOWN = N_("We could not confirm your request for the waiting list. Please ask at the registry desk.")


class WaitingStep(StrEnum):
    REASON = "waiting_reason"
    PHONE = "waiting_phone"


@dataclass(frozen=True)
class WaitingState:
    step: WaitingStep = WaitingStep.REASON
    specialty: Specialty | None = None
    #: one of WAITING_REASONS, once chosen
    reason: str = ""
    #: msgid of the queue ticket's reason offered on each step (as on the screen the patient came from)
    walk_in: str | None = None


class WaitingListJourney(Journey[WaitingStep, WaitingState]):
    name = "waiting_list"
    moves: ClassVar[Mapping[WaitingStep, frozenset[WaitingStep]]] = {
        WaitingStep.REASON: frozenset({WaitingStep.PHONE}),
        WaitingStep.PHONE: frozenset({WaitingStep.REASON}),
    }
    entries: ClassVar[frozenset[WaitingStep]] = frozenset({WaitingStep.REASON})

    def initial(self) -> WaitingState:
        return WaitingState()

    def open(self, specialty: Specialty, walk_in: str | None) -> None:
        self._enter(WaitingState(specialty=specialty, walk_in=walk_in))
        self._offer_desk()

    def _offer_desk(self) -> None:
        if self.state.walk_in is not None:
            self.host.offer_walk_in(self.state.walk_in)

    @intent(WaitingStep.REASON)
    def choose_reason(self, reason: str) -> None:
        if reason not in WAITING_REASONS:
            return
        self._move(WaitingStep.PHONE, reason=reason)
        self.host.clear_error()
        self.host.changed()

    @intent(WaitingStep.PHONE)
    def submit(self, digits: str) -> str | None:
        """Send the request; returns the problem (msgid) when the phone is not complete (nothing is sent)."""
        problem = phone_problem(digits)
        if problem is not None:
            return problem
        patient, specialty, reason = self._need_patient(), self.state.specialty, self.state.reason
        assert specialty is not None
        host = self.host

        def work() -> WaitingListEntry:
            entry_id = host.registry.add_to_waiting_list(patient.key, specialty.code, reason, "7" + digits)
            return WaitingListEntry(entry_id, specialty.code, specialty.name, reason, host.clock.now(), digits[-2:])

        def done(entry: WaitingListEntry) -> None:
            log.info("waiting list entry %s kept for specialty %s", entry.entry_id, entry.specialty_id)
            host.finish(Receipt(Done.WAITING_LIST, ticket=None, waiting=entry))

        def failed(_error: BaseException) -> None:
            self._offer_desk()

        host.run(work, done, on_error=failed, write=WAITING_UNKNOWN)
        return None

    @intent(WaitingStep.REASON, WaitingStep.PHONE)
    def back(self) -> None:
        if self.step is WaitingStep.PHONE:
            self._move(WaitingStep.REASON, reason="")
            self._offer_desk()
        else:
            walk_in = self.state.walk_in
            self.host.leave("book")
            if walk_in is not None:
                self.host.offer_walk_in(walk_in)
