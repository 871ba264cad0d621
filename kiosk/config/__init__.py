"""kiosk.ini → one frozen :class:`KioskConfig` (see ``kiosk.ini`` for every key)."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from pathlib import Path

from devices.card.config import CardReaderConfig
from devices.printer.config import PrinterConfig
from devices.scanner.config import ScannerConfig
from kiosk.config.data_dir import DATA_PATHS, fill_default_data_dir
from kiosk.config.loader import ConfigError, check_sections, find_config, parse_section, read_ini
from kiosk.config.rules import check_rules
from kiosk.config.sections import KioskSection, LoggingSection, UiSection
from kiosk.doctor.config import DoctorConfig
from kiosk.health.config import HealthConfig
from kiosk.jobs import JobsConfig
from kiosk.metrics.config import MetricsConfig
from kiosk.offline.config import CacheConfig
from kiosk.registry.config import RegistryConfig
from kiosk.service_mode.config import ServiceConfig
from kiosk.speech.config import SpeechConfig
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
    "scanner": ScannerConfig,
    "jobs": JobsConfig,
    "cache": CacheConfig,
    "speech": SpeechConfig,
    "metrics": MetricsConfig,
    "doctor": DoctorConfig,
    "service": ServiceConfig,
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
    scanner: ScannerConfig
    jobs: JobsConfig
    cache: CacheConfig
    speech: SpeechConfig
    metrics: MetricsConfig
    doctor: DoctorConfig
    service: ServiceConfig


def load_config(path: Path | None = None, environ: Mapping[str, str] | None = None) -> KioskConfig:
    """Load and validate the file (explicit path, else ./kiosk.ini, else /etc/kiosk/kiosk.ini).

    ``environ`` (default: the process's) tells whether systemd started the kiosk
    (``$STATE_DIRECTORY``, see :mod:`kiosk.config.data_dir`).
    """
    environ = os.environ if environ is None else environ
    chosen = find_config(path)
    parser = read_ini(chosen)
    check_sections(chosen, parser, tuple(SECTIONS))
    fill_default_data_dir(parser, chosen.parent.resolve(), environ)
    kiosk = parse_section(chosen, parser, "kiosk", KioskSection)
    parsed: dict[str, object] = {"kiosk": kiosk}
    for name, kind in SECTIONS.items():
        if name != "kiosk":
            bases = {key: kiosk.data_dir for section, key in DATA_PATHS if section == name}
            parsed[name] = parse_section(chosen, parser, name, kind, bases)
    check_rules(chosen, parser, parsed, environ)
    return KioskConfig(path=chosen, **parsed)  # type: ignore[arg-type]  # each section has its own type


__all__ = ["SECTIONS", "ConfigError", "KioskConfig", "load_config"]
