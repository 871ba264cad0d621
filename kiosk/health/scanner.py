"""The scanner's health is pushed, not polled: its reader thread (devices.scanner.serial_reader) already
knows when the port opens and when it is lost, and calls ``state(available, detail)`` on every change.

    scanner = scanner_health(clock)
    feed = scanner_feed(scanner)      # the reader's state callback

Until the reader's first word the scanner is UNKNOWN (no patient notice); a port that cannot be opened
or is lost is UNAVAILABLE, with the reader's reason as the detail.
"""

from __future__ import annotations

from collections.abc import Callable

from kiosk.clock import Clock
from kiosk.health.coordinator import HealthCoordinator
from kiosk.health.state import Device, HealthStatus


def scanner_health(clock: Clock) -> HealthCoordinator:
    """Push-style; build none for ``[scanner] kind = none``."""
    return HealthCoordinator(Device.SCANNER, None, None, clock)


def scanner_feed(coordinator: HealthCoordinator) -> Callable[[bool, str], None]:
    def state(available: bool, detail: str) -> None:
        coordinator.report(HealthStatus.AVAILABLE if available else HealthStatus.UNAVAILABLE, detail)

    return state
