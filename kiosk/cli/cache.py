"""``kiosk cache``: the offline cache for technicians.

``kiosk cache sync``: one full sync now (the registry of kiosk.ini; with ``kind = demo`` a demo registry
of its own on the same demo database), then the figures. Exit 0 when it worked, 1 when it did not.

``kiosk cache status [--json]``: the cache file's schema version, the last full and partial syncs,
counts and ages per kind, the registry as the running kiosk last saw it (online/offline and since when),
and the outbox counts by status. Read-only; no personal data is printed.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from typing import Any

from kiosk.clock import clock_from_environment
from kiosk.config import load_config
from kiosk.logs import configure_logging

EXIT_FAILED = 1
EXIT_UNUSABLE = 2  # the cache file, its key or the sync identity cannot be used (the message says why)


def _unusable(error: Exception) -> int:
    print(f"kiosk cache: {error}", file=sys.stderr)
    return EXIT_UNUSABLE


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("cache", help="the offline cache: sync it now, or show its state")
    commands = parser.add_subparsers(dest="cache_command", metavar="ACTION", required=True)
    sync = commands.add_parser("sync", help="one full sync now from the configured registry")
    sync.set_defaults(func=run_sync)
    status = commands.add_parser("status", help="syncs, counts and ages, online/offline, outbox")
    status.add_argument("--json", action="store_true", help="one JSON object instead of text")
    status.set_defaults(func=run_status)


def run_sync(args: argparse.Namespace) -> int:
    from kiosk.offline.factory import open_store, sync_source, timing
    from kiosk.offline.source import SyncIdentityError
    from kiosk.registry.factory import open_registry
    from offline_cache import CacheSchemaError, KeyFileError, SyncWorker

    config = load_config(args.config)
    configure_logging(config.logging.level)
    clock = clock_from_environment()
    try:
        store, _vault = open_store(config.cache, config.kiosk.data_dir)
    except (KeyFileError, CacheSchemaError) as error:
        return _unusable(error)
    registry, stop_registry = open_registry(config.registry, config.kiosk.data_dir, clock)
    try:
        try:
            source = sync_source(config.cache, config.registry.kind, registry)
        except SyncIdentityError as error:
            return _unusable(error)
        if source is None:
            print("kiosk cache sync: [cache] sync_identity_file is empty: nothing to sync as", file=sys.stderr)
            return EXIT_FAILED
        worker = SyncWorker(store, source, now=clock.now, monotonic=clock.monotonic, timing=timing(config.cache))
        report = worker.sync_full()
    finally:
        registry.close()
        if stop_registry is not None:
            stop_registry()
        store.close()
    if not report.ok:
        print(f"kiosk cache sync: failed: {report.detail}", file=sys.stderr)
        return EXIT_FAILED
    print(f"synced: {report.specialties} specialties, {report.doctors} doctors, {report.slots} free slots "
          f"({config.cache.days} days) into {config.cache.file}")
    return 0


def _age(stamp: str | None, now: datetime) -> str:
    if not stamp:
        return "never"
    seconds = int((now - datetime.fromisoformat(stamp)).total_seconds())
    if seconds < 120:
        return f"{seconds} s ago"
    if seconds < 7200:
        return f"{seconds // 60} min ago"
    return f"{seconds // 3600} h ago"


def collect_status(args: argparse.Namespace) -> dict[str, Any]:
    from kiosk.offline.factory import under
    from offline_cache import CacheStore

    config = load_config(args.config)
    now = clock_from_environment().now()
    path = under(config.kiosk.data_dir, config.cache.file)
    if not path.exists():
        return {"path": str(path), "exists": False, "now": now.isoformat()}
    store = CacheStore(path)
    try:
        status = store.status()
    finally:
        store.close()
    registry = status.pop("state").get("registry")
    from offline_cache.outbox import STATUSES

    status.update(exists=True, now=now.isoformat(), registry=registry,
                  outbox={name: status["outbox"].get(name, 0) for name in STATUSES})
    return status


def run_status(args: argparse.Namespace) -> int:
    from offline_cache import CacheSchemaError

    try:
        status = collect_status(args)
    except CacheSchemaError as error:
        return _unusable(error)
    if args.json:
        print(json.dumps(status, ensure_ascii=False, indent=2))
        return 0
    now = datetime.fromisoformat(status["now"])
    print(f"cache file: {status['path']}")
    if not status["exists"]:
        print("  not made yet (the kiosk makes it at start; `kiosk cache sync` fills it)")
        return 0
    print(f"  schema version {status['schema_version']}")
    for kind in ("full", "partial"):
        sync = status["syncs"].get(kind)
        if sync is None:
            print(f"last {kind} sync: never")
            continue
        state = "ok" if sync["ok"] else f"FAILED ({sync['detail']})"
        print(f"last {kind} sync: {sync['finished_at']} ({_age(sync['finished_at'], now)}), {state}; "
              f"last good one {_age(sync['last_ok_at'], now)}")
    for kind, figures in status["kinds"].items():
        line = f"  {kind}: {figures['count']}"
        if "oldest" in figures and figures["count"]:
            line += f", fetched {_age(figures['newest'], now)} (oldest {_age(figures['oldest'], now)})"
        print(line)
    registry = status["registry"]
    if registry is None:
        print("registry: not seen by a running kiosk yet")
    else:
        offline = registry["value"] == "unavailable"
        word = "OFFLINE" if offline else "online" if registry["value"] == "available" else registry["value"]
        print(f"registry: {word} since {registry['since']} ({_age(registry['since'], now)})"
              + (f": {registry['detail']}" if registry["detail"] else ""))
    print("outbox: " + ", ".join(f"{count} {name}" for name, count in status["outbox"].items()))
    return 0
