"""The offline walk-through of ``bash .ci/demo --offline``, in a real Kivy window driven by taps: the
kiosk (kind = emias, its own cache and sync) against a demo registry on loopback that goes down and comes
back. Afterwards the demo registry's own database shows the queued cancel and check-in applied once."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.app.pilot import open_pilot
from kiosk.clock import ManualClock
from kiosk.demo_registry import DEMO_PATIENTS, DemoRegistryHandle, start_demo_registry
from kiosk.offline.source import demo_sync_identity
from screens.pilot import Pilot
from screens.walkthrough_offline import walk_through_offline
from tests.ui.conftest import demo_config

pytestmark = pytest.mark.ui
PATIENT = DEMO_PATIENTS[1]  # a visit today and appointments after it
REGISTRY_DB = "city-registry/registry.sqlite"


@pytest.fixture
def registry(tmp_path: Path, clock: ManualClock) -> Iterator[DemoRegistryHandle]:
    with start_demo_registry(tmp_path / REGISTRY_DB, 2026, clock=clock) as handle:
        yield handle


@pytest.fixture
def pilot(tmp_path: Path, window_ready: None, registry: DemoRegistryHandle, clock: ManualClock) -> Iterator[Pilot]:
    identity = tmp_path / "sync-identity"
    service = demo_sync_identity()
    identity.write_text(f"{service.policy} {service.birth_date.isoformat()}\n")
    identity.chmod(0o600)
    (tmp_path / "data").mkdir()
    config = demo_config(tmp_path / "data", registry__kind="emias", registry__url=registry.url,
                         registry__retry_backoff="0", cache__sync_identity_file=str(identity))
    driver = open_pilot(config, clock)
    yield driver
    driver.close()


def test_the_offline_walk_through_queues_a_cancel_and_a_check_in_that_reach_the_registry_once(
        pilot: Pilot, registry: DemoRegistryHandle, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="kiosk.ticket_desk")
    shots = tmp_path / "shots"
    shots.mkdir()
    result = walk_through_offline(pilot, (PATIENT.policy, PATIENT.birth_date), registry.down, registry.up, shots)
    text = "\n".join(result.lines)
    assert "cached schedule shown: «Нет связи с регистратурой. Расписание на" in text
    assert "booking refused: «Нет связи с регистратурой" in text and "queue ticket taken instead: Р-" in text
    assert result.screenshots and all(p.is_file() for p in result.screenshots)
    offline = pilot.app.services.offline
    assert offline is not None
    actions = offline.outbox.listed()
    assert actions and {a.status for a in actions} == {"confirmed"}, text
    conn = sqlite3.connect(tmp_path / REGISTRY_DB)
    try:
        for action in actions:
            state, arrived = conn.execute("SELECT state, checked_in_at FROM appointment WHERE id = ?",
                                          (int(action.payload["appointment_id"]),)).fetchone()
            assert (state == "CANCELLED") if action.kind == "cancel" else (arrived is not None), action
    finally:
        conn.close()
    kinds = sorted(a.kind for a in actions)
    # the check-in is queued when the demo patient's visit is today and its window open at the test's instant
    assert kinds == ["cancel", "check_in"] or (kinds == ["cancel"] and "no visit to check in to today" in text), text
    if "check_in" in kinds:
        assert "check-in queued: «Электронная регистратура сейчас не отвечает" in text, text
        assert "final screen: «Принято: приход будет передан в регистратуру»" in text, text
    receipts = [line for line in caplog.messages if line.startswith("receipt for outbox action")]
    assert len(receipts) == len(actions)  # one printed receipt per queued action
