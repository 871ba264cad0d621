"""When the kiosk forgets a patient who walked away: a countdown first, then the wipe.

Plain Python on the injected clock's monotonic time, so tests move time by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.clock import Clock


@dataclass(frozen=True)
class IdleLimits:
    """Seconds, from ``[ui]``: without a touch before asking, of visible countdown, on the final screen."""

    idle_timeout: float
    idle_warning: float
    done_timeout: float


@dataclass(frozen=True)
class IdleVerdict:
    #: seconds left on the visible countdown, or None when no countdown is due
    countdown: int | None = None
    #: time is up: the session is to be wiped
    expired: bool = False


class IdleWatch:
    def __init__(self, clock: Clock, limits: IdleLimits) -> None:
        self._clock = clock
        self.limits = limits
        self._last_touch = clock.monotonic()
        self._warning_since: float | None = None

    def touched(self) -> None:
        self._last_touch = self._clock.monotonic()
        self._warning_since = None

    def check(self, on_final_screen: bool) -> IdleVerdict:
        """Where the patient stands; the caller skips this on the start screen (not while work is pending)."""
        now = self._clock.monotonic()
        idle = now - self._last_touch
        if on_final_screen:  # the ticket is out: no question, just back to the start in a while
            return IdleVerdict(expired=idle >= self.limits.done_timeout)
        if idle < self.limits.idle_timeout:
            return IdleVerdict()
        if self._warning_since is None:
            self._warning_since = now
        left = self.limits.idle_warning - (now - self._warning_since)
        if left <= 0:
            self._warning_since = None
            return IdleVerdict(expired=True)
        return IdleVerdict(countdown=max(0, int(left + 0.999)))
