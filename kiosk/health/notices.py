"""What a patient needs to know on the start screen, from the devices' health (a pure function).

Notices are English gettext msgids (``N_``); the screen translates them with ``_`` when it shows
them, so they follow the patient's language. Only what changes how the patient should start is
said: a device that is down (and a registry that is slow). Paper near its end still prints, and
UNKNOWN (before the first probe) says nothing — it lasts until the first answer, which comes at
start.
"""

from __future__ import annotations

from collections.abc import Iterable

from kiosk.health.state import Device, Health, HealthStatus
from kiosk.i18n import N_

REGISTRY_DOWN = N_("The electronic registry is not answering now. You can take a queue ticket to the registry desk.")
REGISTRY_SLOW = N_("The electronic registry is answering slowly now. Please be patient: it may take a little longer.")
CARD_READER_DOWN = N_("The card reader is not working now. Type your policy number instead.")
SCANNER_DOWN = N_("The scanner is not working now. Insert your policy card or type your policy number.")
PRINTER_DOWN = N_("The printer is not working now: your ticket will be shown on the screen.")
#: shown instead when nothing is wrong and a card reader is there
READER_READY = N_("You can insert your policy card.")
#: shown with it when the scanner is there
SCANNER_READY = N_("You can hold your paper policy or the QR code of your ticket to the scanner.")

#: (device, status) → msgid, in the order the notices are shown: can I book, how do I start, what I take away
NOTICES: tuple[tuple[str, HealthStatus, str], ...] = (
    (Device.REGISTRY, HealthStatus.UNAVAILABLE, REGISTRY_DOWN),
    (Device.REGISTRY, HealthStatus.DEGRADED, REGISTRY_SLOW),
    (Device.CARD_READER, HealthStatus.UNAVAILABLE, CARD_READER_DOWN),
    (Device.SCANNER, HealthStatus.UNAVAILABLE, SCANNER_DOWN),
    (Device.PRINTER, HealthStatus.UNAVAILABLE, PRINTER_DOWN),
)


def start_screen_text(healths: Iterable[Health]) -> tuple[tuple[str, ...], bool]:
    """(msgids, whether they tell of a problem): the notices, or the card hint when all is well."""
    healths = tuple(healths)
    notices = patient_notices(healths)
    if notices:
        return notices, True
    ready = {h.device for h in healths if h.status is HealthStatus.AVAILABLE}
    hints = ((READER_READY,) if Device.CARD_READER in ready else ()) + (
        (SCANNER_READY,) if Device.SCANNER in ready else ())
    return hints, False


def patient_notices(healths: Iterable[Health]) -> tuple[str, ...]:
    """The msgids to show on the start screen for these devices' current health, most important first."""
    status = {health.device: health.status for health in healths}
    return tuple(msgid for device, when, msgid in NOTICES if status.get(device) is when)
