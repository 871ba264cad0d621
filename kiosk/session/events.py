"""What the session tells the world about itself, for fleet metrics: no patient in any of it.

Every value is one of our own names: a journey's name (``identify``, ``book``, ``referral``,
``visits``, ``walk_in``, or ``none``), a step's or screen's name, a ``Done`` value, an exception's
class name, and an end reason (``END_REASONS``).
"""

from __future__ import annotations

from typing import Protocol

#: why a session ended when no errand was finished in it ("done" when one was)
END_REASONS = ("left", "idle", "card_removed", "done")


class SessionEvents(Protocol):
    def session_ended(self, errand: str, outcome: str) -> None:
        """A patient's session is over: the last errand opened in it, and ``done`` or an END_REASONS value."""

    def errand_done(self, errand: str, result: str, booked: bool) -> None:
        """An errand reached its final screen (``result`` is the ``Done`` value; ``booked``: a booking was made)."""

    def request_failed(self, step: str, kind: str) -> None:
        """A request the patient asked for failed at ``step`` with an error of class ``kind``."""


class NoEvents:
    def session_ended(self, errand: str, outcome: str) -> None:
        pass

    def errand_done(self, errand: str, result: str, booked: bool) -> None:
        pass

    def request_failed(self, step: str, kind: str) -> None:
        pass
