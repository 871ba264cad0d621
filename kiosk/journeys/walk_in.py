"""A queue ticket to the registry desk, for what the kiosk cannot do itself."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from kiosk.session.journey import Done, Journey, Receipt
from kiosk.tickets.outcome import PrintOutcome


class WalkInStep(StrEnum):
    #: the ticket is being printed (the screen the patient came from stays, busy)
    ISSUING = "issuing"


@dataclass(frozen=True)
class WalkInState:
    step: WalkInStep = WalkInStep.ISSUING
    #: msgid of the reason printed on the ticket
    reason: str = ""


class WalkInJourney(Journey[WalkInStep, WalkInState]):
    name = "walk_in"
    moves: ClassVar[Mapping[WalkInStep, frozenset[WalkInStep]]] = {WalkInStep.ISSUING: frozenset()}
    entries: ClassVar[frozenset[WalkInStep]] = frozenset({WalkInStep.ISSUING})

    def initial(self) -> WalkInState:
        return WalkInState()

    def open(self, reason: str) -> None:
        """Print a numbered ticket for ``reason``; the final screen shows the number."""
        self._enter(WalkInState(reason=reason))
        host = self.host

        def done(outcome: PrintOutcome) -> None:
            host.finish(Receipt(Done.WALK_IN, ticket=outcome, walk_in_number=outcome.queue_number))

        host.run(lambda: host.tickets.print_walk_in(reason), done)
