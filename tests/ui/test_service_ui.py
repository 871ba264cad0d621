"""The service screen by taps on the real window: a long press in the configured corner opens the PIN pad,
five wrong PINs lock it (the right one too, until the lockout ends on the pinned clock), the right PIN shows
the devices and recent errors, a test print goes through the printer, and the screen closes itself when
left alone. Every action is logged with the technician's session."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.clock import ManualClock
from kiosk.service_mode.pin import write_pin_file
from tests.ui.conftest import demo_config

pytestmark = pytest.mark.ui

PIN = "27182818"


@pytest.fixture
def service_pilot(tmp_path: Path, window_ready: None, clock: ManualClock) -> Iterator[Any]:
    from kiosk.app.pilot import open_pilot

    pin_file = tmp_path / "service-pin"
    write_pin_file(pin_file, PIN)
    config = demo_config(tmp_path, service__pin_file=str(pin_file), service__long_press="2",
                         service__corner="top_right", service__idle_timeout="60", metrics__port="0")
    driver = open_pilot(config, clock)
    yield driver
    driver.close()


def hold_corner(pilot: Any) -> Any:
    from screens.pilot import Finger

    window = pilot.window
    finger = Finger(window.width - 10, window.height - 10)
    finger.down()
    pilot.wait_until(lambda: pilot.app.service_panel is not None, "the service panel after a long press", 15)
    finger.up()
    pilot.pump(3)
    return pilot.app.service_panel


def type_pin(pilot: Any, panel: Any, pin: str) -> None:
    for digit in pin:
        pilot.tap(panel.ids[f"pin_{digit}"])
    pilot.tap(panel.ids.pin_enter)


def test_a_short_tap_in_the_corner_opens_nothing(service_pilot: Any) -> None:
    from screens.pilot import Finger

    finger = Finger(service_pilot.window.width - 10, service_pilot.window.height - 10)
    finger.down()
    service_pilot.pump(3)
    finger.up()
    service_pilot.pump(3)
    import time

    time.sleep(2.5)
    service_pilot.pump(3)
    assert service_pilot.app.service_panel is None


def test_wrong_pin_five_times_then_the_right_one_after_the_lockout(
        service_pilot: Any, clock: ManualClock, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="kiosk.service_mode")
    panel = hold_corner(service_pilot)
    desk = service_pilot.app.services.service
    for attempt in range(1, 6):
        type_pin(service_pilot, panel, "11111111")
        assert panel.problem and not panel.opened
        assert (desk.gate.locked_for() > 0) is (attempt == 5)
    locked_message = panel.message
    type_pin(service_pilot, panel, PIN)
    assert not panel.opened and panel.message == locked_message  # locked: the right PIN too
    clock.advance(desk.cfg.lockout + 1)
    type_pin(service_pilot, panel, PIN)
    assert panel.opened
    assert "printer: available" in panel.status_text or "printer: unknown" in panel.status_text
    assert "registry:" in panel.status_text

    service_pilot.tap(panel.ids.test_print)
    service_pilot.wait_until(lambda: panel.message.startswith("printed"), "the test print's outcome")
    assert list((service_pilot.app.services.config.printer.path).glob("*.png"))  # the preview printer's page

    technician = desk.technician
    assert technician
    lines = [r.getMessage() for r in caplog.records if r.name == "kiosk.service_mode"]
    assert f"service {technician}: open: PIN accepted" in lines
    assert any(line.startswith(f"service {technician}: test print: printed") for line in lines)
    assert PIN not in " ".join(lines)

    service_pilot.tap(panel.ids.close)
    assert service_pilot.app.service_panel is None
    assert f"service {technician}: close: closed" in [r.getMessage() for r in caplog.records]


def test_it_closes_itself_when_left_alone(service_pilot: Any, clock: ManualClock) -> None:
    panel = hold_corner(service_pilot)
    type_pin(service_pilot, panel, PIN)
    assert panel.opened
    clock.advance(61)
    service_pilot.wait_until(lambda: service_pilot.app.service_panel is None, "the idle close", 10)
    assert service_pilot.app.services.service.technician is None
