"""The session follows the card, over the real PC/SC stack: pcscd + vpcd + our virtual OMS card."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from devices.card.pcscd import PcscdProcess, pcscd_running
from devices.card.profile import load_profile
from devices.card.virtual_card import VirtualCard
from kiosk.app.pilot import open_pilot
from kiosk.clock import ManualClock
from kiosk.demo_registry import DEMO_PATIENTS
from screens.pilot import Pilot
from screens.walkthrough import start_booking
from tests.ui.conftest import demo_config

pytestmark = [pytest.mark.ui, pytest.mark.pcsc]
PATIENT = DEMO_PATIENTS[1]
OTHER = DEMO_PATIENTS[2]


def card_of(patient: object) -> VirtualCard:
    profile = load_profile("demo").with_owner(
        surname=patient.last_name, name=patient.first_name, patronymic=patient.middle_name,  # type: ignore[attr-defined]
        policy=patient.policy, birth_date=patient.birth_date.isoformat())  # type: ignore[attr-defined]
    return VirtualCard(profile)


def need_private_pcscd() -> None:
    """Same rule as tests/card: these tests start their own pcscd (root, and no other pcscd running)."""
    if os.geteuid() != 0:
        pytest.skip("starting pcscd needs root")
    if pcscd_running():
        pytest.skip("another pcscd is running on this machine")


@pytest.fixture
def pcscd() -> Iterator[PcscdProcess]:
    need_private_pcscd()
    with PcscdProcess() as process:
        yield process


@pytest.fixture
def card_pilot(tmp_path: Path, window_ready: None, pcscd: PcscdProcess, clock: ManualClock) -> Iterator[Pilot]:

    config = demo_config(tmp_path, card_reader__kind="pcsc")
    pilot = open_pilot(config, clock)
    yield pilot
    pilot.close()


def test_insert_identifies_remove_wipes_and_another_card_starts_anew(card_pilot: Pilot) -> None:
    pilot = card_pilot
    welcome = pilot.screen("welcome")
    pilot.wait_until(lambda: welcome.notice_text != "" and not welcome.notice_problem, "the reader to be ready")
    first = card_of(PATIENT)
    first.insert()
    try:
        pilot.wait_step("menu")
        assert pilot.app.session.patient is not None
        assert pilot.app.session.patient.key.policy == PATIENT.policy
        initials = f"{PATIENT.first_name[0]}. {PATIENT.middle_name[0]}."
        assert pilot.screen("menu").patient_name == f"{PATIENT.last_name} {initials}"
        pilot.tap_id("book", "menu")
        pilot.wait_step("specialty")
        pilot.tap(pilot.screen("specialty").choice(f"specialty-{pilot.app.session.book.state.specialties[0].code}"))
        pilot.wait_step("doctor")
        removed_at = time.monotonic()
    finally:
        first.remove()
    pilot.wait_step("welcome")
    took = time.monotonic() - removed_at
    print(f"card removed -> welcome screen in {took:.2f} s")  # reported, not asserted (no wall-clock asserts)
    assert pilot.app.session.patient is None
    assert pilot.screen("doctor").title == ""
    second = card_of(OTHER)
    second.insert()
    try:
        pilot.wait_step("menu")
        assert pilot.app.session.patient is not None
        assert pilot.app.session.patient.key.policy == OTHER.policy
    finally:
        second.remove()
    pilot.wait_step("welcome")


def test_a_bank_card_gets_a_message_and_the_keypad(card_pilot: Pilot) -> None:
    pilot = card_pilot
    welcome = pilot.screen("welcome")
    pilot.wait_until(lambda: welcome.notice_text != "" and not welcome.notice_problem, "the reader to be ready")
    with VirtualCard("bank-card"):
        pilot.wait_until(lambda: pilot.app.session.screen == "identify", "the keypad")
        pilot.pump(3)
        assert "не полис" in pilot.screen("identify").error_text


def test_demo_strip_inserts_and_removes_the_virtual_card(tmp_path: Path, window_ready: None,
                                                        clock: ManualClock) -> None:
    """kind = virtual, as shipped: the kiosk starts its own pcscd, and the on-screen strip works the card."""
    from screens.app import DEMO_STRIP

    need_private_pcscd()
    config = demo_config(tmp_path, card_reader__kind="virtual")
    pilot = open_pilot(config, clock)
    try:
        strip = next(w for w in pilot.root.children if getattr(w, "test_id", None) == DEMO_STRIP)
        welcome = pilot.screen("welcome")
        pilot.wait_until(lambda: welcome.notice_text != "" and not welcome.notice_problem, "the reader")
        pilot.tap(strip)
        pilot.wait_step("menu")
        owner = load_profile(config.card_reader.virtual_profile).owner
        assert pilot.app.session.patient is not None
        assert pilot.app.session.patient.last_name == owner.surname
        pilot.wait_until(lambda: not strip.disabled, "the strip to be ready again")
        pilot.tap(strip)
        pilot.wait_step("welcome")
        assert pilot.app.session.patient is None
    finally:
        pilot.close()
    assert not pcscd_running()  # the kiosk stopped the pcscd it started


def test_reader_lost_and_back_is_shown_and_typing_still_works(card_pilot: Pilot, pcscd: PcscdProcess) -> None:
    pilot = card_pilot
    welcome = pilot.screen("welcome")
    pilot.wait_until(lambda: welcome.notice_text != "" and not welcome.notice_problem, "the reader")
    pcscd.stop()  # as when the reader is unplugged or pcscd dies
    pilot.wait_until(lambda: welcome.notice_problem, "the 'reader not working' notice", limit=60)
    assert "не работает" in welcome.notice_text
    start_booking(pilot, OTHER.policy, OTHER.birth_date)  # patients can still type their number
    pcscd.start()
    pilot.wait_until(lambda: not welcome.notice_problem, "the reader to come back by itself", limit=60)
    pilot.app.session.wipe()  # the typing patient leaves (a card mid-session would ask first: test_errands_ui)
    pilot.wait_step("welcome")
    with card_of(PATIENT):
        pilot.wait_until(lambda: pilot.app.session.patient is not None
                         and pilot.app.session.patient.key.policy == PATIENT.policy, "the card after recovery")
