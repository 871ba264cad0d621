"""The service screen's offline part by taps on the real window: the cache and outbox lines, the outbox's
actions listed masked, a failed one retried and a pending one discarded with a chosen reason, a sync now
against the embedded demo registry over HTTP into the real cache file; every action logged with the
technician's session. The demo kiosk has no card reader here, so the card test says so."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.clock import ManualClock
from kiosk.demo_registry import DEMO_PATIENTS
from kiosk.domain import PatientKey, mask_policy
from kiosk.offline.sender import CANCEL, queued_payload
from kiosk.service_mode.pin import write_pin_file
from offline_cache.outbox import DISCARDED, FAILED, PENDING
from tests.ui.conftest import demo_config
from tests.ui.test_service_ui import PIN, hold_corner, type_pin

pytestmark = pytest.mark.ui

ANNA = DEMO_PATIENTS[0]


@pytest.fixture
def opened(tmp_path: Path, window_ready: None, clock: ManualClock) -> Iterator[tuple[Any, Any]]:
    from kiosk.app.pilot import open_pilot

    pin_file = tmp_path / "service-pin"
    write_pin_file(pin_file, PIN)
    config = demo_config(tmp_path, service__pin_file=str(pin_file), service__long_press="2",
                         service__corner="top_right", service__idle_timeout="600")
    driver = open_pilot(config, clock)
    offline = driver.app.services.offline
    assert offline is not None and offline.worker is not None
    # the kiosk's own first full sync (and its outbox round) ends before anything is queued; the next waits
    # for the pinned clock's partial interval, so only the technician's taps move the outbox below
    driver.wait_until(lambda: offline.worker.last_report is not None, "the kiosk's first sync", 120)
    time.sleep(0.5)
    key = PatientKey(ANNA.policy, ANNA.birth_date)
    lookup = offline.outbox.sealer.lookup(key.policy, key.birth_date)
    offline.outbox.enqueue(CANCEL, lookup, queued_payload(key, 111), clock.now())
    refused = offline.outbox.enqueue(CANCEL, lookup, queued_payload(key, 222), clock.now())
    offline.outbox.move(refused, FAILED, clock.now(), "APPOINTMENT_RECEPTION_NOT_FOUND")
    panel = hold_corner(driver)
    type_pin(driver, panel, PIN)
    assert panel.opened
    yield driver, panel
    driver.close()


def test_outbox_retry_discard_and_sync_by_taps(opened: tuple[Any, Any], caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="kiosk.service_mode")
    pilot, panel = opened
    desk = pilot.app.services.service
    outbox = pilot.app.services.offline.outbox
    pending, failed = (a.action_id for a in outbox.listed((PENDING, FAILED)))
    assert "cache:" in panel.status_text and "outbox: 1 pending, 0 sent, 1 failed" in panel.status_text
    lines = [child.children[-1].text for child in panel.ids.outbox_rows.children]
    assert len(lines) == 2 and all(mask_policy(ANNA.policy) in line for line in lines)
    assert ANNA.policy not in panel.status_text + " ".join(lines)
    assert ANNA.birth_date.isoformat() not in " ".join(lines)
    assert panel.ids[f"outbox_{pending}_retry"].disabled  # only a refused action is sent again by hand

    pilot.pump(3)  # the rows are laid out
    pilot.tap(panel.ids[f"outbox_{failed}_retry"])
    pilot.wait_until(lambda: "pending again" in panel.message, "the retry's outcome")
    assert outbox.get(failed).status == PENDING

    pilot.tap(panel.ids[f"outbox_{pending}_discard"])
    assert panel.discarding == pending
    pilot.pump(3)
    pilot.tap(panel.ids.reason_1)
    pilot.wait_until(lambda: "discarded" in panel.message, "the discard's outcome")
    gone = outbox.get(pending)
    assert gone.status == DISCARDED and gone.detail == "patient's request"
    assert f"outbox_{pending}_discard" not in panel.ids  # the list shows what still waits

    pilot.tap(panel.ids.sync)
    pilot.wait_until(lambda: panel.message.startswith(("synced:", "sync failed")), "the sync's outcome", 120)
    assert panel.message.startswith("synced:") and "outbox: 1 confirmed" in panel.message, panel.message
    assert outbox.get(failed).status == "confirmed"  # its appointment is not in the registry: nothing to cancel
    assert "cache: fresh" in panel.status_text, panel.status_text

    pilot.tap(panel.ids.card_test)
    pilot.wait_until(lambda: "card reader" in panel.message, "the card test's outcome")
    assert panel.message == "no card reader here"

    technician = desk.technician
    logged = [r.getMessage() for r in caplog.records if r.name == "kiosk.service_mode"]
    for action in (f"outbox retry #{failed}", f"outbox discard #{pending}", "cache sync", "test card read"):
        assert any(line.startswith(f"service {technician}: {action}: ") for line in logged), (action, logged)
    assert not [line for line in logged if ANNA.policy in line or ANNA.birth_date.isoformat() in line]
