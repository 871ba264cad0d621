"""Home visits: the demo registry's extension over HTTP through the real client — the address on file,
the request with its documented rules (the hour after which it is for the next day, Sunday to Monday, one
pending request), the cancel, detection, and hostile answers read as domain errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest

from kiosk.clock import MOSCOW, ManualClock
from kiosk.demo_registry import DemoRegistryHandle, start_demo_registry
from kiosk.demo_registry.home_visit import CUTOFF
from kiosk.domain import HomeVisitRequest
from kiosk.errors import HomeVisitExists, HomeVisitNotFound, RegistryError, UnexpectedAnswer
from kiosk.registry.emias import EmiasRegistry
from kiosk.registry.jsonrpc import MethodNotFound
from tests.registry.support import ELENA, key_of

REQUEST = HomeVisitRequest("г. Москва, ул. Лесная, д. 5, кв. 12", "FEVER", "FROM_38_TO_39", "79161234567")


@pytest.fixture
def demo(tmp_path: Path, clock: ManualClock) -> Iterator[DemoRegistryHandle]:
    with start_demo_registry(tmp_path / "registry.sqlite", seed=2026, clock=clock) as handle:
        yield handle


def _weekday_at(clock: ManualClock, hour: time) -> datetime:
    """The pinned day (or the next that is not Saturday or Sunday) at ``hour``, Moscow time."""
    day = clock.now().astimezone(MOSCOW).date()
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, hour, MOSCOW)


@pytest.mark.parametrize(("hour", "days_later"), [(time(9, 30), 0), (CUTOFF, 1), (time(20, 0), 1)])
def test_a_request_before_the_cutoff_is_for_today_and_after_it_for_the_next_day(
        demo: DemoRegistryHandle, clock: ManualClock, hour: time, days_later: int) -> None:
    now = _weekday_at(clock, hour)
    clock.set(now)
    client = EmiasRegistry(demo.url, 2, 5, booking_channel="infomat")
    key = key_of(ELENA)
    assert client.supports_home_visits()
    assert client.home_visit_address(key).startswith("г. Москва")
    visit = client.request_home_visit(key, REQUEST)
    expected = now.date() + timedelta(days=days_later)
    if expected.weekday() == 6:
        expected += timedelta(days=1)
    assert visit.pending and visit.expected_from.date() == expected and visit.expected_from < visit.expected_to
    [listed] = client.home_visits(key)
    assert (listed.visit_id, listed.address, listed.reason) == (visit.visit_id, REQUEST.address, "FEVER")


def test_a_sunday_request_is_for_monday(demo: DemoRegistryHandle, clock: ManualClock) -> None:
    day = clock.now().astimezone(MOSCOW).date()
    day += timedelta(days=(6 - day.weekday()) % 7)
    clock.set(datetime.combine(day, time(9, 0), MOSCOW))
    visit = EmiasRegistry(demo.url, 2, 5).request_home_visit(key_of(ELENA), REQUEST)
    assert visit.expected_from.date() == day + timedelta(days=1)


def test_one_pending_request_and_a_cancelled_one_cannot_be_cancelled_again(demo: DemoRegistryHandle) -> None:
    client = EmiasRegistry(demo.url, 2, 5)
    key = key_of(ELENA)
    visit = client.request_home_visit(key, REQUEST)
    with pytest.raises(HomeVisitExists):
        client.request_home_visit(key, REQUEST)
    client.cancel_home_visit(key, visit.visit_id)
    [listed] = client.home_visits(key)
    assert listed.status == "CANCELLED"
    with pytest.raises(HomeVisitNotFound):
        client.cancel_home_visit(key, visit.visit_id)
    assert client.request_home_visit(key, REQUEST).pending  # a new one after the cancel


@pytest.mark.parametrize("request_", [
    HomeVisitRequest("ул.", "FEVER", "UP_TO_37", "79161234567"),
    HomeVisitRequest(REQUEST.address, "BORED", "UP_TO_37", "79161234567"),
    HomeVisitRequest(REQUEST.address, "FEVER", "41.5", "79161234567"),
    HomeVisitRequest(REQUEST.address, "FEVER", "UP_TO_37", "123"),
    HomeVisitRequest("ул. Лесная\x00, д. 5", "FEVER", "UP_TO_37", "79161234567"),
])
def test_a_bad_request_is_a_registry_error_and_keeps_nothing(demo: DemoRegistryHandle,
                                                            request_: HomeVisitRequest) -> None:
    client = EmiasRegistry(demo.url, 2, 5)
    with pytest.raises(RegistryError):
        client.request_home_visit(key_of(ELENA), request_)
    assert client.home_visits(key_of(ELENA)) == []


def test_a_registry_without_home_visits_is_detected(tmp_path: Path, clock: ManualClock) -> None:
    with start_demo_registry(tmp_path / "plain.sqlite", seed=2026, clock=clock, home_visits=False) as plain:
        client = EmiasRegistry(plain.url, 2, 5)
        assert not client.supports_home_visits()
        with pytest.raises(MethodNotFound):
            client.home_visits(key_of(ELENA))


GOOD = {"homeVisitId": 7, "status": "PENDING", "expectedFrom": "2026-12-02T10:00:00+03:00",
        "expectedTo": "2026-12-02T18:00:00+03:00"}


@pytest.mark.parametrize("answer", [
    {**GOOD, "status": "LOST"}, {**GOOD, "homeVisitId": 0}, {**GOOD, "expectedTo": "2026-12-02T09:00:00+03:00"},
    {**GOOD, "expectedFrom": "soon"}, {**GOOD, "reason": "BORED"}, "OK", [GOOD],
])
def test_a_hostile_answer_to_a_request_is_a_domain_error(scripted, answer: object) -> None:  # type: ignore[no-untyped-def]
    scripted.script.raw(200, json.dumps({"jsonrpc": "2.0", "id": "<echo>", "result": answer}).encode())
    client = EmiasRegistry(scripted.url, 2, 5, read_retries=0)
    with pytest.raises(UnexpectedAnswer):
        client.request_home_visit(key_of(ELENA), REQUEST)


@pytest.mark.parametrize("answer", [{"items": [GOOD] * 101}, {"items": {"a": 1}}, {"items": [{**GOOD, "status": 1}]},
                                    [1]])
def test_hostile_lists_are_a_domain_error(scripted, answer: object) -> None:  # type: ignore[no-untyped-def]
    scripted.script.raw(200, json.dumps({"jsonrpc": "2.0", "id": "<echo>", "result": answer}).encode())
    client = EmiasRegistry(scripted.url, 2, 5, read_retries=0)
    with pytest.raises(UnexpectedAnswer):
        client.home_visits(key_of(ELENA))


@pytest.mark.parametrize("answer", [{"address": "x" * 300}, {"address": ["ул."]}, "ул. Лесная"])
def test_a_hostile_address_is_a_domain_error(scripted, answer: object) -> None:  # type: ignore[no-untyped-def]
    scripted.script.raw(200, json.dumps({"jsonrpc": "2.0", "id": "<echo>", "result": answer}).encode())
    client = EmiasRegistry(scripted.url, 2, 5, read_retries=0)
    with pytest.raises(UnexpectedAnswer):
        client.home_visit_address(key_of(ELENA))
