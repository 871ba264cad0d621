"""At start the kiosk checks the cache file's schema version and the key file: one it cannot use is
logged with its path and the fix, and the kiosk runs live only instead of not at all."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

from kiosk.clock import ManualClock
from kiosk.health.coordinator import HealthCoordinator
from kiosk.offline.config import CacheConfig
from kiosk.offline.factory import open_offline_or_none
from kiosk.registry.emias import EmiasRegistry
from offline_cache import SCHEMA_VERSION


def config(data_dir: Path, **changes: object) -> CacheConfig:
    values: dict[str, object] = {"file": data_dir / "cache.sqlite", "key_file": data_dir / "cache.key", **changes}
    return CacheConfig(**values)  # type: ignore[arg-type]


def test_a_cache_file_from_a_newer_kiosk_turns_the_cache_off_with_a_clear_log(
        data_dir: Path, client: EmiasRegistry, health: HealthCoordinator, clock: ManualClock,
        caplog: pytest.LogCaptureFixture) -> None:
    path = data_dir / "cache.sqlite"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 3}")
    conn.close()
    with caplog.at_level(logging.ERROR):
        assert open_offline_or_none(config(data_dir), data_dir, "demo", client, health, clock) is None
    assert str(path) in caplog.text and "newer" in caplog.text


def test_a_key_file_others_may_read_turns_the_cache_off(
        data_dir: Path, client: EmiasRegistry, health: HealthCoordinator, clock: ManualClock,
        caplog: pytest.LogCaptureFixture) -> None:
    key = data_dir / "cache.key"
    key.write_text("00" * 64 + "\n")
    key.chmod(0o644)
    with caplog.at_level(logging.ERROR):
        assert open_offline_or_none(config(data_dir), data_dir, "demo", client, health, clock) is None
    assert str(key) in caplog.text and "chmod 600" in caplog.text
    assert not (data_dir / "cache.sqlite").exists()


def test_a_bad_sync_identity_turns_the_cache_off(
        data_dir: Path, client: EmiasRegistry, health: HealthCoordinator, clock: ManualClock,
        caplog: pytest.LogCaptureFixture) -> None:
    identity = data_dir / "identity"
    identity.write_text("not an identity\n")
    identity.chmod(0o600)
    with caplog.at_level(logging.ERROR):
        assert open_offline_or_none(config(data_dir, sync_identity_file=identity), data_dir, "emias", client,
                                    health, clock) is None
    assert str(identity) in caplog.text and "POLICY YYYY-MM-DD" in caplog.text


def test_a_good_cache_opens_and_a_real_registry_without_identity_has_no_sync(
        data_dir: Path, client: EmiasRegistry, health: HealthCoordinator, clock: ManualClock) -> None:
    cache = open_offline_or_none(config(data_dir), data_dir, "emias", client, health, clock)
    assert cache is not None and cache.worker is None
    cache.start()
    cache.close()
