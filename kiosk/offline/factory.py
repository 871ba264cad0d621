"""Build the offline cache from kiosk.ini: the file, the key, the sync worker and the caching registry."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from kiosk.clock import Clock
from kiosk.health.coordinator import HealthCoordinator
from kiosk.health.state import Health, HealthStatus
from kiosk.offline.caching import CachingRegistry
from kiosk.offline.config import CacheConfig
from kiosk.offline.sender import OutboxSender
from kiosk.offline.source import RegistrySource, SyncIdentityError, demo_sync_identity, read_sync_identity
from kiosk.registry.port import RegistryPort
from offline_cache import (
    CacheSchemaError,
    CacheStore,
    KeyFileError,
    Outbox,
    PersonalVault,
    Sealer,
    SyncTiming,
    SyncWorker,
)

log = logging.getLogger("kiosk.offline")


def under(data_dir: Path, path: Path) -> Path:
    return path if path.is_absolute() else Path(data_dir) / path


@dataclass
class OfflineCache:
    store: CacheStore
    vault: PersonalVault
    #: None without a sync identity (a real registry and no [cache] sync_identity_file)
    worker: SyncWorker | None
    registry: CachingRegistry
    outbox: Outbox
    #: delivers the outbox after every good sync (on the sync thread)
    sender: OutboxSender

    def start(self) -> None:
        if self.worker is not None:
            self.worker.start()

    def close(self) -> None:
        if self.worker is not None:
            self.worker.stop()
            client = self.worker.source.registry if isinstance(self.worker.source, RegistrySource) else None
            if client is not None and client is not self.registry.inner:
                client.close()
        self.store.close()


def timing(cfg: CacheConfig) -> SyncTiming:
    return SyncTiming(days=cfg.days, partial_days=min(cfg.partial_days, cfg.days),
                      full_interval_s=cfg.full_interval, partial_interval_s=cfg.partial_interval,
                      backoff_max_s=cfg.backoff_max)


def open_store(cfg: CacheConfig, data_dir: Path) -> tuple[CacheStore, PersonalVault]:
    """The cache file (migrated; a newer schema is refused) and its sealed personal part."""
    sealer = Sealer.from_key_file(under(data_dir, cfg.key_file))
    store = CacheStore(under(data_dir, cfg.file))
    return store, PersonalVault(store, sealer)


def sync_source(cfg: CacheConfig, registry_kind: str, registry: RegistryPort) -> RegistrySource | None:
    """The sync's source, or None when there is no identity to read the clinic's lists as."""
    if cfg.sync_identity_file is not None:
        return RegistrySource(registry, read_sync_identity(cfg.sync_identity_file))
    if registry_kind == "demo":
        return RegistrySource(registry, demo_sync_identity())
    log.warning("[cache] sync_identity_file is empty: no background sync; the cache keeps only what "
                "patients' own requests fetched")
    return None


def open_offline(cfg: CacheConfig, data_dir: Path, registry_kind: str, inner: RegistryPort,
                 health: HealthCoordinator, clock: Clock, sync_client: RegistryPort | None = None) -> OfflineCache:
    """Nothing starts here: :meth:`OfflineCache.start` starts the sync thread.

    ``sync_client``: the registry client the sync reads with (default ``inner``; the composition root
    gives it a client of its own)."""
    source = sync_source(cfg, registry_kind, sync_client or inner)
    store, vault = open_store(cfg, data_dir)

    def offline() -> bool:
        return health.current.status is HealthStatus.UNAVAILABLE

    # the outbox is delivered on the sync thread after every good sync, so only with a sync are actions queued
    outbox = Outbox(store, vault.sealer)
    sender = OutboxSender(outbox, inner, clock, is_online=lambda: not offline())
    worker = None if source is None else SyncWorker(store, source, now=clock.now, monotonic=clock.monotonic,
                                                    timing=timing(cfg), is_online=lambda: not offline(),
                                                    after_sync=sender.deliver_all)
    # purge personal data whose day has passed on every start; the sync's own day roll drops old slots
    gone = vault.purge(clock.today())
    if gone:
        log.info("cache: %d personal rows past their day purged", gone)
    def still_offline() -> bool:  # before refusing a write: one fresh probe, so one lost probe refuses nothing
        return health.probe_once().status is HealthStatus.UNAVAILABLE

    registry = CachingRegistry(inner, store, vault, clock, offline, cfg, recheck=still_offline,
                               outbox=outbox if worker is not None else None)
    was_down = [False]

    def back_online(health_now: Health) -> None:  # the registry came back: refresh everything at once
        try:  # for `kiosk cache status`: online or offline, since when
            store.set_state("registry", health_now.status.value, health_now.since, health_now.detail)
        except Exception:
            log.exception("could not note the registry's health in the cache")
        if health_now.status is HealthStatus.UNAVAILABLE:
            was_down[0] = True
        elif health_now.status is HealthStatus.AVAILABLE and was_down[0]:
            was_down[0] = False
            if worker is not None:
                worker.request_full()

    health.subscribe(back_online, replay=False)
    return OfflineCache(store, vault, worker, registry, outbox, sender)


def open_offline_or_none(cfg: CacheConfig, data_dir: Path, registry_kind: str, inner: RegistryPort,
                         health: HealthCoordinator, clock: Clock,
                         sync_client: RegistryPort | None = None) -> OfflineCache | None:
    """:func:`open_offline`, or None when the cache cannot be used: the kiosk then runs live only.

    A cache file from a newer kiosk, a key file others may read, an unreadable sync identity: each is
    logged as an error naming the file and the fix; patients are still served while the registry answers.
    """
    try:
        return open_offline(cfg, data_dir, registry_kind, inner, health, clock, sync_client)
    except (CacheSchemaError, KeyFileError, SyncIdentityError) as error:
        log.error("the offline cache is off: %s", error)
        return None
