"""Health coordinators (DESIGN §3): who owns "is the registry, the printer, the card reader there?".

Plain Python, no Kivy. Modules: ``state`` (the Health value), ``coordinator`` (polling thread,
push reports, hysteresis, listeners), ``registry_probe``, ``printer_probe``, ``card_reader``
(the monitor's push feed), ``notices`` (what the start screen tells a patient), ``config``
(the [health] section), ``factory`` (coordinators from kiosk.ini), ``board`` (all of them together).

``kiosk.health.factory`` is imported on its own (``from kiosk.health.factory import registry_health``):
it needs the printer connections, which load python-escpos, and ``kiosk.config`` imports this package.
"""

from __future__ import annotations

from kiosk.health.board import HealthBoard
from kiosk.health.card_reader import card_reader_feed
from kiosk.health.config import HealthConfig
from kiosk.health.coordinator import HealthCoordinator, Listener, Probe
from kiosk.health.notices import patient_notices
from kiosk.health.state import Device, Health, HealthStatus, ProbeResult

__all__ = [
    "Device",
    "Health",
    "HealthBoard",
    "HealthConfig",
    "HealthCoordinator",
    "HealthStatus",
    "Listener",
    "Probe",
    "ProbeResult",
    "card_reader_feed",
    "patient_notices",
]
