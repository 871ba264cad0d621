"""The JSON-RPC layer: error.data.code → domain errors, transport trouble → RegistryUnavailable."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

import pytest

from kiosk.domain import Doctor, PatientKey, Slot
from kiosk.errors import (
    AppointmentNotFound,
    BookingOutcomeUnknown,
    InvalidParams,
    PatientNotFound,
    RegistryError,
    RegistryUnavailable,
    SlotTaken,
    UnexpectedAnswer,
)
from kiosk.registry.emias import EmiasRegistry
from kiosk.registry.jsonrpc import JsonRpcClient, MethodNotFound, TransportFailure
from kiosk.registry.values import MSK

KEY = PatientKey("7700000000000016", date(1985, 4, 12))


def client(url: str, retries: int = 0) -> JsonRpcClient:
    return JsonRpcClient(url, 1.0, 1.0, read_retries=retries, retry_backoff=0.0)


@pytest.mark.parametrize(
    ("data_code", "expected"),
    [
        ("PATIENT_NOT_FOUND", PatientNotFound),
        ("SLOT_UNAVAILABLE", SlotTaken),
        ("APPOINTMENT_RECEPTION_NOT_FOUND", AppointmentNotFound),
    ],
)
def test_data_code_maps_to_domain_error(scripted, data_code: str, expected: type[Exception]) -> None:
    scripted.script.error(500, "Сообщение регистратуры", data_code)
    with pytest.raises(expected) as caught:
        client(scripted.url).call("getReferralsInfo", {})
    assert caught.value.registry_message == "Сообщение регистратуры"  # type: ignore[attr-defined]


def test_unknown_data_code_keeps_the_registry_message(scripted) -> None:
    scripted.script.error(500, "Технический перерыв", "SOMETHING_NEW")
    with pytest.raises(RegistryError) as caught:
        client(scripted.url).call("getReferralsInfo", {})
    assert caught.value.registry_message == "Технический перерыв"


def test_invalid_params_without_data(scripted) -> None:
    scripted.script.error(-32602, "Invalid params")
    with pytest.raises(InvalidParams):
        client(scripted.url).call("getReferralsInfo", {})


def test_method_not_found(scripted) -> None:
    scripted.script.error(-32601, "Method not found")
    with pytest.raises(MethodNotFound):
        client(scripted.url).call("checkInAppointment", {})


def test_business_error_with_http_200_is_not_success(scripted) -> None:
    scripted.script.error(500, "Выбранное время уже занято", "SLOT_UNAVAILABLE")
    with pytest.raises(SlotTaken):
        client(scripted.url).call("createAppointment", {}, write=True)


@pytest.mark.parametrize(
    "body",
    [b"<html>502 Bad Gateway</html>", b"[1, 2]", b'{"jsonrpc": "2.0", "id": "<echo>"}', b"{}"],
)
def test_unreadable_answers(scripted, body: bytes) -> None:
    scripted.script.raw(200, body)
    with pytest.raises(UnexpectedAnswer):
        client(scripted.url).call("getReferralsInfo", {})


def test_http_error_is_unavailable_even_with_a_result_body(scripted) -> None:
    scripted.script.raw(503, b'{"jsonrpc": "2.0", "id": "<echo>", "result": []}')
    with pytest.raises(RegistryUnavailable):
        client(scripted.url).call("getReferralsInfo", {})


def test_refused_connection_is_unavailable_and_not_delivered(refused_url: str) -> None:
    with pytest.raises(TransportFailure) as caught:
        client(refused_url).call("getReferralsInfo", {})
    assert caught.value.maybe_delivered is False


def test_read_timeout_is_unavailable(scripted) -> None:
    scripted.script.raw(200, b'{"jsonrpc":"2.0","id":"<echo>","result":[]}', delay=1.5)
    slow = JsonRpcClient(scripted.url, 1.0, 0.3, read_retries=0)
    with pytest.raises(TransportFailure) as caught:
        slow.call("getReferralsInfo", {})
    assert caught.value.maybe_delivered is True


def test_cut_answer_is_unavailable(scripted) -> None:
    scripted.script.raw(200, b'{"jsonrpc": "2.0", "id": "<echo>", "result": [1, 2, 3, 4, 5, 6]}', cut=True)
    with pytest.raises(RegistryUnavailable):
        client(scripted.url).call("getReferralsInfo", {})


def test_reads_are_retried(scripted) -> None:
    scripted.script.raw(503, b"maintenance")
    scripted.script.raw(502, b"bad gateway")
    scripted.script.result([])
    rpc = client(scripted.url, retries=2)
    assert rpc.call("getReferralsInfo", {}) == []
    assert len(scripted.script.requests) == 3


def test_writes_are_not_retried(scripted) -> None:
    scripted.script.raw(503, b"maintenance")
    scripted.script.result({"appointmentId": 1, "appointmentNumber": "1"})
    with pytest.raises(RegistryUnavailable):
        client(scripted.url, retries=2).call("createAppointment", {}, write=True)
    assert len(scripted.script.requests) == 1


def test_query_string_names_the_method_and_body_is_json_rpc(scripted) -> None:
    scripted.script.result([])
    EmiasRegistry(scripted.url, 1, 1).referrals(KEY)
    request = scripted.script.requests[0]
    assert request["jsonrpc"] == "2.0" and request["method"] == "getReferralsInfo"
    assert request["params"] == {"omsNumber": "7700000000000016", "birthDate": "1985-04-12"}
    assert isinstance(request["id"], str) and len(request["id"]) == 21


def test_logs_never_carry_policy_or_birth_date(scripted, refused_url: str, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    scripted.script.error(500, "Пациент не найден", "PATIENT_NOT_FOUND")
    with pytest.raises(PatientNotFound):
        EmiasRegistry(scripted.url, 1, 1).identify(KEY)
    with pytest.raises(RegistryUnavailable):
        EmiasRegistry(refused_url, 1, 1, read_retries=1, retry_backoff=0).specialties(KEY)
    text = caplog.text
    assert caplog.records, "the failures were not logged at all"
    assert KEY.policy not in text and "1985-04-12" not in text and "000000000016" not in text


def _slot_and_doctor() -> tuple[Doctor, Slot]:
    start = datetime(2026, 11, 25, 9, 0, tzinfo=MSK)
    slot = Slot(
        start,
        start + timedelta(minutes=20),
        start.isoformat(),
        (start + timedelta(minutes=20)).isoformat(),
        612300112,
        "2-04",
    )
    return Doctor(21035260011, "Петров Павел Петрович", "6", "Офтальмолог", "1801", ()), slot


def test_an_unreadable_booking_answer_is_checked_against_the_appointments(scripted) -> None:
    doctor, slot = _slot_and_doctor()
    scripted.script.result({})  # createAppointment "succeeded" with nothing readable
    scripted.script.result(
        [
            {
                "id": 334455600009,
                "type": "RECEPTION",
                "startTime": slot.start_raw,
                "endTime": slot.end_raw,
                "nameLpu": "ГП",
                "lpuAddress": "Москва",
                "roomNumber": "2-04",
                "toDoctor": {"specialityId": 6, "specialityName": "Офтальмолог", "receptionTypeId": 1801},
            }
        ]
    )
    booking = EmiasRegistry(scripted.url, 1, 1).book(KEY, doctor, slot)
    assert booking.appointment_id == 334455600009
    assert [r["method"] for r in scripted.script.requests] == [
        "createAppointment",
        "getAppointmentReceptionsByPatient",
    ]


def test_a_cut_booking_answer_that_did_not_book_is_reported_as_not_made(scripted) -> None:
    doctor, slot = _slot_and_doctor()
    scripted.script.raw(200, b'{"jsonrpc": "2.0", "id": "<echo>", "result": {"appointmentId": 1}}', cut=True)
    scripted.script.result([])
    with pytest.raises(RegistryUnavailable) as caught:
        EmiasRegistry(scripted.url, 1, 1).book(KEY, doctor, slot)
    assert not isinstance(caught.value, BookingOutcomeUnknown)
    assert [r["method"] for r in scripted.script.requests] == [
        "createAppointment",
        "getAppointmentReceptionsByPatient",
    ]


def test_a_read_timeout_is_not_repeated(scripted) -> None:
    scripted.script.raw(200, b'{"jsonrpc":"2.0","id":"<echo>","result":[]}', delay=1.0)
    scripted.script.result([])
    slow = JsonRpcClient(scripted.url, 1.0, 0.3, read_retries=2, retry_backoff=0.0)
    with pytest.raises(TransportFailure):
        slow.call("getReferralsInfo", {})
    assert slow.round_trips == 1  # the patient has waited read_timeout already


def test_http_4xx_is_not_repeated(scripted) -> None:
    scripted.script.raw(404, b"not found")
    scripted.script.result([])
    rpc = client(scripted.url, retries=2)
    with pytest.raises(TransportFailure):
        rpc.call("getReferralsInfo", {})
    assert len(scripted.script.requests) == 1
