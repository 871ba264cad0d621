"""One health coordinator per device (Home Assistant's coordinator pattern, DESIGN §3).

The coordinator owns the device's :class:`~kiosk.health.state.Health`. It learns it either by
polling — its own daemon thread calls ``probe()`` every ``interval_s`` seconds of the clock's
monotonic time, never on the UI thread — or by push, when a source that watches the device anyway
calls :meth:`HealthCoordinator.report` (the card monitor tells the reader's state; no thread then).

Rules:

- A probe returns a :class:`ProbeResult`; a probe that raises counts as UNAVAILABLE with the
  exception's text as the detail. The thread never dies of a probe.
- Probes bound their own time (the registry's request timeout, the printer's status timeout);
  the coordinator never starts a second probe while one runs, so a slow device costs one thread.
- Hysteresis: a known-good device (available or degraded) becomes UNAVAILABLE after
  ``failures_to_fail`` failed probes in a row, and an unavailable one comes back after
  ``successes_to_recover`` good ones in a row. The first result after UNKNOWN is taken at once:
  there is no good state to protect yet. Available ↔ degraded changes at once.
- Listeners are called with the new Health only when the status or the detail changes, on the
  thread that learnt it (the coordinator's thread, or the reporter's). They must be quick and must
  not touch widgets: the composition root wraps each one with its post-to-UI function, e.g.
  ``coordinator.subscribe(lambda health: post(lambda: screen.show_health(health)))``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from kiosk.clock import Clock
from kiosk.health.state import Health, HealthStatus, ProbeResult

log = logging.getLogger("kiosk.health")

Probe = Callable[[], ProbeResult]
Listener = Callable[[Health], None]

#: the longest the thread sleeps before it looks at the clock again (a test's clock may be moved)
DEFAULT_TICK_S = 1.0


class HealthCoordinator:
    """Owns one device's health. ``probe=None`` makes a push-style coordinator fed by :meth:`report`."""

    def __init__(
        self,
        name: str,
        probe: Probe | None,
        interval_s: float | None,
        clock: Clock,
        *,
        failures_to_fail: int = 1,
        successes_to_recover: int = 1,
        tick_s: float = DEFAULT_TICK_S,
    ) -> None:
        if (probe is None) != (interval_s is None):
            raise ValueError("a polling coordinator needs both a probe and an interval; a push-style one neither")
        if interval_s is not None and interval_s <= 0:
            raise ValueError(f"interval_s must be positive, not {interval_s}")
        if failures_to_fail < 1 or successes_to_recover < 1:
            raise ValueError("failures_to_fail and successes_to_recover are at least 1")
        self.name = name
        self.interval_s = interval_s
        self.failures_to_fail = failures_to_fail
        self.successes_to_recover = successes_to_recover
        self._probe = probe
        self._clock = clock
        self._tick_s = tick_s
        self._health = Health(name, HealthStatus.UNKNOWN, since=clock.now(), detail="not checked yet")
        self._failures = 0  # failed probes in a row
        self._successes = 0  # good probes in a row
        self._listeners: list[Listener] = []
        self._update_lock = threading.RLock()  # one change and its notifications at a time, in order
        self._probing = threading.Lock()  # held while a probe runs: never two at once
        self._stop = threading.Event()
        self._refresh = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    # -- what it knows ---------------------------------------------------------------------------

    @property
    def current(self) -> Health:
        """The latest Health (its ``checked_at`` moves with every probe; listeners hear of changes only)."""
        return self._health

    @property
    def consecutive_failures(self) -> int:
        """Failed probes in a row (for metrics: a device may still count as available within hysteresis)."""
        return self._failures

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def subscribe(self, listener: Listener, *, replay: bool = True) -> Callable[[], None]:
        """Call ``listener(health)`` on every change of status or detail; returns the unsubscribe function.

        With ``replay`` the listener first gets the current Health at once, on the caller's thread.
        """
        with self._update_lock:
            self._listeners.append(listener)
            if replay:
                self._notify_one(listener, self._health)

        def unsubscribe() -> None:
            with self._update_lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    # -- push-style sources -----------------------------------------------------------------------

    def report(self, status: HealthStatus, detail: str = "") -> Health:
        """A source that watches the device tells its state (any thread). Ignored after :meth:`stop`."""
        if self._stop.is_set():
            log.debug("health %s: report after stop ignored (%s)", self.name, status.value)
            return self._health
        return self._apply(ProbeResult(status, detail))

    # -- polling ----------------------------------------------------------------------------------

    def probe_once(self) -> Health:
        """Run one probe now on the caller's thread, unless one is already running (then: the current Health).

        Ignored after :meth:`stop` (until :meth:`start`), like :meth:`report`.
        """
        if self._probe is None:
            raise RuntimeError(f"health {self.name}: a push-style coordinator has no probe")
        if not self._probing.acquire(blocking=False):
            log.debug("health %s: a probe is already running; not starting another", self.name)
            return self._health
        try:
            result = self._run_probe(self._probe)
        finally:
            self._probing.release()
        if self._stop.is_set():
            log.debug("health %s: probe answer after stop ignored", self.name)
            return self._health  # stopping: a late answer changes nothing and notifies nobody
        return self._apply(result)

    def refresh(self) -> None:
        """Ask the thread for a probe now instead of at the next interval (no effect while one runs)."""
        self._refresh.set()
        self._wake.set()

    def start(self) -> HealthCoordinator:
        """Start the probing thread (the first probe at once); a push-style coordinator has none."""
        self._stop.clear()
        if self._probe is None or self.running:
            return self
        self._thread = threading.Thread(target=self._run, name=f"health-{self.name}", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> bool:
        """Stop the thread (at once when it waits; after its probe's own deadline when one runs).

        Returns True when the thread has ended within ``timeout`` seconds. Listeners hear nothing more.
        """
        self._stop.set()
        self._wake.set()
        thread = self._thread
        if thread is None or thread is threading.current_thread():
            return True
        thread.join(timeout)
        if thread.is_alive():
            log.warning("health %s: the probe still runs after %.1f s; left to its own deadline", self.name, timeout)
            return False
        self._thread = None
        return True

    def _run(self) -> None:
        log.debug("health %s: probing every %g s", self.name, self.interval_s)
        assert self.interval_s is not None
        while not self._stop.is_set():
            due = self._clock.monotonic() + self.interval_s
            self.probe_once()
            self._refresh.clear()  # asked for while the probe ran: that probe was the answer
            self._sleep_until(due)

    def _sleep_until(self, due: float) -> None:
        while not self._stop.is_set() and not self._refresh.is_set():
            remaining = due - self._clock.monotonic()
            if remaining <= 0:
                return
            self._wake.wait(min(remaining, self._tick_s))
            self._wake.clear()  # stop and refresh keep their own flags; the loop looks at them again

    def _run_probe(self, probe: Probe) -> ProbeResult:
        try:
            result = probe()
        except Exception as exc:  # a probe's bug or an I/O error: the device counts as not answering
            log.debug("health %s: probe raised", self.name, exc_info=True)
            return ProbeResult(HealthStatus.UNAVAILABLE, " ".join(str(exc).split()) or type(exc).__name__)
        if not isinstance(result, ProbeResult):
            return ProbeResult(HealthStatus.UNAVAILABLE, f"probe returned {type(result).__name__}, not a ProbeResult")
        return result

    # -- the state machine ------------------------------------------------------------------------

    def _apply(self, result: ProbeResult) -> Health:
        with self._update_lock:
            now = self._clock.now()
            before = self._health
            failed = result.status is HealthStatus.UNAVAILABLE
            if failed:
                self._failures, self._successes = self._failures + 1, 0
            else:
                self._failures, self._successes = 0, self._successes + 1
            if self._holds(before.status, failed):
                self._health = Health(self.name, before.status, before.since, now, before.detail)
                return self._health
            since = before.since if result.status is before.status else now
            after = Health(self.name, result.status, since, now, result.detail)
            self._health = after
            if (after.status, after.detail) != (before.status, before.detail):
                self._log_change(before, after)
                for listener in list(self._listeners):
                    self._notify_one(listener, after)
            return after

    def _holds(self, status: HealthStatus, failed: bool) -> bool:
        """Whether hysteresis keeps ``status`` for now despite a result on the other side."""
        if status is HealthStatus.UNKNOWN:
            return False
        if failed and status is not HealthStatus.UNAVAILABLE and self._failures < self.failures_to_fail:
            log.info("health %s: probe failed (%d of %d before it counts as unavailable)", self.name,
                     self._failures, self.failures_to_fail)
            return True
        if not failed and status is HealthStatus.UNAVAILABLE and self._successes < self.successes_to_recover:
            log.info("health %s: probe good (%d of %d before it counts as back)", self.name,
                     self._successes, self.successes_to_recover)
            return True
        return False

    def _log_change(self, before: Health, after: Health) -> None:
        worse = _RANK[after.status] > _RANK[before.status] or (
            after.status is before.status and after.status is not HealthStatus.AVAILABLE
        )
        log.log(logging.WARNING if worse else logging.INFO, "health %s: %s -> %s (%s)", self.name,
                before.status.value, after.status.value, after.detail or "no detail")

    def _notify_one(self, listener: Listener, health: Health) -> None:
        try:
            listener(health)
        except Exception:
            log.exception("health %s: a listener failed", self.name)


_RANK = {HealthStatus.AVAILABLE: 0, HealthStatus.UNKNOWN: 1, HealthStatus.DEGRADED: 1, HealthStatus.UNAVAILABLE: 2}
