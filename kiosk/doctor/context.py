"""What every doctor check receives: the loaded configuration, the clock, the environment."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kiosk.clock import Clock
from kiosk.config import KioskConfig


@dataclass(frozen=True)
class DoctorContext:
    config: KioskConfig
    clock: Clock
    environ: Mapping[str, str]
