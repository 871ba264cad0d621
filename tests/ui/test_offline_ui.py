"""The registry goes down while the kiosk runs: a real Kivy window driven by taps, the kiosk as in
production (kind = emias) against a demo registry it did not start, its cache filled by its own sync.

The patient browses the cached schedule with «Нет связи с регистратурой. Расписание на …» on the
screens, is refused a new booking with the reason, and takes the queue ticket offered on that very
screen; their appointments known to this kiosk are shown with «список может быть неполным»."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.app.pilot import open_pilot
from kiosk.clock import ManualClock
from kiosk.demo_registry import DEMO_PATIENTS, DemoRegistryHandle, start_demo_registry
from kiosk.domain import PatientKey
from kiosk.format import clock as hh_mm
from kiosk.health.state import HealthStatus
from kiosk.offline.source import demo_sync_identity
from screens.pilot import Pilot
from screens.walkthrough import identify_by_keypad, open_schedule, start_booking
from tests.ui.conftest import demo_config

pytestmark = pytest.mark.ui
PATIENT = next(p for p in DEMO_PATIENTS if p.kind == "attached, appointments")


@pytest.fixture
def registry(tmp_path: Path, clock: ManualClock) -> Iterator[DemoRegistryHandle]:
    with start_demo_registry(tmp_path / "city-registry" / "registry.sqlite", 2026, clock=clock) as handle:
        yield handle


@pytest.fixture
def pilot(tmp_path: Path, window_ready: None, registry: DemoRegistryHandle, clock: ManualClock) -> Iterator[Pilot]:
    identity = tmp_path / "sync-identity"
    service = demo_sync_identity()
    identity.write_text(f"{service.policy} {service.birth_date.isoformat()}\n")
    identity.chmod(0o600)
    config = demo_config(tmp_path, registry__kind="emias", registry__url=registry.url, registry__retry_backoff="0",
                         cache__sync_identity_file=str(identity))
    driver = open_pilot(config, clock)
    yield driver
    driver.close()


def go_offline(pilot: Pilot, registry: DemoRegistryHandle) -> None:
    registry.down()
    coordinator = pilot.app.services.health["registry"]
    pilot.wait_until(lambda: coordinator.probe_once().status is HealthStatus.UNAVAILABLE, "the registry offline")


def synced(pilot: Pilot) -> None:
    offline = pilot.app.services.offline
    assert offline is not None
    pilot.wait_until(lambda: offline.store.status()["syncs"].get("full", {}).get("ok", False), "the first sync")


def test_offline_the_patient_browses_the_cached_schedule_and_takes_a_queue_ticket_instead_of_booking(
        pilot: Pilot, registry: DemoRegistryHandle, clock: ManualClock) -> None:
    synced(pilot)
    synced_at = hh_mm(clock.now())
    key = PatientKey(PATIENT.policy, PATIENT.birth_date)
    pilot.app.services.registry.identify(key)  # seen here before (the card or keypad of an earlier visit)
    clock.advance(15 * 60)
    go_offline(pilot, registry)

    start_booking(pilot, PATIENT.policy, PATIENT.birth_date)
    note = f"Нет связи с регистратурой. Расписание на {synced_at}."
    assert pilot.screen("specialty").offline_text == note
    open_schedule(pilot)
    assert pilot.screen("doctor").offline_text == note
    assert pilot.screen("slot").offline_text == note
    day = pilot.app.session.book.state.day
    assert day is not None and day.slots
    pilot.tap(pilot.screen("slot").button(f"slot-{day.slots[0].start.strftime('%H%M')}"))
    pilot.wait_step("confirm")
    pilot.tap_id("confirm", "confirm")
    confirm = pilot.screen("confirm")
    pilot.wait_until(lambda: confirm.walk_in_offered and not pilot.app.session.status.busy, "the queue ticket offer")
    assert "Нет связи с регистратурой" in confirm.error_text and "талон" in confirm.error_text.lower()
    assert pilot.app.session.screen == "confirm"  # on that very screen
    pilot.tap_id("walk_in", "confirm")
    pilot.wait_step("done")
    receipt = pilot.app.session.receipt
    assert receipt is not None and receipt.walk_in_number
    registry.up()
    booked = [a for a in registry_appointments(pilot, key) if a.start == day.slots[0].start]  # type: ignore[attr-defined]
    assert booked == []  # nothing was booked behind the patient's back


def nav_button(pilot: Pilot, screen: str, name: str) -> object:
    from screens.widgets import NavBar

    bar = next(w for w in pilot.screen(screen).walk() if isinstance(w, NavBar))
    return bar.ids[name]


def registry_appointments(pilot: Pilot, key: PatientKey) -> list[object]:
    return list(pilot.app.services.registry.inner.appointments(key))  # type: ignore[attr-defined]


def test_offline_the_patient_sees_the_appointments_this_kiosk_knows(
        pilot: Pilot, registry: DemoRegistryHandle, clock: ManualClock) -> None:
    synced(pilot)
    identify_by_keypad(pilot, PATIENT.policy, PATIENT.birth_date, errand="visits")
    online = [a.appointment_id for a in pilot.app.session.visits.state.visits]
    assert online and pilot.screen("visits").offline_text == ""
    seen_at = hh_mm(clock.now())
    pilot.tap(nav_button(pilot, "visits", "home"))
    pilot.wait_step("welcome")

    clock.advance(5 * 60)
    go_offline(pilot, registry)
    identify_by_keypad(pilot, PATIENT.policy, PATIENT.birth_date, errand="visits")
    assert [a.appointment_id for a in pilot.app.session.visits.state.visits] == online
    text = pilot.screen("visits").offline_text
    assert text.startswith("Нет связи с регистратурой.") and seen_at in text and "неполным" in text


def test_offline_a_cancel_is_accepted_into_the_outbox_and_reaches_the_registry_when_it_is_back(
        pilot: Pilot, registry: DemoRegistryHandle, clock: ManualClock) -> None:
    synced(pilot)
    key = PatientKey(PATIENT.policy, PATIENT.birth_date)
    identify_by_keypad(pilot, PATIENT.policy, PATIENT.birth_date, errand="visits")
    pilot.tap(nav_button(pilot, "visits", "home"))
    pilot.wait_step("welcome")
    go_offline(pilot, registry)

    identify_by_keypad(pilot, PATIENT.policy, PATIENT.birth_date, errand="visits")
    session, screen = pilot.app.session, pilot.screen("visits")
    last = session.visits.state.visits[-1]
    pilot.tap(screen.button(f"cancel-{last.appointment_id}"))
    pilot.wait_until(lambda: screen.cancel_text != "", "the second question")
    pilot.tap_id("cancel_yes", "visits")
    pilot.wait_until(lambda: not session.status.busy and session.visits.state.notice is not None, "the answer")
    assert screen.notice_text.startswith("Отмена принята и будет передана в регистратуру")
    assert screen.error_text == ""
    offline = pilot.app.services.offline
    assert offline is not None and [a.status for a in offline.outbox.listed()] == ["pending"]

    registry.up()
    coordinator = pilot.app.services.health["registry"]
    pilot.wait_until(lambda: coordinator.probe_once().status is HealthStatus.AVAILABLE, "the registry back")
    # the coordinator asked the sync for a full round, which delivers the outbox on the sync thread
    pilot.wait_until(lambda: [a.status for a in offline.outbox.listed()] == ["confirmed"], "the outbox drained")
    assert last.appointment_id not in [a.appointment_id for a in registry_appointments(pilot, key)]
