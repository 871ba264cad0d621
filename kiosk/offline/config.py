"""[cache] section: the offline cache's file and key, how far ahead and how often it syncs, and what
a patient may do while the registry is offline."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kiosk.ini_schema import setting


@dataclass(frozen=True)
class CacheConfig:
    enabled: bool = setting(True, "keep a local cache of the registry's lists and schedules for offline work")
    file: Path = setting(Path("cache.sqlite"), "the cache's SQLite file")
    key_file: Path = setting(
        Path("cache.key"),
        "file with the key that encrypts the cache's personal data (made with mode 0600 on first start)")
    sync_identity_file: Path | None = setting(
        None, "file (mode 0600) with the registry identity the sync reads the clinic's lists as: one line "
              "'POLICY YYYY-MM-DD'; empty = the demo registry's service identity with kind = demo, no sync otherwise",
        exists=True)
    days: int = setting(14, "days of schedules kept, from today", min=1, max=60)
    partial_days: int = setting(2, "days of schedules refreshed by a partial sync, from today", min=1, max=60)
    full_interval: int = setting(3600, "seconds between full syncs (lists and every schedule)", min=60, max=86400)
    partial_interval: int = setting(300, "seconds between partial syncs (the next days' schedules)",
                                    min=10, max=86400)
    backoff_max: int = setting(900, "longest wait in seconds between sync attempts after failures",
                               min=10, max=86400)
    offline_browse: bool = setting(True, "offline: show specialties, doctors and schedules from the cache")
    offline_appointments: bool = setting(
        True, "offline: show a patient the appointments this kiosk knows (and print their tickets again)")
    offline_cancel: str = setting(
        "queue", "offline: a cancel goes to the outbox and is passed on when the registry is back (queue), "
                 "or is refused (no)", choices=("queue", "no"))
    offline_check_in: str = setting(
        "queue", "offline: «Я пришёл» goes to the outbox and the arrival is marked when the registry is back "
                 "(queue), or only the ticket is printed, to show at the cabinet (no)", choices=("queue", "no"))
