"""The visit history: the demo registry's extension over HTTP through the real client — the desk's
visits of a demo patient with every status, an appointment booked here that passed (no-show without the
arrival, visited with it), detection, and hostile answers read as domain errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.clock import ManualClock
from kiosk.demo_registry import DemoRegistryHandle, start_demo_registry
from kiosk.errors import UnexpectedAnswer
from kiosk.registry.emias import EmiasRegistry
from kiosk.registry.jsonrpc import MethodNotFound
from tests.registry.support import ELENA, first_free, key_of


@pytest.fixture
def demo(tmp_path: Path, clock: ManualClock) -> Iterator[DemoRegistryHandle]:
    with start_demo_registry(tmp_path / "registry.sqlite", seed=2026, clock=clock) as handle:
        yield handle


def test_the_last_30_days_with_the_status_the_polyclinic_set(demo: DemoRegistryHandle, clock: ManualClock) -> None:
    client = EmiasRegistry(demo.url, 2, 5)
    key = key_of(ELENA)
    assert client.supports_past_visits()
    past = client.past_visits(key)
    assert [v.status for v in past] == ["VISITED", "NO_SHOW", "CANCELLED_BY_CLINIC"]
    assert all(clock.now() - timedelta(days=30) <= v.start < clock.now() and v.doctor_name for v in past)
    assert past[1].note and past == sorted(past, key=lambda v: v.start, reverse=True)


def test_a_visit_booked_here_that_passed_without_the_arrival_is_a_no_show(demo: DemoRegistryHandle,
                                                                          clock: ManualClock) -> None:
    client = EmiasRegistry(demo.url, 2, 5)
    key = key_of(ELENA)
    doctor, slot = first_free(client, key, client.doctors(key, "6"))
    booked = client.book(key, doctor, slot)
    clock.set(slot.end + timedelta(minutes=5))
    mine = next(v for v in client.past_visits(key) if v.appointment_id == booked.appointment_id)
    assert mine.status == "NO_SHOW" and mine.start == slot.start
    clock.set(slot.start + timedelta(days=31))
    assert all(v.appointment_id != booked.appointment_id for v in client.past_visits(key))


def test_a_registry_without_the_history_is_detected(tmp_path: Path, clock: ManualClock) -> None:
    with start_demo_registry(tmp_path / "plain.sqlite", seed=2026, clock=clock, past_visits=False) as plain:
        client = EmiasRegistry(plain.url, 2, 5)
        assert not client.supports_past_visits()
        with pytest.raises(MethodNotFound):
            client.past_visits(key_of(ELENA))


GOOD = {"appointmentId": 5, "startTime": "2026-11-20T09:00:00+03:00", "specialityName": "Терапевт",
        "doctorName": "Иванов_И.И.", "status": "NO_SHOW", "note": ""}


@pytest.mark.parametrize("answer", [
    {"items": [{**GOOD, "status": "FORGOTTEN"}]}, {"items": [{**GOOD, "startTime": "last week"}]},
    {"items": [{**GOOD, "appointmentId": "x"}]}, {"items": [GOOD] * 201}, {"items": "all"}, [GOOD],
])
def test_hostile_histories_are_a_domain_error(scripted, answer: object) -> None:  # type: ignore[no-untyped-def]
    scripted.script.raw(200, json.dumps({"jsonrpc": "2.0", "id": "<echo>", "result": answer}).encode())
    client = EmiasRegistry(scripted.url, 2, 5, read_retries=0)
    with pytest.raises(UnexpectedAnswer):
        client.past_visits(key_of(ELENA))
