"""[doctor] section: the thresholds of ``kiosk doctor``."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.ini_schema import setting


@dataclass(frozen=True)
class DoctorConfig:
    min_free_mb: int = setting(
        200, "MiB that must stay free in data_dir before kiosk doctor warns", min=1, max=1_000_000
    )
    cert_warn_days: int = setting(
        21, "kiosk doctor warns when the registry's TLS certificate expires within this many days", min=1, max=365
    )
