"""Faults the demo registry can inject on demand: latency, HTTP failures, dropped answers, outage.

Changed from the CLI flags at start, from the Python handle, or through the loopback-only
admin endpoint ``POST /_admin/faults`` (JSON object with any of the fields below).
"""

from __future__ import annotations

import math
import random
import threading
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

WRITE_METHODS = frozenset(
    {"createAppointment", "shiftAppointment", "cancelAppointment", "checkInAppointment"}
)

#: bounds of the settings (admin values outside them are refused: a NaN latency failed every call)
MAX_LATENCY = 60.0
MAX_COUNT = 1_000_000
MAX_METHODS = 100
FAIL_STATUSES = range(400, 600)
RATES = frozenset({"fail_rate", "drop_rate"})


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
        self._settings = with_changes(settings or FaultSettings(), {})  # checks the start settings too
        self._rng = random.Random(seed)

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return asdict(self._settings)

    def update(self, changes: dict[str, Any], *, reset: bool = False) -> dict[str, Any]:
        """Apply known fields (on the defaults when ``reset``) and return the new settings.

        All or nothing: an unknown field or a value out of bounds raises ValueError and the settings
        stay as they were."""
        if not isinstance(changes, dict):
            raise ValueError("fault settings are a JSON object")
        with self._lock:
            settings = with_changes(FaultSettings() if reset else self._settings, changes)
            self._settings = settings
            return asdict(settings)

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


def with_changes(settings: FaultSettings, changes: dict[str, Any]) -> FaultSettings:
    """A copy of ``settings`` with ``changes`` applied, every field checked; ValueError if one is bad."""
    known = {f.name for f in fields(FaultSettings)}
    for name in changes:
        if name not in known:
            raise ValueError(f"unknown fault setting {name!r}")
    values = asdict(settings) | changes
    defaults = FaultSettings()  # the field's type is its default's, whatever a caller stored
    checked = {name: _checked(name, getattr(defaults, name), value) for name, value in values.items()}
    return replace(settings, **checked)


def _checked(name: str, current: Any, value: Any) -> Any:
    if isinstance(current, bool):
        if value not in (True, False, 0, 1) or isinstance(value, float):
            raise ValueError(f"{name} must be true or false, not {value!r}")
        return bool(value)
    if isinstance(current, list):
        if not isinstance(value, list | tuple) or len(value) > MAX_METHODS:
            raise ValueError(f"{name} must be a list of at most {MAX_METHODS} method names")
        if not all(isinstance(item, str) for item in value):
            raise ValueError(f"{name} must list method names (strings)")
        return list(value)
    number = _number(name, value)
    if isinstance(current, float):
        high = 1.0 if name in RATES else MAX_LATENCY
        if not 0.0 <= number <= high:
            raise ValueError(f"{name} must be between 0 and {high:g}, not {value!r}")
        return number
    if not number.is_integer():
        raise ValueError(f"{name} must be a whole number, not {value!r}")
    whole = int(number)
    if name == "fail_status":
        if whole not in FAIL_STATUSES:
            raise ValueError(f"fail_status must be an HTTP error status (400..599), not {value!r}")
    elif not 0 <= whole <= MAX_COUNT:
        raise ValueError(f"{name} must be between 0 and {MAX_COUNT}, not {value!r}")
    return whole


def _number(name: str, value: Any) -> float:
    """A finite number from a JSON number or a numeric string (booleans are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"{name} must be a number, not {value!r}")
    try:
        number = float(value)
    except (ValueError, OverflowError):
        raise ValueError(f"{name} must be a number, not {value!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number, not {value!r}")
    return number
