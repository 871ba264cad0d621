"""``kiosk doctor``'s cache and outbox lines against a real cache file: synced by ``kiosk cache sync`` from
the demo registry over HTTP, then aged by moving the doctor's clock (``KIOSK_TEST_NOW``), and an outbox with
real sealed actions in it."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.clock import ManualClock
from kiosk.demo_registry import DEMO_PATIENTS
from kiosk.domain import PatientKey
from kiosk.offline.sender import CANCEL, queued_payload
from offline_cache import CacheStore, Outbox, Sealer
from offline_cache.outbox import FAILED
from tests.fleet.support import write_ini

NO_READER = {"card_reader": {"kind": "none"}}


def cache_checks(capsys: pytest.CaptureFixture[str], ini: Path, monkeypatch: pytest.MonkeyPatch,
                 clock: ManualClock, later: timedelta = timedelta()) -> tuple[int, dict[str, dict[str, str]]]:
    monkeypatch.setenv("KIOSK_TEST_NOW", (clock.now() + later).isoformat())
    code = main(["--config", str(ini), "doctor", "--json"])
    report = json.loads(capsys.readouterr().out)
    return code, {check["check"]: check for check in report["checks"] if check["check"] in ("cache", "outbox")}


@pytest.fixture
def synced(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
           clock: ManualClock) -> Path:
    ini = write_ini(tmp_path, **NO_READER, cache={"days": "2"})
    monkeypatch.setenv("KIOSK_TEST_NOW", clock.now().isoformat())
    assert main(["--config", str(ini), "cache", "sync"]) == 0
    capsys.readouterr()
    return ini


def test_no_cache_file_yet_is_a_warning_with_the_fix(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch, clock: ManualClock) -> None:
    _code, checks = cache_checks(capsys, write_ini(tmp_path, **NO_READER), monkeypatch, clock)
    assert checks["cache"]["status"] == "warn"
    assert "no cache file yet" in checks["cache"]["summary"]
    assert "kiosk cache sync" in checks["cache"]["remedy"]
    assert checks["outbox"]["status"] == "skipped"


def test_a_disabled_cache_is_skipped(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch, clock: ManualClock) -> None:
    ini = write_ini(tmp_path, **NO_READER, cache={"enabled": "no"})
    _code, checks = cache_checks(capsys, ini, monkeypatch, clock)
    assert {c["status"] for c in checks.values()} == {"skipped"}


def test_freshness_follows_the_intervals(synced: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch, clock: ManualClock) -> None:
    # just synced (full only: the partial sync runs in the kiosk between full ones)
    _code, checks = cache_checks(capsys, synced, monkeypatch, clock)
    assert checks["cache"]["status"] == "ok", checks["cache"]
    assert "last full sync" in checks["cache"]["summary"]
    assert checks["outbox"]["status"] == "ok"
    assert checks["outbox"]["summary"].startswith("0 pending, 0 sent, 0 failed")
    # shipped: full_interval 3600, backoff_max 900 → late after 2 h 15 min, stale after the same for any sync
    code, checks = cache_checks(capsys, synced, monkeypatch, clock, timedelta(hours=3, minutes=30))
    assert checks["cache"]["status"] == "fail", checks["cache"]
    assert code != 0
    assert "3 h ago" in checks["cache"]["summary"]
    assert "kiosk cache sync" in checks["cache"]["remedy"]


def test_a_late_full_sync_with_fresh_partials_warns(synced: Path, capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch, clock: ManualClock) -> None:
    store = CacheStore(synced.parent / "var" / "cache.sqlite")
    at = clock.now() + timedelta(hours=3)
    store.record_sync("partial", at - timedelta(seconds=30), at - timedelta(seconds=10), ok=True)
    store.record_sync("full", at - timedelta(minutes=5), at - timedelta(minutes=4), ok=False,
                      detail="RegistryUnavailable: timed out")
    store.close()
    _code, checks = cache_checks(capsys, synced, monkeypatch, clock, timedelta(hours=3, minutes=30))
    assert checks["cache"]["status"] == "warn", checks["cache"]
    assert "late" in checks["cache"]["summary"]
    assert "last attempt failed: RegistryUnavailable: timed out" in checks["cache"]["summary"]


def test_outbox_waiting_and_failed_actions(synced: Path, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch, clock: ManualClock) -> None:
    data = synced.parent / "var"
    outbox = Outbox(CacheStore(data / "cache.sqlite"), Sealer.from_key_file(data / "cache.key"))
    patient = DEMO_PATIENTS[0]
    key = PatientKey(patient.policy, patient.birth_date)
    lookup = outbox.sealer.lookup(key.policy, key.birth_date)
    outbox.enqueue(CANCEL, lookup, queued_payload(key, 111), clock.now())
    outbox.store.close()
    _code, checks = cache_checks(capsys, synced, monkeypatch, clock, timedelta(minutes=5))
    assert checks["outbox"]["status"] == "ok", checks["outbox"]
    assert checks["outbox"]["summary"] == "1 pending, 0 sent, 0 failed; oldest waits 5 min"
    # shipped partial_interval 300, backoff_max 900: stuck after 25 min
    _code, checks = cache_checks(capsys, synced, monkeypatch, clock, timedelta(minutes=40))
    assert checks["outbox"]["status"] == "warn", checks["outbox"]
    assert "oldest waits 40 min" in checks["outbox"]["summary"]

    outbox = Outbox(CacheStore(data / "cache.sqlite"), Sealer.from_key_file(data / "cache.key"))
    second = outbox.enqueue(CANCEL, lookup, queued_payload(key, 222), clock.now())
    outbox.move(second, FAILED, clock.now(), "APPOINTMENT_RECEPTION_NOT_FOUND")
    outbox.store.close()
    code, checks = cache_checks(capsys, synced, monkeypatch, clock, timedelta(minutes=5))
    assert code != 0
    assert checks["outbox"]["status"] == "fail"
    assert "1 failed" in checks["outbox"]["summary"]
    assert "service screen" in checks["outbox"]["remedy"]
    text = json.dumps(checks)
    assert patient.policy not in text and patient.birth_date.isoformat() not in text


def test_an_unreadable_cache_file_fails_with_the_fix(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch, clock: ManualClock) -> None:
    ini = write_ini(tmp_path, **NO_READER)
    (tmp_path / "var").mkdir(exist_ok=True)
    (tmp_path / "var" / "cache.sqlite").write_bytes(b"not a database at all" * 100)
    code, checks = cache_checks(capsys, ini, monkeypatch, clock)
    assert code != 0
    assert checks["cache"]["status"] == "fail"
    assert "move the file away" in checks["cache"]["remedy"]
