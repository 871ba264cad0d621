"""From the start screen to the menu by a scan, in the real window: the demo strip's virtual scanner (a pty
inside the kiosk), and a scanner emulator on a pty configured as a serial scanner — a foreign code, a
scanned number, unplugging and replugging as a patient and a technician would see them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from devices.scanner.virtual_scanner import VirtualScanner
from kiosk.app.pilot import open_pilot
from kiosk.clock import ManualClock
from kiosk.demo_registry import DEMO_PATIENTS
from screens.pilot import Pilot
from tests.ui.conftest import demo_config

pytestmark = pytest.mark.ui
SERGEY = DEMO_PATIENTS[1]


def scanner_ready(pilot: Pilot) -> None:
    welcome = pilot.screen("welcome")
    pilot.wait_until(lambda: "сканер" in welcome.notice_text.lower() and not welcome.notice_problem,
                     "the scanner hint on the start screen")


def test_demo_strip_scans_the_paper_policy_to_the_menu(tmp_path: Path, window_ready: None,
                                                       clock: ManualClock) -> None:
    from screens.app import DEMO_SCAN

    pilot = open_pilot(demo_config(tmp_path, scanner__kind="virtual"), clock)
    try:
        scanner_ready(pilot)
        button = next(w for w in pilot.root.children if getattr(w, "test_id", None) == DEMO_SCAN)
        pilot.tap(button)
        pilot.wait_step("menu")
        assert pilot.screen("menu").patient_name == "Петров С. Н."
        assert pilot.app.session.identity is not None and pilot.app.session.identity.source.value == "scanner"
    finally:
        pilot.close()


@pytest.fixture
def serial_scanner(tmp_path: Path) -> Iterator[VirtualScanner]:
    emulator = VirtualScanner(link=tmp_path / "ttyACM0")
    yield emulator
    emulator.close()


@pytest.fixture
def scan_pilot(tmp_path: Path, window_ready: None, clock: ManualClock,
               serial_scanner: VirtualScanner) -> Iterator[Pilot]:
    config = demo_config(tmp_path, scanner__kind="serial", scanner__port=serial_scanner.port,
                         scanner__framing="suffix", scanner__reopen_interval="0.2")
    pilot = open_pilot(config, clock)
    yield pilot
    pilot.close()


def test_a_foreign_code_then_a_scanned_number_then_the_birth_date(scan_pilot: Pilot,
                                                                  serial_scanner: VirtualScanner) -> None:
    pilot = scan_pilot
    scanner_ready(pilot)
    serial_scanner.scan(b"https://www.gosuslugi.ru/qr/7700000000000024", b"\r")  # e.g. the digital policy's QR
    pilot.wait_step("identify")
    keypad = pilot.screen("identify")
    pilot.wait_until(lambda: keypad.error_text != "", "the message")
    assert keypad.error_text == "Этот код не подходит — введите номер полиса"
    serial_scanner.scan(SERGEY.policy.encode(), b"\r", pieces=[5, 5], pause=0.02)
    pilot.wait_until(lambda: keypad.policy_digits == SERGEY.policy, "the scanned number in the field")
    assert keypad.field == "birth" and keypad.error_text == ""
    assert "дату рождения" in keypad.policy_hint
    pilot.type_digits(SERGEY.birth_date.strftime("%d%m%Y"))  # 8 taps instead of 24
    pilot.tap_id("next", "identify")
    pilot.wait_step("menu")
    assert pilot.screen("menu").patient_name == "Петров С. Н."


def test_unplugged_scanner_is_told_on_the_start_screen_and_comes_back(scan_pilot: Pilot,
                                                                      serial_scanner: VirtualScanner) -> None:
    pilot = scan_pilot
    scanner_ready(pilot)
    welcome = pilot.screen("welcome")
    serial_scanner.unplug()
    pilot.wait_until(lambda: welcome.notice_problem, "the 'scanner not working' notice")
    assert "Сканер сейчас не работает" in welcome.notice_text
    serial_scanner.replug()
    scanner_ready(pilot)
    serial_scanner.scan(b"7700000000000024", b"\r")
    pilot.wait_until(lambda: pilot.screen("identify").policy_digits == SERGEY.policy, "a scan after replugging")


def test_the_tickets_qr_on_the_day_confirms_the_arrival(scan_pilot: Pilot, serial_scanner: VirtualScanner,
                                                         clock: ManualClock, tmp_path: Path) -> None:
    """The QR code this kiosk printed (sealed with its ticket key in data_dir) checks Сергей in, no typing."""
    from datetime import timedelta

    from kiosk.domain import PatientKey
    from kiosk.tickets.check_in_pass import load_ticket_key, seal

    pilot = scan_pilot
    scanner_ready(pilot)
    key = PatientKey(SERGEY.policy, SERGEY.birth_date)
    visit = pilot.app.services.registry.appointments(key)[0]
    clock.set(visit.start - timedelta(minutes=20))  # kiosk and demo registry share the clock
    ticket_key = load_ticket_key(tmp_path / "ticket-pass.key", create=False)
    serial_scanner.scan(seal(ticket_key, key, visit.appointment_id, visit.start.date()).encode(), b"\r")
    pilot.wait_step("done")
    done = pilot.screen("done")
    assert done.title == "Ваш приход отмечен"
    assert visit.room in done.summary and "Проходите к кабинету" in done.summary


def test_a_keyboard_style_scanner_types_the_number_into_the_window(tmp_path: Path, window_ready: None,
                                                                    clock: ManualClock) -> None:
    """A USB HID scanner is a keyboard: its keys reach the window, Enter ends the code."""
    pilot = open_pilot(demo_config(tmp_path), clock)  # [scanner] kind = none: the keyboard still counts
    try:
        pilot.wait_step("welcome")
        for char in "7700 0000 0000 0024":
            pilot.window.dispatch("on_key_down", ord(char), 0, char, [])
        pilot.window.dispatch("on_key_down", 13, 40, None, [])
        pilot.wait_step("identify")
        keypad = pilot.screen("identify")
        pilot.wait_until(lambda: keypad.policy_digits == SERGEY.policy, "the typed code in the field")
        for char in "https://x.ru":
            pilot.window.dispatch("on_key_down", ord(char), 0, char, [])
        pilot.window.dispatch("on_key_down", 13, 40, None, [])
        pilot.wait_until(lambda: keypad.error_text != "", "the message for a foreign code")
        assert keypad.error_text == "Этот код не подходит — введите номер полиса"
    finally:
        pilot.close()
