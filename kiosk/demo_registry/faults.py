"""Faults the demo registry can inject on demand: latency, HTTP failures, dropped answers, outage.

Changed from the CLI flags at start, from the Python handle, or through the loopback-only
admin endpoint ``POST /_admin/faults`` (JSON object with any of the fields below).
"""

from __future__ import annotations

import random
import threading
from dataclasses import asdict, dataclass, field, fields
from typing import Any

WRITE_METHODS = frozenset(
    {"createAppointment", "shiftAppointment", "cancelAppointment", "checkInAppointment"}
)


@dataclass
class FaultSettings:
    #: seconds added before every answer
    latency: float = 0.0
    #: share (0..1) of requests answered with HTTP ``fail_status`` without being processed
    fail_rate: float = 0.0
    fail_status: int = 503
    #: share (0..1) of requests processed (a booking is committed) whose answer is cut half-way
    drop_rate: float = 0.0
    #: the next N requests fail / are dropped (deterministic, for tests)
    fail_next: int = 0
    drop_next: int = 0
    #: maintenance: every request gets HTTP ``fail_status``
    down: bool = False
    #: race mode: the next N bookings/moves find their slot just taken by someone else
    steal_next: int = 0
    #: the next N reads answer ``"result": {}`` ("nothing", quirk 4)
    empty_next: int = 0
    #: when not empty, latency and failures apply only to these JSON-RPC methods
    methods: list[str] = field(default_factory=list)
    #: when not empty, dropped answers apply only to these methods (else ``methods`` decides)
    drop_methods: list[str] = field(default_factory=list)


class Faults:
    """Thread-safe holder of the current fault settings; decides per request."""

    def __init__(self, settings: FaultSettings | None = None, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._settings = settings or FaultSettings()
        self._rng = random.Random(seed)

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return asdict(self._settings)

    def update(self, changes: dict[str, Any]) -> dict[str, Any]:
        """Apply known fields (unknown ones raise ValueError) and return the new settings."""
        known = {f.name: f for f in fields(FaultSettings)}
        with self._lock:
            for name, value in changes.items():
                if name not in known:
                    raise ValueError(f"unknown fault setting {name!r}")
                current = getattr(self._settings, name)
                if isinstance(current, bool):
                    value = bool(value)
                elif isinstance(current, int | float):
                    value = type(current)(value)
                elif isinstance(current, list):
                    value = [str(item) for item in value]
                setattr(self._settings, name, value)
            return asdict(self._settings)

    def reset(self) -> None:
        with self._lock:
            self._settings = FaultSettings()

    def latency(self, method: str) -> float:
        with self._lock:
            return self._settings.latency if self._applies(method) else 0.0

    def fail_status(self, method: str) -> int | None:
        """The HTTP status to fail this request with, or None."""
        with self._lock:
            settings = self._settings
            if settings.down:
                return settings.fail_status
            if not self._applies(method):
                return None
            if settings.fail_next > 0:
                settings.fail_next -= 1
                return settings.fail_status
            if settings.fail_rate > 0 and self._rng.random() < settings.fail_rate:
                return settings.fail_status
            return None

    def drop_answer(self, method: str) -> bool:
        with self._lock:
            settings = self._settings
            if settings.drop_methods:
                if method not in settings.drop_methods:
                    return False
            elif not self._applies(method):
                return False
            if settings.drop_next > 0:
                settings.drop_next -= 1
                return True
            return settings.drop_rate > 0 and self._rng.random() < settings.drop_rate

    def steal_slot(self, method: str) -> bool:
        with self._lock:
            if method not in WRITE_METHODS or self._settings.steal_next <= 0:
                return False
            self._settings.steal_next -= 1
            return True

    def empty_result(self, method: str) -> bool:
        with self._lock:
            if method in WRITE_METHODS or self._settings.empty_next <= 0 or not self._applies(method):
                return False
            self._settings.empty_next -= 1
            return True

    def _applies(self, method: str) -> bool:
        return not self._settings.methods or method in self._settings.methods
