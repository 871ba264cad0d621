"""`kiosk outbox list/retry/discard` as a technician runs them: the real command in a process, real files;
the policy only masked, the birth date never."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from kiosk.clock import ManualClock
from kiosk.config.edit import ini_with
from kiosk.demo_registry import DEMO_PATIENTS
from kiosk.domain import PatientKey
from kiosk.offline.sender import CANCEL, queued_payload
from offline_cache import CacheStore, Outbox, Sealer
from offline_cache.outbox import FAILED

ROOT = Path(__file__).resolve().parents[2]
PATIENT = DEMO_PATIENTS[0]


def kiosk(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk", "--config", str(config), *args], cwd=config.parent,
                          capture_output=True, text=True, timeout=120)


def test_list_retry_and_discard(tmp_path: Path, clock: ManualClock) -> None:
    config = tmp_path / "kiosk.ini"
    config.write_text(ini_with((ROOT / "kiosk.ini").read_text(encoding="utf-8"), {}), encoding="utf-8")
    data = tmp_path / "var"
    outbox = Outbox(CacheStore(data / "cache.sqlite"), Sealer.from_key_file(data / "cache.key"))
    key = PatientKey(PATIENT.policy, PATIENT.birth_date)
    lookup = outbox.sealer.lookup(key.policy, key.birth_date)
    first = outbox.enqueue(CANCEL, lookup, queued_payload(key, 111), clock.now())
    second = outbox.enqueue(CANCEL, lookup, queued_payload(key, 222), clock.now())
    outbox.move(second, FAILED, clock.now(), "APPOINTMENT_RECEPTION_NOT_FOUND")
    outbox.store.close()

    listed = kiosk(config, "outbox", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert [(r["id"], r["status"]) for r in rows] == [(first, "pending"), (second, "failed")]
    assert rows[0]["patient"] == "7700 **** **** " + PATIENT.policy[-4:]
    text = kiosk(config, "outbox", "list").stdout
    for shown in (listed.stdout, text):
        assert PATIENT.policy not in shown and PATIENT.birth_date.isoformat() not in shown
    assert "APPOINTMENT_RECEPTION_NOT_FOUND" in text

    refused = kiosk(config, "outbox", "retry", str(first))
    assert refused.returncode == 1 and "pending: it cannot become pending" in refused.stderr
    assert kiosk(config, "outbox", "retry", str(second)).returncode == 0
    assert kiosk(config, "outbox", "discard", "999", "--reason", "x").returncode == 1
    discarded = kiosk(config, "outbox", "discard", str(first), "--reason", "patient seen at the desk")
    assert discarded.returncode == 0 and "discarded by a technician: patient seen at the desk" in discarded.stderr
    rows = json.loads(kiosk(config, "outbox", "list", "--json").stdout)
    assert [(r["status"], r["detail"]) for r in rows] == [("discarded", "patient seen at the desk"),
                                                          ("pending", "retry asked by a technician")]
    status = json.loads(kiosk(config, "cache", "status", "--json").stdout)
    assert status["outbox"]["pending"] == 1 and status["outbox"]["discarded"] == 1
