"""A :class:`~screens.pilot.Pilot` on freshly built services: the UI tests' and the walk-through's kiosk."""

from __future__ import annotations

from kiosk.app.services import build_services
from kiosk.clock import Clock
from kiosk.config import KioskConfig
from screens.app import on_ui_thread
from screens.pilot import Pilot


def open_pilot(config: KioskConfig, clock: Clock) -> Pilot:
    """Build the kiosk's services from ``config`` on ``clock`` and drive a new app with them.

    Imports Kivy: configure the window (``screens.pilot.configure_window``) before the first call.
    ``Pilot.close()`` closes the services (the app's ``on_stop``)."""
    return Pilot(build_services(config, post=on_ui_thread, clock=clock), config.ui)
