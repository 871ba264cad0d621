"""The sync worker: keeps the cache fresh from a :class:`Source`, on its own thread.

- a **full** sync on start and every ``full_interval_s``: the clinic's public data, the specialties,
  the doctors of each specialty, and every doctor's schedule for the next ``days`` days; doctors no
  longer listed are dropped with their schedules;
- a **partial** sync every ``partial_interval_s`` in between: the schedules of the doctors already
  known for the next ``partial_days`` days, day by day, and the days that have passed are dropped;
- on failure it waits ``partial_interval_s`` doubled after each failure in a row, at most
  ``backoff_max_s``, and it does not try while ``is_online()`` says the registry is down (the health
  coordinator decides that, with its hysteresis).

It is the one writer of the reference data: schedules are fetched on a few threads (a few ahead each)
and written by the sync thread, those already in together, so memory is bounded by a few schedules.
Nothing here reads the system clock: ``now``/``monotonic`` come from the caller.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from offline_cache.records import DoctorItem, Item, SlotItem
from offline_cache.store import CacheStore

log = logging.getLogger("offline_cache.sync")

#: schedules fetched ahead of the writer per fetcher thread (what bounds the sync's memory)
AHEAD_PER_FETCHER = 4

FULL = "full"
PARTIAL = "partial"


class Source(Protocol):
    """Where the sync reads from (the kiosk adapts its registry port to this)."""

    def clinic(self) -> list[Item]: ...

    def specialties(self) -> list[Item]: ...

    def doctors(self, specialty: Item) -> list[DoctorItem]: ...

    def schedule(self, doctor: DoctorItem) -> list[SlotItem]: ...


@dataclass(frozen=True)
class SyncReport:
    kind: str
    ok: bool
    specialties: int = 0
    doctors: int = 0
    slots: int = 0
    detail: str = ""


@dataclass(frozen=True)
class SyncTiming:
    days: int = 14
    partial_days: int = 2
    full_interval_s: float = 3600.0
    partial_interval_s: float = 300.0
    backoff_max_s: float = 900.0
    #: schedules fetched at once (the registry answers requests in parallel; the writer stays one)
    fetchers: int = 2


class SyncWorker:
    def __init__(
        self,
        store: CacheStore,
        source: Source,
        *,
        now: Callable[[], datetime],
        monotonic: Callable[[], float],
        timing: SyncTiming = SyncTiming(),
        is_online: Callable[[], bool] = lambda: True,
        tick_s: float = 1.0,
        after_sync: Callable[[], object] | None = None,
    ) -> None:
        self.store = store
        self.source = source
        self.now = now
        self.monotonic = monotonic
        self.timing = timing
        self.is_online = is_online
        self.tick_s = tick_s
        #: run on the sync thread after every good sync (the kiosk delivers its outbox there: one writer)
        self.after_sync = after_sync
        self._running = threading.Lock()  # one sync at a time, whoever asks
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._full_asked = threading.Event()
        self._thread: threading.Thread | None = None
        self.failures = 0
        self.last_report: SyncReport | None = None

    # --- one sync, on the caller's thread -----------------------------------------------------------

    def _window(self, days: int) -> list[date]:
        today = self.now().date()
        return [today + timedelta(days=n) for n in range(days)]

    def sync_full(self) -> SyncReport:
        with self._running:
            return self._run(FULL, self._full)

    def sync_partial(self) -> SyncReport:
        with self._running:
            return self._run(PARTIAL, self._partial)

    def _run(self, kind: str, body: Callable[[], SyncReport]) -> SyncReport:
        started = self.now()
        try:
            report = body()
        except Exception as error:  # a worker must survive any failure of its source; it is recorded
            detail = f"{type(error).__name__}: {error}"[:300]
            log.warning("cache %s sync failed: %s", kind, detail)
            report = SyncReport(kind, False, detail=detail)
        self.store.record_sync(kind, started, self.now(), report.ok, report.detail)
        self.failures = 0 if report.ok else self.failures + 1
        self.last_report = report
        if report.ok:
            log.info("cache %s sync: %d specialties, %d doctors, %d slots", kind, report.specialties,
                     report.doctors, report.slots)
        return report

    def _full(self) -> SyncReport:
        fetched = self.now()
        self.store.replace_clinic(self.source.clinic(), fetched)
        specialties = self.source.specialties()
        self.store.replace_specialties(specialties, fetched)
        seen: dict[int, DoctorItem] = {}
        for specialty in specialties:
            doctors = self.source.doctors(specialty)
            self.store.replace_doctors(specialty.key, doctors, self.now())
            for doctor in doctors:
                seen.setdefault(doctor.resource_id, doctor)
            if self._stop.is_set():
                raise InterruptedError("stopped")
        slots = self._schedules(list(seen.values()), self._window(self.timing.days))
        self.store.forget_doctors_except(seen)
        self.store.drop_days_before(self.now().date())
        return SyncReport(FULL, True, len(specialties), len(seen), slots)

    def _partial(self) -> SyncReport:
        doctors = [item for item in (self.store.doctor(i) for i in self.store.doctor_ids()) if item is not None]
        slots = self._schedules(doctors, self._window(self.timing.partial_days))
        self.store.drop_days_before(self.now().date())
        return SyncReport(PARTIAL, True, 0, len(doctors), slots)

    def _schedules(self, doctors: list[DoctorItem], days: list[date]) -> int:
        """Fetch on ``fetchers`` threads, a few schedules ahead; write here, those that are in, one transaction."""
        written = 0
        ahead: deque[tuple[DoctorItem, Future[list[SlotItem]]]] = deque()
        queue = iter(doctors)
        with ThreadPoolExecutor(self.timing.fetchers, thread_name_prefix="cache-fetch") as pool:
            try:
                while True:
                    while len(ahead) < AHEAD_PER_FETCHER * self.timing.fetchers:
                        doctor = next(queue, None)
                        if doctor is None:
                            break
                        ahead.append((doctor, pool.submit(self.source.schedule, doctor)))
                    if not ahead:
                        return written
                    if self._stop.is_set():
                        raise InterruptedError("stopped")
                    # one transaction for the first schedule and every other one already here
                    batch = [ahead.popleft()]
                    while ahead and ahead[0][1].done():
                        batch.append(ahead.popleft())
                    written += self.store.replace_schedules(
                        [(doctor.resource_id, fetched.result()) for doctor, fetched in batch], days, self.now())
            finally:
                for _doctor, pending in ahead:
                    pending.cancel()

    # --- the thread ---------------------------------------------------------------------------------

    def start(self) -> SyncWorker:
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name="cache-sync", daemon=True)
            self._thread.start()
        return self

    def request_full(self) -> None:
        """Ask the thread for a full sync now (e.g. the registry came back)."""
        self._full_asked.set()
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> bool:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            return not self._thread.is_alive()
        return True

    def _sleep_until(self, deadline: float) -> None:
        while not self._stop.is_set() and not self._full_asked.is_set() and self.monotonic() < deadline:
            self._wake.wait(self.tick_s)
            self._wake.clear()

    def _loop(self) -> None:
        next_full = self.monotonic()  # a full sync on start
        next_partial = next_full + self.timing.partial_interval_s
        while not self._stop.is_set():
            if self._full_asked.is_set():
                self._full_asked.clear()
                next_full = self.monotonic()
            due = min(next_full, next_partial)
            self._sleep_until(due)
            if self._stop.is_set():
                return
            if self._full_asked.is_set():
                continue
            if not self.is_online():
                next_partial = self.monotonic() + self.tick_s  # look again soon; the coordinator decides
                continue
            full = self.monotonic() >= next_full
            report = self.sync_full() if full else self.sync_partial()
            if report.ok and self.after_sync is not None:
                try:
                    self.after_sync()
                except Exception:  # the hook's failure must not stop the syncs
                    log.exception("after the %s sync", report.kind)
            now = self.monotonic()
            if report.ok:
                if full:
                    next_full = now + self.timing.full_interval_s
                next_partial = now + self.timing.partial_interval_s
            else:
                wait = min(self.timing.partial_interval_s * 2 ** (self.failures - 1), self.timing.backoff_max_s)
                if full:
                    next_full = now + wait  # a failed full sync is tried again first
                next_partial = now + wait
