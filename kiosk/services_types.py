"""What the composition root hands to the Kivy app: every running service, and how to close them.

Only the shape lives here, so that ``screens`` can name it; building it is
``kiosk.app.services.build_services`` (the composition root, which ``screens``
may not import).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from kiosk.card_session import CardSession
from kiosk.clock import Clock
from kiosk.config import KioskConfig
from kiosk.health.board import HealthBoard
from kiosk.jobs import Jobs
from kiosk.metrics.kiosk_metrics import KioskMetrics
from kiosk.offline.factory import OfflineCache
from kiosk.registry.port import RegistryPort
from kiosk.scanner_session import ScannerSession
from kiosk.service_mode.desk import ServiceDesk
from kiosk.session.kernel import Session
from kiosk.speech.speaker import Speaker
from kiosk.ticket_desk import TicketDesk

log = logging.getLogger(__name__)


@dataclass
class Services:
    config: KioskConfig
    registry: RegistryPort
    jobs: Jobs
    session: Session
    card: CardSession
    ticket_desk: TicketDesk
    #: every device's and the registry's health (start-screen notices; the service screen and metrics later)
    health: HealthBoard
    #: the fleet metrics (served per [metrics]); the offline cache adds its gauges with add_source
    metrics: KioskMetrics
    #: the technician's service screen: PIN gate, device states, recent errors, actions
    service: ServiceDesk
    clock: Clock
    #: the 2D scanner's reader (nothing runs for [scanner] kind = none)
    scanner: ScannerSession
    closers: list[Callable[[], object]] = field(default_factory=list)
    #: the offline cache and its sync worker (None with [cache] enabled = no)
    offline: OfflineCache | None = None
    #: says what a screen shows when the patient turned speech on (silent without an engine)
    speaker: Speaker = field(default_factory=lambda: Speaker(None))
    #: started with the other watchers: plugged-in headphones turn speech on (``[speech] headphones``)
    watchers: list[Callable[[], object]] = field(default_factory=list)

    def start_watching(self) -> None:
        """Start what watches the devices — the card monitor, the health probes, the scanner's reader — off the
        UI thread.

        The app calls this once its first frame is on the screen, so none of it delays the start."""
        self.card.start_in_background()
        self.health.start()
        self.scanner.start()
        if self.offline is not None:
            self.offline.start()
        for start in self.watchers:
            start()
        self.metrics.start()

    def close(self) -> None:
        self.jobs.shutdown()
        for closer in reversed(self.closers):
            try:
                closer()
            except Exception:  # closing must go on for the rest
                log.exception("error while shutting down")
        self.closers.clear()
