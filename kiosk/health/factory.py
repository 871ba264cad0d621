"""Build the coordinators from kiosk.ini (for the composition root; nothing starts until ``start()``)."""

from __future__ import annotations

from devices.printer.config import PrinterConfig
from devices.printer.connections import can_read
from devices.printer.ports import Printer
from kiosk.clock import Clock
from kiosk.health.config import HealthConfig
from kiosk.health.coordinator import DEFAULT_TICK_S, HealthCoordinator
from kiosk.health.printer_probe import printer_probe
from kiosk.health.registry_probe import registry_probe
from kiosk.health.state import Device
from kiosk.registry.port import RegistryPort


def registry_health(
    registry: RegistryPort, cfg: HealthConfig, clock: Clock, *, tick_s: float = DEFAULT_TICK_S
) -> HealthCoordinator:
    """Probes ``registry`` every ``registry_interval`` s, with the ini's timeout, slowness and hysteresis.

    ``tick_s``: how often the waiting thread looks at the clock (a test that moves its clock makes it small).
    """
    probe = registry_probe(registry, clock, timeout_s=cfg.registry_timeout, slow_after_s=cfg.registry_slow)
    return HealthCoordinator(
        Device.REGISTRY,
        probe,
        cfg.registry_interval,
        clock,
        failures_to_fail=cfg.registry_failures,
        successes_to_recover=cfg.registry_successes,
        tick_s=tick_s,
    )


def printer_health(
    printer: Printer, printer_cfg: PrinterConfig, cfg: HealthConfig, clock: Clock, *, tick_s: float = DEFAULT_TICK_S
) -> HealthCoordinator:
    """Reads ``printer``'s status every ``printer_interval`` s (file and preview printers: always available)."""
    probe = printer_probe(printer, reads_status=can_read(printer_cfg))
    return HealthCoordinator(Device.PRINTER, probe, cfg.printer_interval, clock, tick_s=tick_s)


def card_reader_health(clock: Clock) -> HealthCoordinator:
    """Push-style: feed it with ``kiosk.health.card_reader.card_reader_feed`` from the card monitor.

    Build none for ``[card_reader] kind = none``: a kiosk without a reader has nothing to tell patients.
    """
    return HealthCoordinator(Device.CARD_READER, None, None, clock)
