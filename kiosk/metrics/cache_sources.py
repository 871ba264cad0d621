"""The offline cache's gauges: outbox depth by status, the oldest waiting action's age, the last sync's
age, and whether the kiosk answers from the cache (the caching registry's own offline test).

One reading of the cache file (``kiosk.offline_watch.read_cache``) serves all of a scrape's gauges:
it is kept for ``REUSE_S`` seconds of the clock's monotonic time. A cache that cannot be read exports
nothing for that scrape (unknown, never a made-up 0) and logs why once per failure run.
"""

from __future__ import annotations

import logging
import threading

from kiosk.clock import Clock
from kiosk.metrics.kiosk_metrics import (
    CACHE_OFFLINE,
    LAST_SYNC_AGE,
    OUTBOX_DEPTH,
    OUTBOX_OLDEST_AGE,
    GaugeSource,
    KioskMetrics,
)
from kiosk.offline.factory import OfflineCache
from kiosk.offline_watch import WAITING, CacheReading, read_cache
from offline_cache.outbox import PENDING, SENT

log = logging.getLogger("kiosk.metrics")

REUSE_S = 1.0


class CacheGauges:
    def __init__(self, offline: OfflineCache, clock: Clock) -> None:
        self._offline = offline
        self._clock = clock
        self._lock = threading.Lock()
        self._reading: CacheReading | None = None
        self._read_at = float("-inf")
        self._failing = False

    def reading(self) -> CacheReading | None:
        with self._lock:
            now = self._clock.monotonic()
            if now - self._read_at >= REUSE_S:
                self._read_at = now
                try:
                    self._reading = read_cache(self._offline.store, self._clock.now(), self._offline.outbox)
                    self._failing = False
                except Exception:  # a broken file is "unknown" on the scrape, not a failed scrape
                    if not self._failing:
                        log.exception("metrics: the offline cache could not be read")
                    self._failing = True
                    self._reading = None
            return self._reading

    def depth(self) -> dict[str, float] | None:
        reading = self.reading()
        return None if reading is None else {status: float(reading.outbox.get(status, 0)) for status in WAITING}

    def oldest_age(self) -> float | None:
        reading = self.reading()
        if reading is None:
            return None
        return 0.0 if not reading.outbox.get(PENDING, 0) + reading.outbox.get(SENT, 0) else reading.oldest_waiting_s

    def last_sync_age(self) -> float | None:
        reading = self.reading()
        return None if reading is None else reading.last_sync_age_s

    def serving_offline(self) -> float:
        return float(self._offline.registry.is_offline())


def add_cache_sources(metrics: KioskMetrics, offline: OfflineCache, clock: Clock) -> CacheGauges:
    gauges = CacheGauges(offline, clock)
    metrics.add_source(GaugeSource(OUTBOX_DEPTH, "offline actions still in the outbox, by status "
                                   "(pending, sent: answer not known yet, failed: refused, waits for a technician)",
                                   gauges.depth, label_name="status"))
    metrics.add_source(GaugeSource(OUTBOX_OLDEST_AGE, "seconds the oldest pending or sent outbox action has waited "
                                   "(0 when none waits)", gauges.oldest_age))
    metrics.add_source(GaugeSource(LAST_SYNC_AGE, "seconds since the last good sync of the offline cache "
                                   "(full or partial; absent before the first)", gauges.last_sync_age))
    metrics.add_source(GaugeSource(CACHE_OFFLINE, "1 when the kiosk answers from its offline cache (the registry "
                                   "is unavailable), else 0", gauges.serving_offline))
    return gauges
