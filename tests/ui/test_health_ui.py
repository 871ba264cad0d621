"""The start screen tells a patient what they need to know before starting: a registry and a printer
switched off while the kiosk waits show a notice within the probe interval, and it goes away by itself
when they come back. Real parts: the demo registry on loopback (its socket closed and reopened) and a
serial printer emulator on a pty; the kiosk's clock is moved by one probe interval at a time."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from devices.printer.emulator import PtyPrinter
from kiosk.app.pilot import open_pilot
from kiosk.clock import ManualClock
from kiosk.demo_registry import DemoRegistryHandle, start_demo_registry
from screens.pilot import Pilot
from tests.ui.conftest import demo_config

pytestmark = pytest.mark.ui

INTERVAL = 15  # [health] registry_interval and printer_interval in these tests, seconds of the kiosk's clock


@pytest.fixture
def registry(tmp_path: Path, clock: ManualClock) -> Iterator[DemoRegistryHandle]:
    with start_demo_registry(tmp_path / "registry.sqlite", 2026, clock=clock) as handle:
        yield handle


@pytest.fixture
def printer() -> Iterator[PtyPrinter]:
    with PtyPrinter() as emulated:
        yield emulated


@pytest.fixture
def watched(tmp_path: Path, window_ready: None, registry: DemoRegistryHandle, printer: PtyPrinter,
            clock: ManualClock) -> Iterator[Pilot]:
    config = demo_config(tmp_path, registry__kind="emias", registry__url=registry.url, registry__read_retries="0",
                         printer__kind="serial", printer__serial_port=printer.port, printer__baudrate="115200",
                         health__registry_interval=str(INTERVAL), health__printer_interval=str(INTERVAL),
                         health__registry_timeout="2")
    pilot = open_pilot(config, clock)
    yield pilot
    pilot.close()


def next_probe(pilot: Pilot, clock: ManualClock) -> None:
    clock.advance(INTERVAL)
    pilot.pump(2)


def test_registry_and_printer_off_and_back_on_the_start_screen(
        watched: Pilot, registry: DemoRegistryHandle, printer: PtyPrinter, clock: ManualClock) -> None:
    pilot, welcome = watched, watched.screen("welcome")
    pilot.wait_until(lambda: welcome.notice_text == "" and not welcome.notice_problem, "a quiet start screen")
    health = pilot.app.services.health
    pilot.wait_until(lambda: all(h.status == "available" for h in health.snapshot()), "both probes answered")

    registry.down()
    next_probe(pilot, clock)
    pilot.wait_until(lambda: "регистратура сейчас не отвечает" in welcome.notice_text, "the registry notice")
    assert welcome.notice_problem and "Принтер" not in welcome.notice_text

    printer.set(paper_out=True)
    next_probe(pilot, clock)
    pilot.wait_until(lambda: "Принтер не работает" in welcome.notice_text, "the printer notice")
    assert "регистратура" in welcome.notice_text  # both, the registry first

    registry.up()
    printer.set(paper_out=False)
    next_probe(pilot, clock)
    pilot.wait_until(lambda: welcome.notice_text == "" and not welcome.notice_problem,
                     "the notices to go away by themselves")
    assert pilot.app.session.screen == "welcome"


def test_notices_follow_the_patients_language(
        watched: Pilot, registry: DemoRegistryHandle, clock: ManualClock) -> None:
    pilot, welcome = watched, watched.screen("welcome")
    registry.down()
    next_probe(pilot, clock)
    pilot.wait_until(lambda: "регистратура" in welcome.notice_text, "the registry notice")
    pilot.tap_id("language", "welcome")
    pilot.wait_until(lambda: "registry is not answering" in welcome.notice_text, "the notice in English")
