"""The card reader's health is pushed, not polled: the card monitor (devices.card.monitor) already
watches the reader and calls ``reader_state(available)`` on its own thread when it comes or goes.

    reader = card_reader_health(clock)
    feed = card_reader_feed(reader)     # call it from the monitor's reader_state callback

Until the monitor's first word the reader is UNKNOWN (no patient notice).
"""

from __future__ import annotations

from collections.abc import Callable

from kiosk.health.coordinator import HealthCoordinator
from kiosk.health.state import HealthStatus

READER_PRESENT = "reader present"
READER_GONE = "no reader, or pcscd is not answering (see the card monitor's log)"


def card_reader_feed(coordinator: HealthCoordinator) -> Callable[[bool], None]:
    """A ``reader_state(available)`` callback that reports to ``coordinator`` (any thread)."""

    def reader_state(available: bool) -> None:
        if available:
            coordinator.report(HealthStatus.AVAILABLE, READER_PRESENT)
        else:
            coordinator.report(HealthStatus.UNAVAILABLE, READER_GONE)

    return reader_state
