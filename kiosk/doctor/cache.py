"""The offline cache: how fresh its last syncs are, and what waits or failed in its outbox.

Read from the cache file the running kiosk keeps (``kiosk.offline_watch``); the doctor never makes
the file (a missing one is a warning: the kiosk makes it at start). The outbox's oldest waiting action
needs the cache key; without it only the counts are judged.
"""

from __future__ import annotations

from kiosk.doctor.context import DoctorContext
from kiosk.doctor.result import CheckResult, fail, ok, skipped, unknown, warn
from kiosk.offline.config import CacheConfig
from kiosk.offline.factory import under
from kiosk.offline_watch import (
    FRESH,
    STALE,
    CacheReading,
    freshness,
    freshness_line,
    minutes,
    outbox_line,
    outbox_stuck_after,
    read_cache,
)

FRESHNESS = "cache"
OUTBOX = "outbox"


def _read(context: DoctorContext) -> CacheReading | CheckResult:
    from offline_cache import CacheStore, KeyFileError, Outbox, Sealer

    cfg = context.config.cache
    data_dir = context.config.kiosk.data_dir
    path = under(data_dir, cfg.file)
    if not path.exists():
        return warn(FRESHNESS, f"{path}: no cache file yet",
                    "start the kiosk (it makes the file and syncs), or run `kiosk cache sync`")
    key = under(data_dir, cfg.key_file)
    try:
        store = CacheStore(path)
    except Exception as error:  # CacheSchemaError, sqlite3.Error, OSError: the file is hostile like any input
        return fail(FRESHNESS, f"{path}: cannot be read ({type(error).__name__}: {error})",
                    "move the file away and restart the kiosk (a new cache is made and synced)")
    try:
        outbox = None
        if key.exists():
            try:
                outbox = Outbox(store, Sealer.from_key_file(key))
            except (KeyFileError, OSError):
                outbox = None  # counts only: the key is not ours to read
        return read_cache(store, context.clock.now(), outbox)
    finally:
        store.close()


def check_cache(context: DoctorContext) -> list[CheckResult]:
    cfg = context.config.cache
    if not cfg.enabled:
        return [skipped(FRESHNESS, "[cache] enabled = no"), skipped(OUTBOX, "[cache] enabled = no")]
    reading = _read(context)
    if isinstance(reading, CheckResult):
        return [reading, skipped(OUTBOX, "needs the cache file")]
    return [_freshness(reading, cfg), _outbox(reading, cfg)]


def _freshness(reading: CacheReading, cfg: CacheConfig) -> CheckResult:
    verdict = freshness(reading, cfg)
    line = freshness_line(reading, cfg)
    if verdict == FRESH:
        return ok(FRESHNESS, line)
    remedy = ("check the registry (the registry lines above) and the journal (journalctl -u kiosk -g sync); "
              "`kiosk cache sync` runs one full sync now")
    if reading.registry_state == "unavailable":
        line += " (the running kiosk sees the registry offline)"
    return fail(FRESHNESS, line, remedy) if verdict == STALE else warn(FRESHNESS, line, remedy)


def _outbox(reading: CacheReading, cfg: CacheConfig) -> CheckResult:
    line = outbox_line(reading)
    failed = reading.outbox.get("failed", 0)
    if failed:
        return fail(OUTBOX, line, "the registry refused them: retry or discard each on the service screen (or "
                                  "`kiosk outbox list`, `kiosk outbox retry ID`, `kiosk outbox discard ID --reason …`)")
    waiting = reading.oldest_waiting_s
    if waiting is not None and waiting > outbox_stuck_after(cfg):
        return warn(OUTBOX, line, f"actions wait longer than {minutes(outbox_stuck_after(cfg))}: the sync does "
                                  "not reach the registry (see the cache line); they go out by themselves once it does")
    if waiting is None and reading.waiting():
        return unknown(OUTBOX, line + "; their age is unknown (the cache key is not readable)",
                       "run `kiosk doctor` as the kiosk user (sudo -u kiosk kiosk doctor)")
    return ok(OUTBOX, line)
