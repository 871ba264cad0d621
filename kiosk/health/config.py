"""[health] section: how often the health coordinators probe, and the registry's hysteresis."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.ini_schema import setting


@dataclass(frozen=True)
class HealthConfig:
    registry_interval: float = setting(
        15.0, "seconds between probes of the registry (one cheap request, no patient)", min=2, max=600
    )
    registry_timeout: float = setting(
        5.0, "seconds a registry probe may take before the registry counts as not answering", min=0.5, max=60
    )
    registry_slow: float = setting(
        3.0, "a registry answering a probe slower than this many seconds counts as degraded", min=0.1, max=60
    )
    registry_failures: int = setting(
        1, "failed probes in a row before the registry counts as unavailable", min=1, max=10
    )
    registry_successes: int = setting(
        1, "good probes in a row before an unavailable registry counts as back", min=1, max=10
    )
    printer_interval: float = setting(
        30.0, "seconds between status reads of the printer (usb, serial, network)", min=2, max=3600
    )
