"""«Лист ожидания» by taps on the real window against the demo registry on loopback: a specialty whose
doctors have no free time offers it on the doctor screen beside the desk's queue ticket; the reason, the
phone on the keypad (an incomplete one is refused on the screen and nothing is sent), the request kept by
the registry and listed in «Мои записи»; a registry without the waiting list does not offer it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.app.pilot import open_pilot
from kiosk.clock import ManualClock
from kiosk.demo_registry import DEMO_PATIENTS, DemoRegistryHandle, start_demo_registry
from kiosk.demo_registry.service import GHOST_POLICY
from kiosk.demo_registry.store import NewAppointment
from screens.pilot import Pilot
from screens.walkthrough import identify_by_keypad
from tests.ui.conftest import demo_config

pytestmark = pytest.mark.ui
ELENA = DEMO_PATIENTS[2]
SPECIALTY = "6"


def _book_every_slot(handle: DemoRegistryHandle, code: str) -> None:
    """Someone else has taken every free slot of the specialty's doctors (as a busy week does)."""
    service = handle.service
    now = service.now().isoformat()
    for res in service.clinic.resources:
        if res.kind != "doctor" or code not in (res.menu_code, res.spec_code):
            continue
        for _day, complex_id, _cabinet, slots in service.free_days(res):
            for start, end in slots:
                service.store.book(NewAppointment(GHOST_POLICY, res.resource_id, complex_id, start, end,
                                                  f"ghost:{res.resource_id}:{start}", None, "", "fault"), now)


def _pilot(tmp_path: Path, handle: DemoRegistryHandle, clock: ManualClock) -> Pilot:
    config = demo_config(tmp_path, registry__kind="emias", registry__url=handle.url, registry__retry_backoff="0")
    return open_pilot(config, clock)


@pytest.fixture
def registry(tmp_path: Path, clock: ManualClock) -> Iterator[DemoRegistryHandle]:
    with start_demo_registry(tmp_path / "registry.sqlite", 2026, clock=clock) as handle:
        _book_every_slot(handle, SPECIALTY)
        yield handle


@pytest.fixture
def pilot(tmp_path: Path, window_ready: None, registry: DemoRegistryHandle, clock: ManualClock) -> Iterator[Pilot]:
    driver = _pilot(tmp_path, registry, clock)
    yield driver
    driver.close()


def _to_doctors(pilot: Pilot) -> None:
    identify_by_keypad(pilot, ELENA.policy, ELENA.birth_date, errand="book")
    pilot.tap(pilot.screen("specialty").choice(f"specialty-{SPECIALTY}"))
    pilot.wait_step("doctor")


def _nav(pilot: Pilot, screen: str, name: str) -> object:
    from screens.widgets import NavBar

    return next(w for w in pilot.screen(screen).walk() if isinstance(w, NavBar)).ids[name]


def _tap_phone(pilot: Pilot, digits: str) -> None:
    screen = pilot.screen("waiting_phone")
    for digit in digits:
        pilot.tap(screen.ids[f"key_{digit}"])


def test_no_free_time_offers_the_waiting_list_and_the_request_is_kept_and_listed(
        pilot: Pilot, registry: DemoRegistryHandle) -> None:
    _to_doctors(pilot)
    session = pilot.app.session
    assert not any(d.bookable for d in session.book.state.doctors)
    assert _nav(pilot, "doctor", "walk_in_offer").opacity == 1  # the desk's queue ticket on the same screen
    pilot.tap(pilot.screen("doctor").choice("waiting-list"))
    pilot.wait_step("waiting_reason")
    assert {"reason-NO_SLOTS", "reason-NO_CONVENIENT_TIME", "reason-SPECIALIST_ABSENT"} == {
        w.test_id for w in pilot.screen("waiting_reason").ids.choices.children}
    pilot.tap(pilot.screen("waiting_reason").choice("reason-NO_CONVENIENT_TIME"))
    pilot.wait_step("waiting_phone")
    phone = pilot.screen("waiting_phone")
    _tap_phone(pilot, "916123")
    assert phone.display == "+7 (916) 123-__-__"
    pilot.tap_id("submit", "waiting_phone")
    assert phone.error_text == "Наберите все 10 цифр номера телефона после +7."
    assert registry.service.store.waiting(ELENA.policy) == []  # nothing sent
    _tap_phone(pilot, "45678")  # the eleventh digit is not taken
    assert phone.display == "+7 (916) 123-45-67"
    pilot.tap_id("key_erase", "waiting_phone")
    _tap_phone(pilot, "7")
    pilot.tap_id("submit", "waiting_phone")
    pilot.wait_step("done")
    done = pilot.screen("done")
    assert done.title == "Вы в листе ожидания"
    assert "Нет подходящего мне времени" in done.summary and "оканчивающийся на 67" in done.summary
    [(entry_id, code, reason, stored_phone, _created)] = registry.service.store.waiting(ELENA.policy)
    assert (code, reason, stored_phone) == (SPECIALTY, "NO_CONVENIENT_TIME", "+79161234567")
    assert f"Номер заявки: {entry_id}" in done.summary
    # «Мои записи» lists it
    pilot.tap_id("more", "done")
    pilot.wait_step("menu")
    pilot.tap_id("visits", "menu")
    pilot.wait_step("visits")
    rows = [row for row in pilot.screen("visits").ids.rows.children
            if getattr(row, "test_id", "") == f"waiting-{entry_id}"]
    assert len(rows) == 1 and rows[0].text.startswith("Лист ожидания: ") and "67" in rows[0].text


def test_back_from_the_reasons_returns_to_the_doctors_with_the_desk_ticket(pilot: Pilot) -> None:
    _to_doctors(pilot)
    pilot.tap(pilot.screen("doctor").choice("waiting-list"))
    pilot.wait_step("waiting_reason")
    assert pilot.app.session.status.walk_in is not None
    pilot.tap(_nav(pilot, "waiting_reason", "back"))
    pilot.wait_step("doctor")
    assert pilot.app.session.status.walk_in is not None
    assert pilot.screen("doctor").choice("waiting-list")


def test_a_registry_without_the_waiting_list_does_not_offer_it(tmp_path: Path, window_ready: None,
                                                               clock: ManualClock) -> None:
    with start_demo_registry(tmp_path / "plain.sqlite", 2026, clock=clock, waiting_list=False) as plain:
        _book_every_slot(plain, SPECIALTY)
        driver = _pilot(tmp_path, plain, clock)
        try:
            _to_doctors(driver)
            assert driver.app.session.status.walk_in is not None
            with pytest.raises(StopIteration):
                driver.screen("doctor").choice("waiting-list")
        finally:
            driver.close()
