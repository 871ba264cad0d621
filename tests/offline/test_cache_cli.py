"""`kiosk cache sync` and `kiosk cache status` as a technician runs them: the real command in a process,
on a copy of the shipped kiosk.ini (the embedded demo registry), real files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from kiosk.clock import ManualClock
from kiosk.config.edit import ini_with
from kiosk.demo_registry import DemoRegistryHandle
from kiosk.health.coordinator import HealthCoordinator
from kiosk.offline.factory import OfflineCache
from kiosk.offline.source import demo_sync_identity
from offline_cache import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[2]


def kiosk(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk", "--config", str(config), *args], cwd=config.parent,
                          capture_output=True, text=True, timeout=120)


def shipped_ini(directory: Path, **overrides: str) -> Path:
    """The shipped file with ``section__key=value`` changed (kiosk.config.edit.ini_with)."""
    config = directory / "kiosk.ini"
    values = {tuple(name.split("__")): value for name, value in overrides.items()}
    config.write_text(ini_with((ROOT / "kiosk.ini").read_text(encoding="utf-8"), values), encoding="utf-8")  # type: ignore[arg-type]
    return config


def test_sync_fills_the_cache_and_status_reports_it(tmp_path: Path) -> None:
    config = shipped_ini(tmp_path)
    before = json.loads(kiosk(config, "cache", "status", "--json").stdout)
    assert before["exists"] is False

    synced = kiosk(config, "cache", "sync")
    assert synced.returncode == 0, synced.stderr
    assert "specialties" in synced.stdout and "free slots" in synced.stdout
    status = json.loads(kiosk(config, "cache", "status", "--json").stdout)
    assert status["exists"] and status["schema_version"] == SCHEMA_VERSION
    assert status["syncs"]["full"]["ok"] and status["syncs"].get("partial") is None
    assert status["kinds"]["specialties"]["count"] > 0 and status["kinds"]["slots"]["count"] > 0
    assert status["registry"] is None  # no running kiosk has looked at the registry yet
    assert status["outbox"] == {"pending": 0, "sent": 0, "confirmed": 0, "failed": 0, "discarded": 0}
    text = kiosk(config, "cache", "status")
    assert text.returncode == 0 and "last full sync" in text.stdout and ", ok;" in text.stdout
    assert (tmp_path / "var" / "cache.key").stat().st_mode & 0o077 == 0
    assert (tmp_path / "var" / "cache.sqlite").stat().st_mode & 0o077 == 0


def test_a_sync_that_cannot_reach_the_registry_says_so_and_fails(tmp_path: Path) -> None:
    config = shipped_ini(tmp_path, registry__kind="emias", registry__url="http://127.0.0.1:9/api/",
                         cache__sync_identity_file=str(tmp_path / "identity"))
    service = demo_sync_identity()
    (tmp_path / "identity").write_text("7700000000000017 1985-04-12\n")  # a wrong check digit
    (tmp_path / "identity").chmod(0o600)
    unusable = kiosk(config, "cache", "sync")
    assert unusable.returncode == 2 and "identity" in unusable.stderr and "check digit" in unusable.stderr
    assert "Traceback" not in unusable.stderr
    (tmp_path / "identity").write_text(f"{service.policy} {service.birth_date.isoformat()}\n")
    failed = kiosk(config, "cache", "sync")
    assert failed.returncode == 1 and "failed" in failed.stderr
    status = json.loads(kiosk(config, "cache", "status", "--json").stdout)
    assert status["syncs"]["full"]["ok"] is False and status["syncs"]["full"]["last_ok_at"] is None


def test_status_shows_the_registry_offline_as_the_kiosk_saw_it(
        offline: OfflineCache, demo: DemoRegistryHandle, health: HealthCoordinator, clock: ManualClock,
        data_dir: Path, tmp_path: Path) -> None:
    config = shipped_ini(tmp_path, kiosk__data_dir=str(data_dir), cache__file=str(data_dir / "cache.sqlite"),
                         cache__key_file=str(data_dir / "cache.key"))
    demo.down()
    health.probe_once()
    status = json.loads(kiosk(config, "cache", "status", "--json").stdout)
    assert status["registry"]["value"] == "unavailable"
    assert status["registry"]["since"] == clock.now().isoformat()
    assert "OFFLINE since" in kiosk(config, "cache", "status").stdout
