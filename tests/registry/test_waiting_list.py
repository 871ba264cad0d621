"""The waiting list: the demo registry's extension over HTTP through the real client, its rules and
detection, the offline refusal, and hostile answers read as domain errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.clock import ManualClock
from kiosk.demo_registry import DemoRegistryHandle, start_demo_registry
from kiosk.errors import RegistryError, UnexpectedAnswer
from kiosk.registry.emias import EmiasRegistry
from kiosk.registry.jsonrpc import MethodNotFound
from tests.registry.support import ELENA, key_of


@pytest.fixture
def demo(tmp_path: Path, clock: ManualClock) -> Iterator[DemoRegistryHandle]:
    with start_demo_registry(tmp_path / "registry.sqlite", seed=2026, clock=clock) as handle:
        yield handle


def test_a_request_is_kept_listed_and_updated_not_doubled(demo: DemoRegistryHandle, clock: ManualClock) -> None:
    client = EmiasRegistry(demo.url, 2, 5, booking_channel="infomat")
    key = key_of(ELENA)
    assert client.supports_waiting_list()
    assert client.waiting_list(key) == []
    first = client.add_to_waiting_list(key, "6", "NO_SLOTS", "89161234567")
    again = client.add_to_waiting_list(key, "6", "NO_CONVENIENT_TIME", "+7 (916) 123-45-99")
    assert again == first
    [entry] = client.waiting_list(key)
    assert (entry.entry_id, entry.specialty_id, entry.reason, entry.phone_tail) == (first, "6", "NO_CONVENIENT_TIME",
                                                                                     "99")
    assert entry.specialty_name and entry.created.date() == clock.today()


@pytest.mark.parametrize(("specialty", "reason", "phone"), [
    ("6", "BORED", "89161234567"),
    ("6", "NO_SLOTS", "12345"),
    ("6", "NO_SLOTS", "19161234567"),
    ("no-such-specialty", "NO_SLOTS", "89161234567"),
])
def test_a_bad_request_is_a_registry_error_and_keeps_nothing(demo: DemoRegistryHandle, specialty: str, reason: str,
                                                            phone: str) -> None:
    client = EmiasRegistry(demo.url, 2, 5)
    key = key_of(ELENA)
    with pytest.raises(RegistryError):
        client.add_to_waiting_list(key, specialty, reason, phone)
    assert client.waiting_list(key) == []


def test_a_registry_without_the_waiting_list_is_detected(tmp_path: Path, clock: ManualClock) -> None:
    with start_demo_registry(tmp_path / "plain.sqlite", seed=2026, clock=clock, waiting_list=False) as plain:
        client = EmiasRegistry(plain.url, 2, 5)
        assert not client.supports_waiting_list()
        with pytest.raises(MethodNotFound):
            client.waiting_list(key_of(ELENA))


@pytest.mark.parametrize("answer", [
    {"items": [{"waitingListId": 1, "specialityId": "6", "reason": "BORED", "phone": "+79161234567",
                "createdAt": "2026-12-01T10:00:00+03:00"}]},
    {"items": [{"waitingListId": 1, "specialityId": "6", "reason": "NO_SLOTS", "phone": "+79161234567",
                "createdAt": "yesterday"}]},
    {"items": [{"waitingListId": "x", "reason": "NO_SLOTS", "createdAt": "2026-12-01T10:00:00+03:00"}]},
    {"items": [{"waitingListId": 1, "reason": "NO_SLOTS", "createdAt": "2026-12-01T10:00:00+03:00"}] * 101},
    {"items": "many"},
    [1, 2],
])
def test_hostile_waiting_lists_are_a_domain_error(scripted, answer: object) -> None:  # type: ignore[no-untyped-def]
    scripted.script.raw(200, json.dumps({"jsonrpc": "2.0", "id": "<echo>", "result": answer}).encode())
    client = EmiasRegistry(scripted.url, 2, 5, read_retries=0)
    with pytest.raises(UnexpectedAnswer):
        client.waiting_list(key_of(ELENA))


@pytest.mark.parametrize("answer", [{"waitingListId": 0}, {"waitingListId": "abc"}, "OK", None])
def test_a_hostile_confirmation_is_a_domain_error(scripted, answer: object) -> None:  # type: ignore[no-untyped-def]
    scripted.script.raw(200, json.dumps({"jsonrpc": "2.0", "id": "<echo>", "result": answer}).encode())
    client = EmiasRegistry(scripted.url, 2, 5, read_retries=0)
    with pytest.raises(UnexpectedAnswer):
        client.add_to_waiting_list(key_of(ELENA), "6", "NO_SLOTS", "89161234567")
