"""«Вызов врача на дом» by taps on the real window against the demo registry on loopback: from the start
screen, the address typed on the on-screen Russian keyboard (too short is refused on the screen), reason,
temperature, phone, confirm, the printed ticket with the request number and when the doctor comes; the
request listed in «Мои записи» and cancelled there; one already pending is refused with a next step; and
a registry without home visits does not offer the errand."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.app.pilot import open_pilot
from kiosk.clock import ManualClock
from kiosk.demo_registry import DEMO_PATIENTS, DemoRegistryHandle, start_demo_registry
from kiosk.demo_registry.home_visit import address_on_file
from screens.pilot import Pilot
from screens.walkthrough import identify_by_keypad
from tests.ui.conftest import demo_config

pytestmark = pytest.mark.ui
ELENA = DEMO_PATIENTS[2]


def _pilot(tmp_path: Path, handle: DemoRegistryHandle, clock: ManualClock) -> Pilot:
    config = demo_config(tmp_path, registry__kind="emias", registry__url=handle.url, registry__retry_backoff="0")
    return open_pilot(config, clock)


@pytest.fixture
def registry(tmp_path: Path, clock: ManualClock) -> Iterator[DemoRegistryHandle]:
    with start_demo_registry(tmp_path / "registry.sqlite", 2026, clock=clock) as handle:
        yield handle


@pytest.fixture
def pilot(tmp_path: Path, window_ready: None, registry: DemoRegistryHandle, clock: ManualClock) -> Iterator[Pilot]:
    driver = _pilot(tmp_path, registry, clock)
    yield driver
    driver.close()


def _start(pilot: Pilot) -> None:
    welcome = pilot.screen("welcome")
    pilot.wait_until(lambda: pilot.app.session.home_visits_offered is True, "the registry's answer on home visits")
    pilot.pump(2)
    assert welcome.button("errand-home_visit").text == "Вызов врача на дом"
    identify_by_keypad(pilot, ELENA.policy, ELENA.birth_date, errand="home_visit")


def _keys(pilot: Pilot, names: list[str]) -> None:
    keyboard = pilot.screen("home_typed_address").keyboard
    for name in names:
        pilot.tap(keyboard.keys[name])


def _after_address(pilot: Pilot) -> None:
    """Reason, temperature, phone: the confirmation screen."""
    pilot.tap(pilot.screen("home_reason").choice("reason-FEVER"))
    pilot.wait_step("home_temperature")
    pilot.tap(pilot.screen("home_temperature").choice("temperature-FROM_38_TO_39"))
    pilot.wait_step("home_phone")
    phone = pilot.screen("home_phone")
    for digit in "9161234567":
        pilot.tap(phone.ids[f"key_{digit}"])
    pilot.tap_id("submit", "home_phone")
    pilot.wait_step("home_confirm")


def test_a_typed_address_to_the_ticket_then_cancelled_in_my_appointments(
        pilot: Pilot, registry: DemoRegistryHandle) -> None:
    _start(pilot)
    address = pilot.screen("home_address")
    assert address.choice("address-registered").text == address_on_file(ELENA)
    pilot.tap(address.choice("address-other"))
    pilot.wait_step("home_typed_address")
    typed = pilot.screen("home_typed_address")
    _keys(pilot, ["у", "л"])
    pilot.tap_id("submit", "home_typed_address")
    assert typed.error_text == "Наберите адрес: улица, дом и квартира."
    assert pilot.app.session.screen == "home_typed_address"
    _keys(pilot, ["erase", "л", ".", "space", "shift", "л", "е", "с", "н", "а", "я", ",", "space", "д", ".",
                  "space", "5"])
    assert typed.typed == "Ул. Лесная, д. 5"
    pilot.tap_id("submit", "home_typed_address")
    pilot.wait_step("home_reason")
    _after_address(pilot)
    confirm = pilot.screen("home_confirm")
    assert "Ул. Лесная, д. 5" in confirm.subtitle and "+7 (916) 123-45-67" in confirm.subtitle
    pilot.tap_id("action", "home_confirm")
    pilot.wait_step("done")
    done = pilot.screen("done")
    [stored] = registry.service.store.home_visits(ELENA.policy)
    visit_id, stored_address, reason, temperature, _day, state = stored
    assert (stored_address, reason, temperature, state) == ("Ул. Лесная, д. 5", "FEVER", "FROM_38_TO_39", "PENDING")
    assert done.title == "Врач вызван на дом"
    assert f"Номер заявки: {visit_id}" in done.summary and "Врач придёт: " in done.summary
    assert done.ticket_image and Path(done.ticket_image).is_file()  # the preview printer's picture of it
    # «Мои записи»: listed, and cancelled after asking again
    pilot.tap_id("more", "done")
    pilot.wait_step("menu")
    pilot.tap_id("visits", "menu")
    pilot.wait_step("visits")
    visits = pilot.screen("visits")
    pilot.tap(visits.button(f"cancel-home-{visit_id}"))
    assert visits.cancel_text.startswith("Отменить вызов врача на дом?")
    pilot.tap_id("cancel_yes", "visits")
    pilot.wait_until(lambda: visits.notice_text == "Вызов врача на дом отменён.", "the cancel")
    assert registry.service.store.home_visits(ELENA.policy)[0][5] == "CANCELLED"
    with pytest.raises(LookupError):
        visits.button(f"cancel-home-{visit_id}")


def test_a_second_request_while_one_is_pending_is_refused_with_the_queue_ticket(pilot: Pilot) -> None:
    _start(pilot)
    pilot.tap(pilot.screen("home_address").choice("address-registered"))
    pilot.wait_step("home_reason")
    _after_address(pilot)
    pilot.tap_id("action", "home_confirm")
    pilot.wait_step("done")
    pilot.tap_id("finish", "done")  # the next patient is the same person, who forgot the first request
    _start(pilot)
    pilot.tap(pilot.screen("home_address").choice("address-registered"))
    pilot.wait_step("home_reason")
    _after_address(pilot)
    session = pilot.app.session
    pilot.tap_id("action", "home_confirm")
    pilot.wait_until(lambda: session.status.error is not None and not session.status.busy, "the refusal")
    pilot.pump(2)
    confirm = pilot.screen("home_confirm")
    assert confirm.error_text.startswith("Врач на дом уже вызван.")
    assert session.status.walk_in is not None  # the desk's queue ticket on the same screen


def test_a_registry_without_home_visits_does_not_offer_the_errand(tmp_path: Path, window_ready: None,
                                                                  clock: ManualClock) -> None:
    with start_demo_registry(tmp_path / "plain.sqlite", 2026, clock=clock, home_visits=False) as plain:
        driver = _pilot(tmp_path, plain, clock)
        try:
            driver.wait_step("welcome")
            driver.wait_until(lambda: driver.app.session.home_visits_offered is False, "the registry's answer")
            driver.pump(2)
            with pytest.raises(LookupError):
                driver.screen("welcome").button("errand-home_visit")
        finally:
            driver.close()

