"""The one bridge between worker threads and the UI thread (DESIGN §4).

``Jobs.submit`` runs a blocking call on a worker and hands the result to ``on_ok``
or ``on_err`` through ``post``, a function that runs a callback on the UI thread
(the Kivy app passes one built on ``Clock.schedule_once``). Every job remembers the
generation it was started in; ``invalidate()`` starts a new generation, so a late
answer for a screen the patient has left is dropped.

Nothing here waits without an end:

* every job has a deadline (``[jobs] deadline``, or the one it was submitted with),
  counted on the injected clock's monotonic time from the moment it was submitted.
  ``tick()`` (the UI clock calls it twice a second) hands a job past its deadline
  :class:`JobTimedOut` and drops whatever it returns later; a job still waiting in
  the queue at its deadline never runs (``JobTimedOut.started`` is False);
* a worker still busy with a job past its deadline is *stuck*; one busy with a job the
  patient cancelled (or that timed out) is *abandoned*. Neither counts against
  ``workers``: the pool starts a replacement, up to ``max_workers`` threads in all, so
  the next patient's job starts while the abandoned one hangs. When it returns, the
  extra thread ends;
* :meth:`Jobs.serving` says whether the pool can still start a job at all (False
  when every one of ``max_workers`` threads is stuck): the watchdog gate withholds
  systemd's ping then, so systemd restarts the kiosk.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from kiosk.clock import Clock, SystemClock
from kiosk.errors import RegistryUnavailable
from kiosk.i18n import N_
from kiosk.ini_schema import setting

log = logging.getLogger(__name__)

T = TypeVar("T")
Post = Callable[[Callable[[], None]], None]


@dataclass(frozen=True)
class JobsConfig:
    """``[jobs]``: the worker pool and how long the patient may be kept waiting."""

    workers: int = setting(4, "worker threads for registry requests and printing", min=1, max=32)
    max_workers: int = setting(
        8, "threads in all, counting workers stuck past their deadline and their replacements "
           "(at least workers)", min=1, max=64)
    deadline: float = setting(
        45.0, "seconds a request (reading the registry) may take before the patient is told it failed "
              "(more than [registry] call_deadline)", min=5, max=600)
    write_deadline: float = setting(
        90.0, "seconds a booking, move or cancellation may take in all, with its check and the ticket "
              "(more than [registry] call_deadline)", min=5, max=900)
    offer_cancel_after: float = setting(
        5.0, "seconds of waiting before the busy screen offers «Отменить»", min=1, max=120)


class JobTimedOut(RegistryUnavailable):
    """A job was not done by its deadline; its late result, if any, is dropped.

    A RegistryUnavailable, because a slow registry is what keeps a job past its deadline: the
    patient gets what they get when the registry is down (the queue ticket on the keypad screen)."""

    patient_message = N_("This is taking too long. Please try again or ask at the registry desk.")

    def __init__(self, name: str, deadline: float, started: bool) -> None:
        super().__init__(f"{name}: no result within {deadline:g} s" + ("" if started else " (never started)"))
        #: False when the job was still queued: it never ran, so it changed nothing
        self.started = started


class JobCancelled(RegistryUnavailable):
    """The patient tapped «Отменить» while waiting; the job's late result, if any, is dropped."""

    patient_message = N_("The request is cancelled. You can try again or ask at the registry desk.")

    def __init__(self, name: str, started: bool) -> None:
        super().__init__(f"{name}: cancelled by the patient" + ("" if started else " (never started)"))
        #: False when the job was still queued: it never ran, so it changed nothing
        self.started = started


@dataclass(frozen=True)
class PoolState:
    """A snapshot of the pool, for the watchdog gate, logs and tests."""

    threads: int
    idle: int
    running: int
    #: running past their deadline
    stuck: int
    #: running, but nobody waits for them any more (cancelled or past their deadline)
    abandoned: int
    queued: int
    max_workers: int

    @property
    def serving(self) -> bool:
        """Can a job submitted now start? Not when every thread the pool may have is stuck."""
        return self.stuck < self.max_workers


class JobHandle:
    """One submitted job (what :meth:`Jobs.cancel` takes)."""

    def __init__(self, fn: Callable[[], Any], on_ok: Callable[[Any], Any], on_err: Callable[[BaseException], Any],
                 generation: int, submitted: float, deadline: float) -> None:
        self.fn = fn
        self.on_ok = on_ok
        self.on_err = on_err
        self.generation = generation
        self.submitted = submitted
        self.deadline = deadline
        self.started = False
        #: an outcome (result, error or time-out) was handed to post: nothing more is
        self.settled = False

    @property
    def name(self) -> str:
        return str(getattr(self.fn, "__qualname__", self.fn))

    def overdue(self, now: float) -> bool:
        return now - self.submitted >= self.deadline


class Jobs:
    def __init__(self, post: Post, *, clock: Clock | None = None, config: JobsConfig | None = None) -> None:
        self.config = config or JobsConfig()
        self._post = post
        self._clock = clock or SystemClock()
        self._generation = 0
        self._lock = threading.Condition()
        self._pending = 0
        self._queue: deque[JobHandle] = deque()
        self._running: set[JobHandle] = set()
        self._threads = 0
        self._idle = 0
        self._closed = False
        self._names = 0

    @property
    def generation(self) -> int:
        return self._generation

    @property
    def pending(self) -> int:
        """Jobs submitted whose outcome has not yet been delivered (or dropped)."""
        return self._pending

    def invalidate(self) -> None:
        """Drop the results of every job started before now."""
        with self._lock:
            self._generation += 1

    def submit(
        self,
        fn: Callable[[], T],
        on_ok: Callable[[T], Any],
        on_err: Callable[[BaseException], Any],
        *,
        deadline: float | None = None,
    ) -> JobHandle:
        """Run ``fn`` on a worker; its outcome reaches ``on_ok``/``on_err`` on the UI thread, or
        :class:`JobTimedOut` does after ``deadline`` seconds (``[jobs] deadline`` by default)."""
        with self._lock:
            if self._closed:
                raise RuntimeError("the job pool is shut down")
            job = JobHandle(fn, on_ok, on_err, self._generation, self._clock.monotonic(),
                            self.config.deadline if deadline is None else deadline)
            self._pending += 1
            self._queue.append(job)
            self._grow()
            self._lock.notify()
        return job

    def cancel(self, job: JobHandle) -> bool:
        """The patient gave up on ``job``: it never runs if still queued (``job.started`` says whether
        it had, so whether a write may have happened); its outcome is dropped. False when that is too
        late: the outcome is already on its way to the UI thread."""
        with self._lock:
            if job.settled:
                return False
            job.settled = True
            if not job.started:
                self._queue.remove(job)
            else:
                self._grow()  # its worker is abandoned: a queued job may need a replacement
        self._post(self._forget)
        return True

    def tick(self) -> None:
        """Time out the jobs past their deadline and start replacements for stuck workers
        (the UI clock calls this twice a second)."""
        now = self._clock.monotonic()
        expired: list[JobHandle] = []
        with self._lock:
            for job in [*self._queue, *self._running]:
                if not job.settled and job.overdue(now):
                    job.settled = True
                    expired.append(job)
                    if not job.started:
                        self._queue.remove(job)
            if expired:
                self._grow()
                self._lock.notify_all()
        for job in expired:
            log.warning("job %s passed its deadline of %g s (%s)", job.name, job.deadline,
                        "still running" if job.started else "never started")
            self._deliver(job, partial(job.on_err, JobTimedOut(job.name, job.deadline, job.started)))

    def state(self) -> PoolState:
        now = self._clock.monotonic()
        with self._lock:
            return PoolState(threads=self._threads, idle=self._idle, running=len(self._running),
                             stuck=self._stuck(now), abandoned=self._abandoned(now), queued=len(self._queue),
                            max_workers=self.config.max_workers)

    def serving(self) -> bool:
        return self.state().serving

    def shutdown(self) -> None:
        with self._lock:
            self._closed = True
            self._queue.clear()
            self._lock.notify_all()

    # -- the pool (all under self._lock) ---------------------------------------------------------

    def _stuck(self, now: float) -> int:
        return sum(1 for job in self._running if job.overdue(now))

    def _abandoned(self, now: float) -> int:
        return sum(1 for job in self._running if job.settled or job.overdue(now))

    def _grow(self) -> None:
        """Start a thread when a queued job has no idle worker, within ``workers`` healthy threads
        and ``max_workers`` in all."""
        if len(self._queue) <= self._idle:
            return
        healthy = self._threads - self._abandoned(self._clock.monotonic())
        if healthy < self.config.workers and self._threads < self.config.max_workers:
            self._threads += 1
            self._names += 1
            threading.Thread(target=self._work, name=f"kiosk-job-{self._names}", daemon=True).start()
        elif self._threads >= self.config.max_workers and len(self._queue) > self._idle:
            log.error("all %d job threads are busy or stuck; %d job(s) wait", self._threads, len(self._queue))

    def _work(self) -> None:
        while True:
            with self._lock:
                self._idle += 1
                while not self._queue and not self._closed:
                    self._lock.wait()
                self._idle -= 1
                if self._closed:
                    self._threads -= 1
                    return
                job = self._queue.popleft()
                job.started = True
                self._running.add(job)
            try:
                result: Any = job.fn()
                error: BaseException | None = None
            except BaseException as exc:  # handed to on_err, as the caller asked
                result, error = None, exc
            with self._lock:
                self._running.discard(job)
                late = job.settled
                job.settled = True
                now = self._clock.monotonic()
                # a replacement was started while this one was stuck: one of them ends
                surplus = self._threads - self._abandoned(now) > self.config.workers
                if surplus:
                    self._threads -= 1
            if late:
                log.warning("job %s ended %.1f s after it was given up; its result is dropped",
                            job.name, now - job.submitted)
            elif error is not None:
                self._deliver(job, partial(job.on_err, error))
            else:
                self._deliver(job, partial(job.on_ok, result))
            if surplus:
                return

    # -- delivery on the UI thread ------------------------------------------------------------------

    def _forget(self) -> None:
        with self._lock:
            self._pending -= 1

    def _deliver(self, job: JobHandle, call: Callable[[], Any]) -> None:
        def on_ui_thread() -> None:
            with self._lock:
                self._pending -= 1
                stale = job.generation != self._generation
            if stale:
                log.debug("dropped a late outcome of %s", job.name)
                return
            call()

        self._post(on_ui_thread)
