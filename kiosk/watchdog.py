"""Whether the kiosk may tell systemd's watchdog it is alive (``WATCHDOG=1``).

The ping is sent from the Kivy clock, so a frozen UI loop stops it by itself. Two more
ways of not serving are caught here, and the ping is withheld so that systemd restarts
the kiosk (``WatchdogSec`` of the unit):

* the job pool cannot start a request: every thread it may have (``[jobs] max_workers``)
  is stuck past its deadline (:attr:`kiosk.jobs.PoolState.serving`);
* the UI's own tick (the idle and jobs check, twice a second) has not run for
  :data:`STALL_AFTER` seconds: the loop is alive enough to fire the ping but does not
  serve the patient.

Plain Python on the injected clock, so a test decides at any instant.
"""

from __future__ import annotations

from collections.abc import Callable

from kiosk.clock import Clock
from kiosk.jobs import PoolState

#: seconds without the UI tick before the loop counts as stalled (the tick runs every 0.5 s)
STALL_AFTER = 10.0


class WatchdogGate:
    def __init__(self, pool: Callable[[], PoolState], clock: Clock, stall_after: float = STALL_AFTER) -> None:
        self._pool = pool
        self._clock = clock
        self._stall_after = stall_after
        self._last_beat = clock.monotonic()

    def beat(self) -> None:
        """The UI tick ran (called by it)."""
        self._last_beat = self._clock.monotonic()

    def withheld(self) -> str | None:
        """Why the ping must not be sent now (a line for the log and systemd's STATUS), or None."""
        quiet = self._clock.monotonic() - self._last_beat
        if quiet >= self._stall_after:
            return f"the UI tick has not run for {quiet:.0f} s"
        pool = self._pool()
        if not pool.serving:
            return f"all {pool.stuck} job threads are stuck past their deadline"
        return None
