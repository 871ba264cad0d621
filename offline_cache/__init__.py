"""The local cache for offline operation: reference data, schedules and sealed personal data in one SQLite file.

Plain Python that imports nothing of the kiosk (an import-linter contract): the kiosk adapts its
registry port to :class:`~offline_cache.sync.Source` and its domain values to payload dicts.

- :mod:`offline_cache.schema`: numbered migrations and the schema version checked at start;
- :mod:`offline_cache.store`: :class:`CacheStore` (sqlite-utils, WAL, one writer);
- :mod:`offline_cache.crypto`: the 0600 key file, AES-GCM sealing, the HMAC lookup;
- :mod:`offline_cache.personal`: :class:`PersonalVault` (patients and appointments seen here);
- :mod:`offline_cache.sync`: :class:`SyncWorker` (full and partial syncs, backoff, its own thread);
- :mod:`offline_cache.outbox`: :class:`Outbox` (actions taken offline, sealed, with their status; the
  kiosk's sender delivers them).
"""

from offline_cache.crypto import KeyFileError, Sealer, SealError
from offline_cache.outbox import Outbox, OutboxError, QueuedAction
from offline_cache.personal import PersonalVault
from offline_cache.records import Cached, DoctorItem, Item, SlotItem
from offline_cache.schema import SCHEMA_VERSION, CacheSchemaError
from offline_cache.store import CacheStore
from offline_cache.sync import Source, SyncReport, SyncTiming, SyncWorker

__all__ = [
    "SCHEMA_VERSION",
    "CacheSchemaError",
    "CacheStore",
    "Cached",
    "DoctorItem",
    "Item",
    "KeyFileError",
    "Outbox",
    "OutboxError",
    "PersonalVault",
    "QueuedAction",
    "SealError",
    "Sealer",
    "SlotItem",
    "Source",
    "SyncReport",
    "SyncTiming",
    "SyncWorker",
]
