"""The offline cache and its outbox as a technician sees them: sync freshness and outbox depth.

One reading (:func:`read_cache`) of the cache file's own records (``CacheStore.status()``: the sync log,
the outbox counts, the registry state the running kiosk noted) and of the outbox (its oldest waiting
action), judged against ``[cache]``'s intervals. ``kiosk doctor``, the metrics and the service screen all
use it, so they agree. Nothing personal is read out: counts, ages and statuses only.

A sync is *late* when its last good run is older than twice its interval plus ``backoff_max`` (the
worker backs off up to that after failures); the cache is *stale* when even the newest good sync of
either kind is older than twice the full interval plus ``backoff_max``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kiosk.offline.config import CacheConfig
from offline_cache import CacheStore, Outbox
from offline_cache.outbox import FAILED, PENDING, SENT

#: the statuses still in the box (confirmed and discarded ones are history)
WAITING = (PENDING, SENT, FAILED)

FRESH, LATE, STALE, NEVER = "fresh", "late", "stale", "never"


@dataclass(frozen=True)
class CacheReading:
    #: seconds since the last good full / partial sync (None: never)
    full_age_s: float | None
    partial_age_s: float | None
    #: the last attempt of each kind failed, with its detail ("" when it worked or never ran)
    full_error: str
    partial_error: str
    #: outbox actions by status (every status, 0 included)
    outbox: dict[str, int]
    #: seconds the oldest pending/sent action has waited (None: nothing waits, or the key is not at hand)
    oldest_waiting_s: float | None
    #: the registry as the running kiosk last noted it ("available", "unavailable", …; None: never noted)
    registry_state: str | None

    @property
    def last_sync_age_s(self) -> float | None:
        ages = [age for age in (self.full_age_s, self.partial_age_s) if age is not None]
        return min(ages) if ages else None

    def waiting(self) -> int:
        return sum(self.outbox.get(status, 0) for status in WAITING)


def _age(stamp: str | None, now: datetime) -> float | None:
    if not stamp:
        return None
    try:
        return max(0.0, (now - datetime.fromisoformat(stamp)).total_seconds())
    except (TypeError, ValueError):  # a row that does not parse is as good as no row
        return None


def _error(sync: dict[str, Any] | None) -> str:
    return "" if sync is None or sync.get("ok") else str(sync.get("detail") or "failed")


def read_cache(store: CacheStore, now: datetime, outbox: Outbox | None = None) -> CacheReading:
    """Read the figures once; ``outbox`` (with the key) adds the oldest waiting action's age."""
    from offline_cache.outbox import STATUSES

    status = store.status()
    syncs = status["syncs"]
    counts = {name: int(status["outbox"].get(name, 0)) for name in STATUSES}
    oldest = None
    if outbox is not None and (counts[PENDING] or counts[SENT]):
        first = outbox.next_to_send()
        oldest = None if first is None else max(0.0, (now - first.created_at).total_seconds())
    registry = status["state"].get("registry")
    return CacheReading(
        full_age_s=_age((syncs.get("full") or {}).get("last_ok_at"), now),
        partial_age_s=_age((syncs.get("partial") or {}).get("last_ok_at"), now),
        full_error=_error(syncs.get("full")), partial_error=_error(syncs.get("partial")),
        outbox=counts, oldest_waiting_s=oldest, registry_state=None if registry is None else str(registry["value"]))


def late_after(interval_s: float, cfg: CacheConfig) -> float:
    return 2 * interval_s + cfg.backoff_max


def freshness(reading: CacheReading, cfg: CacheConfig) -> str:
    """FRESH, LATE (one kind is behind its interval), STALE (nothing good for too long) or NEVER."""
    newest = reading.last_sync_age_s
    if newest is None:
        return NEVER
    if newest > late_after(cfg.full_interval, cfg):
        return STALE
    full_late = reading.full_age_s is None or reading.full_age_s > late_after(cfg.full_interval, cfg)
    partial_late = reading.partial_age_s is not None and reading.partial_age_s > late_after(cfg.partial_interval, cfg)
    return LATE if full_late or partial_late else FRESH


def outbox_stuck_after(cfg: CacheConfig) -> float:
    """Seconds after which a waiting action is stuck: the sender runs after every good sync."""
    return late_after(cfg.partial_interval, cfg)


def minutes(seconds: float | None) -> str:
    if seconds is None:
        return "never"
    if seconds < 120:
        return f"{int(seconds)} s"
    if seconds < 7200:
        return f"{int(seconds // 60)} min"
    return f"{int(seconds // 3600)} h"


def ago(seconds: float | None) -> str:
    return "never" if seconds is None else f"{minutes(seconds)} ago"


def freshness_line(reading: CacheReading, cfg: CacheConfig) -> str:
    """One technician's line: the verdict and both ages, with the last failure if any."""
    verdict = freshness(reading, cfg)
    text = (f"{verdict}: last full sync {ago(reading.full_age_s)} (every {minutes(cfg.full_interval)}), "
            f"partial {ago(reading.partial_age_s)} (every {minutes(cfg.partial_interval)})")
    if verdict == NEVER:
        text = "never synchronised"
    error = reading.full_error or reading.partial_error
    return f"{text}; last attempt failed: {error}" if error else text


def outbox_line(reading: CacheReading) -> str:
    counts = reading.outbox
    text = f"{counts.get(PENDING, 0)} pending, {counts.get(SENT, 0)} sent, {counts.get(FAILED, 0)} failed"
    if reading.oldest_waiting_s is not None:
        text += f"; oldest waits {minutes(reading.oldest_waiting_s)}"
    return text
