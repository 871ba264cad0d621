"""kiosk.ini → one frozen :class:`KioskConfig` (see ``kiosk.ini`` for every key)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from devices.card.config import CardReaderConfig
from devices.printer.config import PrinterConfig
from kiosk.config.loader import ConfigError, check_sections, find_config, parse_section, read_ini
from kiosk.config.rules import check_rules
from kiosk.config.sections import KioskSection, LoggingSection, UiSection
from kiosk.health.config import HealthConfig
from kiosk.offline.config import CacheConfig
from kiosk.registry.config import RegistryConfig
from kiosk.tickets.config import TicketConfig

SECTIONS: dict[str, type] = {
    "kiosk": KioskSection,
    "ui": UiSection,
    "registry": RegistryConfig,
    "card_reader": CardReaderConfig,
    "printer": PrinterConfig,
    "ticket": TicketConfig,
    "health": HealthConfig,
    "logging": LoggingSection,
    "cache": CacheConfig,
}


@dataclasses.dataclass(frozen=True)
class KioskConfig:
    path: Path
    kiosk: KioskSection
    ui: UiSection
    registry: RegistryConfig
    card_reader: CardReaderConfig
    printer: PrinterConfig
    ticket: TicketConfig
    health: HealthConfig
    logging: LoggingSection
    cache: CacheConfig


def load_config(path: Path | None = None) -> KioskConfig:
    """Load and validate the file (explicit path, else ./kiosk.ini, else /etc/kiosk/kiosk.ini)."""
    chosen = find_config(path)
    parser = read_ini(chosen)
    check_sections(chosen, parser, tuple(SECTIONS))
    parsed: dict[str, object] = {name: parse_section(chosen, parser, name, kind) for name, kind in SECTIONS.items()}
    check_rules(chosen, parser, parsed)
    return KioskConfig(path=chosen, **parsed)  # type: ignore[arg-type]  # each section has its own type


__all__ = ["SECTIONS", "ConfigError", "KioskConfig", "load_config"]
