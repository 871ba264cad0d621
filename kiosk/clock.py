"""The one clock of the kiosk (DESIGN §4): the only module that reads the system clock.

Everything that needs the time — the session and its journeys, tickets, queue
numbers, the card reader's expiry check, file names, the CLI and the embedded
demo registry — receives a :class:`Clock` and asks it. The kiosk's day is the
polyclinic's day: ``now()`` is aware and in the kiosk's time zone (Moscow unless
the ini says otherwise), whatever zone the machine is set to.

Three clocks:

- :class:`SystemClock` — the real time, for a kiosk in service;
- :class:`ManualClock` — stands still until told to move (tests pin it, and the
  kiosk and its demo registry move together because they share the object);
- :class:`ShiftedClock` — starts at a given instant and then runs like the real
  one (the kiosk started with ``KIOSK_TEST_NOW``, e.g. by the smoke tests).

``monotonic()`` is the session's time (idle timeouts): it never jumps when the
wall clock is set. A manual clock's monotonic time moves with ``advance()``.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from datetime import date, datetime, timedelta, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo

log = logging.getLogger(__name__)

MOSCOW = ZoneInfo("Europe/Moscow")

#: the environment variable that pins the time (ISO 8601 with an offset), honoured by the test suite
#: and by ``clock_from_environment``
TEST_NOW_VARIABLE = "KIOSK_TEST_NOW"

#: the instant the test suite uses when KIOSK_TEST_NOW is not set: a Monday morning, the polyclinic open
DEFAULT_TEST_NOW = "2026-11-23T07:30:00+03:00"


class Clock(Protocol):
    """What every part of the kiosk needs to know about time."""

    def now(self) -> datetime:
        """The current instant, aware, in the kiosk's time zone."""
        ...

    def today(self) -> date:
        """The kiosk's date (in its time zone, not the machine's)."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that only goes forward: for timeouts, never for dates."""
        ...


class SystemClock:
    """The real time, seen from the kiosk's time zone."""

    def __init__(self, zone: tzinfo = MOSCOW) -> None:
        self.zone = zone

    def now(self) -> datetime:
        return datetime.now(self.zone)

    def today(self) -> date:
        return self.now().date()

    def monotonic(self) -> float:
        return time.monotonic()


class ManualClock:
    """A clock that stands still at ``instant`` until :meth:`set` or :meth:`advance` moves it (thread-safe)."""

    def __init__(self, instant: datetime, zone: tzinfo = MOSCOW) -> None:
        self.zone = zone
        self._lock = threading.Lock()
        self._now = _aware(instant).astimezone(zone)
        self._monotonic = 1000.0

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def today(self) -> date:
        return self.now().date()

    def monotonic(self) -> float:
        with self._lock:
            return self._monotonic

    def set(self, instant: datetime) -> None:
        """Jump the wall time to ``instant`` (the monotonic time moves forward by as much, never back)."""
        with self._lock:
            step = (_aware(instant) - self._now).total_seconds()
            self._now = _aware(instant).astimezone(self.zone)
            self._monotonic += max(step, 0.0)

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` pass for both the wall time and the monotonic time."""
        if seconds < 0:
            raise ValueError("a clock is not wound back with advance(); use set()")
        with self._lock:
            self._now += timedelta(seconds=seconds)
            self._monotonic += seconds


class ShiftedClock:
    """Starts at ``instant`` and runs like the real clock from then on."""

    def __init__(self, instant: datetime, zone: tzinfo = MOSCOW) -> None:
        self.zone = zone
        self._start = _aware(instant).astimezone(zone)
        self._started = time.monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._started)

    def today(self) -> date:
        return self.now().date()

    def monotonic(self) -> float:
        return time.monotonic()


def parse_instant(text: str) -> datetime:
    """An ISO 8601 instant with its offset (``2026-12-31T23:50:00+03:00``); a naive one is refused."""
    try:
        instant = datetime.fromisoformat(text.strip())
    except ValueError as error:
        raise ValueError(f"{text!r} is not an ISO 8601 instant such as {DEFAULT_TEST_NOW}") from error
    if instant.utcoffset() is None:
        raise ValueError(f"{text!r} has no UTC offset; write it like {DEFAULT_TEST_NOW}")
    return instant


def pinned_test_instant() -> datetime:
    """The instant the test suite pins: KIOSK_TEST_NOW, or the fixed default."""
    return parse_instant(os.environ.get(TEST_NOW_VARIABLE) or DEFAULT_TEST_NOW)


def clock_from_environment(zone: tzinfo = MOSCOW) -> Clock:
    """The kiosk's clock: the real one, or one started at KIOSK_TEST_NOW when that is set."""
    pinned = os.environ.get(TEST_NOW_VARIABLE)
    if not pinned:
        return SystemClock(zone)
    clock = ShiftedClock(parse_instant(pinned), zone)
    log.warning("the clock starts at %s (%s is set): not for a kiosk in service", clock.now().isoformat(),
                TEST_NOW_VARIABLE)
    return clock


def _aware(instant: datetime) -> datetime:
    if instant.utcoffset() is None:
        raise ValueError(f"the clock takes aware instants only, not {instant.isoformat()}")
    return instant
