"""Faults on demand and the client's answers to them: no double booking, the truth after a lost answer."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from kiosk.clock import ManualClock
from kiosk.demo_registry import DemoRegistryHandle, start_demo_registry
from kiosk.domain import Doctor, mask_policy
from kiosk.errors import BookingOutcomeUnknown, RegistryUnavailable, SlotTaken, UnexpectedAnswer
from kiosk.registry.emias import EmiasRegistry
from kiosk.registry.jsonrpc import TransportFailure
from tests.registry.support import ELENA, PINNED_NOW, SERGEY, first_free, key_of


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[DemoRegistryHandle]:
    handle = start_demo_registry(tmp_path / "registry.sqlite", seed=5, clock=ManualClock(PINNED_NOW))
    yield handle
    handle.stop()


@pytest.fixture
def registry(demo: DemoRegistryHandle) -> Iterator[EmiasRegistry]:
    client = EmiasRegistry(demo.url, connect_timeout=2, read_timeout=5, read_retries=2, retry_backoff=0.01)
    yield client
    client.close()


def booked_at(registry: EmiasRegistry, start_raw: str) -> list[int]:
    return [
        a.appointment_id for a in registry.appointments(key_of(ELENA)) if a.start.isoformat() == start_raw
    ]


def test_answer_lost_after_the_booking_was_made_reports_the_booking(demo, registry) -> None:
    key = key_of(ELENA)
    doctor, slot = first_free(registry, key, registry.doctors(key, "6"))
    demo.set_faults(drop_next=1, drop_methods=["createAppointment"])
    sent_before = registry.round_trips

    booking = registry.book(key, doctor, slot)

    assert booked_at(registry, slot.start_raw) == [booking.appointment_id]
    assert (
        registry.round_trips - sent_before == 3
    )  # create (cut) + one check + the list above; never a 2nd create


def test_booking_refused_by_http_error_is_reported_as_not_made(demo, registry) -> None:
    key = key_of(ELENA)
    doctor, slot = first_free(registry, key, registry.doctors(key, "6"))
    demo.set_faults(fail_next=1, methods=["createAppointment"])
    with pytest.raises(RegistryUnavailable) as caught:
        registry.book(key, doctor, slot)
    assert not isinstance(caught.value, BookingOutcomeUnknown)
    assert booked_at(registry, slot.start_raw) == []


def test_booking_whose_check_also_fails_is_unknown(demo, registry, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    key = key_of(ELENA)
    doctor, slot = first_free(registry, key, registry.doctors(key, "6"))
    demo.set_faults(
        drop_next=1,
        drop_methods=["createAppointment"],
        fail_next=3,
        methods=["getAppointmentReceptionsByPatient"],
    )
    with pytest.raises(BookingOutcomeUnknown):
        registry.book(key, doctor, slot)
    demo.faults.reset()
    made = booked_at(registry, slot.start_raw)
    assert len(made) == 1  # it had been made: the kiosk must not claim otherwise
    assert "outcome unknown" in caplog.text and mask_policy(key.policy) in caplog.text
    assert key.policy not in caplog.text and key.birth_date.isoformat() not in caplog.text


def test_lost_answer_of_a_move_reports_the_new_appointment(demo, registry) -> None:
    key = key_of(SERGEY)
    old = registry.appointments(key)[0]
    doctor, slot = first_free(registry, key, registry.doctors_for_reschedule(key, old))
    demo.set_faults(drop_next=1, drop_methods=["shiftAppointment"])
    moved = registry.reschedule(key, old.appointment_id, doctor, slot)
    ids = {a.appointment_id: a for a in registry.appointments(key)}
    assert old.appointment_id not in ids and ids[moved.appointment_id].start == slot.start


def test_refused_connection_is_not_verified_and_service_comes_back(demo, registry) -> None:
    key = key_of(ELENA)
    doctor, slot = first_free(registry, key, registry.doctors(key, "6"))
    demo.down()
    with pytest.raises(TransportFailure) as caught:
        registry.book(key, doctor, slot)
    assert caught.value.maybe_delivered is False
    with pytest.raises(RegistryUnavailable):
        registry.specialties(key)
    demo.up()
    assert registry.book(key, doctor, slot).appointment_id


def test_reads_survive_transient_failures(demo, registry) -> None:
    demo.set_faults(fail_next=2)
    assert registry.specialties(key_of(ELENA))
    demo.set_faults(fail_next=3)
    with pytest.raises(RegistryUnavailable):
        registry.specialties(key_of(ELENA))


def test_maintenance_mode_and_a_cut_read(demo, registry) -> None:
    demo.set_faults(down=True)
    with pytest.raises(RegistryUnavailable):
        registry.referrals(key_of(ELENA))
    demo.set_faults(down=False, drop_next=3)
    with pytest.raises(RegistryUnavailable):
        registry.referrals(key_of(ELENA))
    assert registry.referrals(key_of(ELENA)) == []


def test_admin_endpoint_changes_faults(demo, registry) -> None:
    answer = requests.post(demo.admin_url, json={"fail_next": 1, "fail_status": 502}, timeout=5)
    assert answer.status_code == 200 and answer.json()["fail_next"] == 1
    strict = EmiasRegistry(demo.url, 2, 5, read_retries=0)
    with pytest.raises(TransportFailure, match="HTTP 502"):
        strict.specialties(key_of(ELENA))
    assert requests.post(demo.admin_url, json={"nonsense": 1}, timeout=5).status_code == 400
    requests.post(demo.admin_url, json={"reset": True}, timeout=5)
    assert requests.get(demo.admin_url, timeout=5).json()["fail_status"] == 503
    strict.close()


def test_latency_beyond_the_read_timeout(demo) -> None:
    demo.set_faults(latency=1.0)
    impatient = EmiasRegistry(demo.url, 2, 0.2, read_retries=0)
    with pytest.raises(TransportFailure) as caught:
        impatient.referrals(key_of(ELENA))
    assert caught.value.maybe_delivered is True
    impatient.close()


def test_server_protocol_errors(demo) -> None:
    def post(body: bytes) -> dict:
        return requests.post(
            demo.url, data=body, headers={"Content-Type": "application/json"}, timeout=5
        ).json()

    assert post(b"{not json")["error"]["code"] == -32700
    assert post(b'[{"jsonrpc": "2.0", "id": 1, "method": "getSpecialitiesInfo"}]')["error"]["code"] == -32600
    unknown = post(b'{"jsonrpc": "2.0", "id": 1, "method": "digitalPrescription", "params": {}}')
    assert unknown["error"]["code"] == -32601
    bad = post(b'{"jsonrpc": "2.0", "id": 1, "method": "getSpecialitiesInfo", "params": {"omsNumber": "12"}}')
    assert bad["error"]["data"]["code"] == "INVALID_PARAMS"
    raw = requests.post(
        demo.url + "?whatever",
        data=b'{"jsonrpc":"2.0","id":"x","method":"getSpecialitiesInfo",'
        b'"params":{"omsNumber":"7700000000000032","birthDate":"1952-12-30"}}',
        timeout=5,
    )
    assert raw.content.isascii() and b"\\u" in raw.content  # ASCII-escaped JSON, query string ignored


def test_unreadable_answer_from_a_wrong_endpoint(demo) -> None:
    wrong = EmiasRegistry(demo.url.replace("/api/emc/appointment-eip/v1/", "/nowhere"), 2, 5, read_retries=0)
    with pytest.raises(RegistryUnavailable):
        wrong.referrals(key_of(ELENA))
    wrong.close()
    assert issubclass(UnexpectedAnswer, RegistryUnavailable)


def test_race_mode_takes_the_slot_between_schedule_and_booking(demo, registry) -> None:
    key = key_of(ELENA)
    doctor, slot = first_free(registry, key, registry.doctors(key, "6"))
    demo.set_faults(steal_next=1)
    with pytest.raises(SlotTaken):
        registry.book(key, doctor, slot)
    assert booked_at(registry, slot.start_raw) == []
    again = registry.schedule(key, doctor)
    assert slot.start_raw not in {s.start_raw for day in again.days for s in day.slots}
    assert registry.book(key, doctor, again.days[0].slots[0]).appointment_id  # the next one works


def test_empty_results_read_as_nothing(demo, registry) -> None:
    key = key_of(ELENA)
    demo.set_faults(empty_next=3)
    assert registry.doctors(key, "6") == []
    assert registry.appointments(key) == []
    doctor = Doctor(1, "x", "6", "", "1801", ())
    assert registry.schedule(key, doctor).days == ()
    assert registry.doctors(key, "6")  # back to normal
