"""What a health coordinator knows about one device: a frozen :class:`Health` value.

A device is AVAILABLE, DEGRADED (works, with a problem a technician should see: paper near its end,
a slow registry) or UNAVAILABLE; it is UNKNOWN only until its first probe or report, and a device
that does not answer is UNAVAILABLE, never "fine". ``detail`` is the last word on it in a
technician's English (no personal data: probes never carry a patient).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class HealthStatus(StrEnum):
    AVAILABLE = "available"
    DEGRADED = "degraded"
    UNAVAILABLE = "unavailable"
    UNKNOWN = "unknown"  # before the first probe or report; a probe never answers it


class Device(StrEnum):
    """Names of the coordinated devices (the ini section names; the outbox comes later)."""

    REGISTRY = "registry"
    PRINTER = "printer"
    CARD_READER = "card_reader"
    SCANNER = "scanner"


@dataclass(frozen=True)
class ProbeResult:
    """What one probe (or a push-style report) found: AVAILABLE, DEGRADED or UNAVAILABLE, and why."""

    status: HealthStatus
    detail: str = ""

    def __post_init__(self) -> None:
        if self.status is HealthStatus.UNKNOWN:
            raise ValueError("a probe decides: a device that does not answer is UNAVAILABLE, not UNKNOWN")


@dataclass(frozen=True)
class Health:
    """One device's state: ``since`` = when this status began, ``checked_at`` = the last probe or report
    (None before the first one). Both are aware instants from the kiosk's clock."""

    device: str
    status: HealthStatus
    since: datetime
    checked_at: datetime | None = None
    detail: str = ""

    @property
    def usable(self) -> bool:
        """Worth using now: available, or degraded (works with a problem)."""
        return self.status in (HealthStatus.AVAILABLE, HealthStatus.DEGRADED)

    @property
    def down(self) -> bool:
        return self.status is HealthStatus.UNAVAILABLE

    def as_dict(self) -> dict[str, str | None]:
        """For the service screen, logs and metrics."""
        return {
            "device": self.device,
            "status": self.status.value,
            "since": self.since.isoformat(),
            "checked_at": self.checked_at.isoformat() if self.checked_at else None,
            "detail": self.detail,
        }
