"""[service] section: the hidden entry to the service screen and its PIN."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kiosk.ini_schema import setting


@dataclass(frozen=True)
class ServiceConfig:
    pin_file: Path = setting(
        Path("/etc/kiosk/service-pin"),
        "file with the service PIN's scrypt hash (root:kiosk, mode 0640; written by `kiosk set-pin`)",
    )
    corner: str = setting(
        "top_right", "corner of the screen a long press opens the service screen from",
        choices=("top_left", "top_right", "bottom_left", "bottom_right"),
    )
    long_press: float = setting(5.0, "seconds the corner must be held", min=2, max=30)
    max_tries: int = setting(5, "wrong PINs in a row before the entry locks", min=1, max=10)
    lockout: int = setting(300, "seconds the entry stays locked after max_tries wrong PINs", min=30, max=86400)
    idle_timeout: int = setting(120, "seconds without a touch before the service screen closes itself",
                                min=15, max=1800)
