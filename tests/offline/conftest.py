"""The offline cache against real parts: the demo registry over loopback HTTP through the EMIAS client,
real SQLite files in a temporary data directory, the real registry health coordinator."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.clock import ManualClock
from kiosk.demo_registry import DemoRegistryHandle, start_demo_registry
from kiosk.health.config import HealthConfig
from kiosk.health.coordinator import HealthCoordinator
from kiosk.health.factory import registry_health
from kiosk.offline.config import CacheConfig
from kiosk.offline.factory import OfflineCache, open_offline
from kiosk.registry.emias import EmiasRegistry

HEALTH = HealthConfig(registry_interval=15, registry_timeout=2)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """The kiosk's data directory (the demo registry, which stands for the city's, keeps its file elsewhere)."""
    path = tmp_path / "kiosk-data"
    path.mkdir()
    return path


@pytest.fixture
def demo(tmp_path: Path, clock: ManualClock) -> Iterator[DemoRegistryHandle]:
    handle = start_demo_registry(tmp_path / "registry" / "demo.sqlite", seed=7, clock=clock)
    yield handle
    handle.stop()


@pytest.fixture
def client(demo: DemoRegistryHandle) -> Iterator[EmiasRegistry]:
    registry = EmiasRegistry(demo.url, connect_timeout=2, read_timeout=5, read_retries=0, call_deadline=5)
    yield registry
    registry.close()


@pytest.fixture
def health(client: EmiasRegistry, clock: ManualClock) -> HealthCoordinator:
    """The registry's coordinator; tests run its probe by hand (``probe_once``), no thread."""
    return registry_health(client, HEALTH, clock)


@pytest.fixture
def offline(data_dir: Path, client: EmiasRegistry, health: HealthCoordinator,
            clock: ManualClock) -> Iterator[OfflineCache]:
    cfg = CacheConfig(file=data_dir / "cache.sqlite", key_file=data_dir / "cache.key")
    cache = open_offline(cfg, data_dir, "demo", client, health, clock)
    yield cache
    cache.close()
