"""From what a device says to its health, and from the devices' health to the patient's notices."""

from __future__ import annotations

from datetime import datetime

import pytest

from devices.printer.ports import UNKNOWN_STATUS, PrinterState, PrinterStatus
from kiosk import i18n
from kiosk.clock import ManualClock, pinned_test_instant
from kiosk.errors import PatientNotFound, RegistryError, RegistryUnavailable
from kiosk.health.notices import (
    CARD_READER_DOWN,
    PRINTER_DOWN,
    REGISTRY_DOWN,
    REGISTRY_SLOW,
    SCANNER_DOWN,
    patient_notices,
)
from kiosk.health.printer_probe import judge_printer_status
from kiosk.health.registry_probe import registry_probe
from kiosk.health.state import Device, Health, HealthStatus

AVAILABLE, DEGRADED = HealthStatus.AVAILABLE, HealthStatus.DEGRADED
UNAVAILABLE, UNKNOWN = HealthStatus.UNAVAILABLE, HealthStatus.UNKNOWN
NOW: datetime = pinned_test_instant()


def health(device: str, status: HealthStatus) -> Health:
    return Health(device, status, since=NOW, checked_at=NOW)


# -- the printer ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (PrinterState.ONLINE, AVAILABLE),
        (PrinterState.PAPER_NEAR_END, DEGRADED),
        (PrinterState.PAPER_END, UNAVAILABLE),
        (PrinterState.COVER_OPEN, UNAVAILABLE),
        (PrinterState.OFFLINE, UNAVAILABLE),
        (PrinterState.UNKNOWN, UNAVAILABLE),  # a printer that can answer and does not is not fine
    ],
)
def test_printer_states_on_a_connection_that_reads_status(state: PrinterState, expected: HealthStatus) -> None:
    result = judge_printer_status(PrinterStatus(state, "what it said"), reads_status=True)
    assert result.status is expected and result.detail == "what it said"


def test_a_file_printer_without_read_back_counts_as_available() -> None:
    assert judge_printer_status(UNKNOWN_STATUS, reads_status=False).status is AVAILABLE


def test_a_preview_printer_is_available() -> None:
    assert judge_printer_status(PrinterStatus(PrinterState.ONLINE, "preview"), reads_status=False).status is AVAILABLE


# -- the registry (the adapter's probe is tested against HTTP in tests/registry) ------------------------


class FakeRegistry:
    """Only the probe of a RegistryPort: raises ``error`` or lets ``takes_s`` pass on the clock."""

    def __init__(self, clock: ManualClock, error: Exception | None = None, takes_s: float = 0.0) -> None:
        self.clock, self.error, self.takes_s = clock, error, takes_s
        self.timeouts: list[float | None] = []

    def probe(self, timeout: float | None = None) -> None:
        self.timeouts.append(timeout)
        self.clock.advance(self.takes_s)
        if self.error is not None:
            raise self.error


@pytest.mark.parametrize(
    ("registry_says", "takes_s", "expected"),
    [
        (None, 0.2, AVAILABLE),
        (None, 4.0, DEGRADED),  # slower than slow_after_s = 3
        (RegistryError("-32603", "Internal error"), 0.2, DEGRADED),
        (RegistryUnavailable("getSpecialitiesInfo: ConnectionError"), 0.0, UNAVAILABLE),
    ],
)
def test_registry_probe_results(registry_says: Exception | None, takes_s: float, expected: HealthStatus) -> None:
    clock = ManualClock(NOW)
    registry = FakeRegistry(clock, registry_says, takes_s)
    probe = registry_probe(registry, clock, timeout_s=5, slow_after_s=3)  # type: ignore[arg-type]
    result = probe()
    assert result.status is expected
    assert registry.timeouts == [5]
    if registry_says is not None:
        assert str(registry_says) in result.detail


def test_registry_probe_details_do_not_change_from_probe_to_probe() -> None:
    clock = ManualClock(NOW)
    probes = [registry_probe(FakeRegistry(clock, takes_s=t), clock, timeout_s=5, slow_after_s=3)  # type: ignore[arg-type]
              for t in (3.5, 4.2, 4.9)]
    details = {probe().detail for probe in probes}
    assert details == {"answers slower than 3 s"}  # no timings: a slow registry is one notification, not one a probe


def test_a_business_error_slipping_through_is_degraded_not_unavailable() -> None:
    """The adapter swallows business answers; should one slip through, the registry still answered."""
    clock = ManualClock(NOW)
    probe = registry_probe(FakeRegistry(clock, PatientNotFound()), clock, timeout_s=5, slow_after_s=3)  # type: ignore[arg-type]
    assert probe().status is DEGRADED  # a RegistryError: there, not unavailable


# -- the patient's notices --------------------------------------------------------------------------


def test_all_well_says_nothing() -> None:
    assert patient_notices([health(d, AVAILABLE) for d in Device]) == ()


def test_unknown_says_nothing_until_the_first_answer() -> None:
    assert patient_notices([health(d, UNKNOWN) for d in Device]) == ()


def test_each_device_down_has_its_notice_most_important_first() -> None:
    everything_down = [health(Device.PRINTER, UNAVAILABLE), health(Device.CARD_READER, UNAVAILABLE),
                       health(Device.SCANNER, UNAVAILABLE), health(Device.REGISTRY, UNAVAILABLE)]
    assert patient_notices(everything_down) == (REGISTRY_DOWN, CARD_READER_DOWN, SCANNER_DOWN, PRINTER_DOWN)


def test_degraded_devices() -> None:
    assert patient_notices([health(Device.REGISTRY, DEGRADED)]) == (REGISTRY_SLOW,)
    assert patient_notices([health(Device.PRINTER, DEGRADED)]) == ()  # paper near end: it still prints


def test_devices_without_notices_are_ignored() -> None:
    assert patient_notices([health("outbox", UNAVAILABLE)]) == ()


def test_notices_are_english_msgids_for_gettext() -> None:
    try:
        i18n.set_language("en")
        assert i18n._(PRINTER_DOWN) == "The printer is not working now: your ticket will be shown on the screen."
    finally:
        i18n.set_language("ru")


def test_start_screen_hints_name_the_card_reader_and_the_scanner_when_they_work() -> None:
    from kiosk.health.notices import READER_READY, SCANNER_READY, start_screen_text

    assert start_screen_text([health(Device.CARD_READER, AVAILABLE), health(Device.SCANNER, AVAILABLE)]) == (
        (READER_READY, SCANNER_READY), False)
    assert start_screen_text([health(Device.SCANNER, AVAILABLE)]) == ((SCANNER_READY,), False)
    assert start_screen_text([health(Device.SCANNER, UNKNOWN)]) == ((), False)  # not yet heard: nothing said
    assert start_screen_text([health(Device.SCANNER, UNAVAILABLE)]) == ((SCANNER_DOWN,), True)


def test_the_scanners_reader_feeds_its_coordinator() -> None:
    from kiosk.health.scanner import scanner_feed, scanner_health

    coordinator = scanner_health(ManualClock(NOW))
    feed = scanner_feed(coordinator)
    assert coordinator.current.status is UNKNOWN
    feed(False, "cannot open /dev/ttyACM0: no such file")
    assert coordinator.current.status is UNAVAILABLE and "ttyACM0" in coordinator.current.detail
    feed(True, "open on /dev/ttyACM0")
    assert coordinator.current.status is AVAILABLE
