"""Conformance fixtures (tests/fixtures/protocol/*.json, composed from emias-protocol.md §1.4 and §3).

Each fixture is a request/answer pair. The same files drive both sides:
* the client: the answer is served by a scripted loopback server, the client's request must carry
  the fixture's params, and what it reads must match ``expect``;
* the demo registry: the request (with ``demo`` placeholders resolved against the demo polyclinic)
  must get an answer of the fixture's shape (same members, same JSON types; extensions allowed).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk.clock import ManualClock
from kiosk.demo_registry import DemoRegistryHandle, start_demo_registry
from kiosk.domain import Doctor, PatientKey, Slot
from kiosk.errors import RegistryError
from kiosk.registry.emias import EmiasRegistry
from kiosk.registry.values import to_datetime
from tests.registry.support import ANNA, ELENA, MISHA, PINNED_NOW, SERGEY, first_free, key_of

FIXTURES = sorted((Path(__file__).parent.parent / "fixtures" / "protocol").glob("*.json"))
PATIENTS = {"anna": ANNA, "elena": ELENA, "misha": MISHA, "sergey": SERGEY}


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


def test_there_is_a_fixture_for_every_method_of_section_3() -> None:
    methods = {load(p)["method"] for p in FIXTURES}
    assert methods >= {
        "getSpecialitiesInfo",
        "getReferralsInfo",
        "getAssignmentsInfo",
        "getPatientInfo3",
        "getDoctorsInfo",
        "getAvailableResourceScheduleInfo",
        "createAppointment",
        "shiftAppointment",
        "cancelAppointment",
        "getAppointmentReceptionsByPatient",
    }


# --- the client side -------------------------------------------------------------------------


def _doctor_from(params: dict[str, Any]) -> Doctor:
    return Doctor(
        int(params["availableResourceId"]),
        "",
        "6",
        "",
        params.get("receptionTypeId"),
        (),
        query_specialty_id=params.get("specialityId"),
    )


def _slot_from(params: dict[str, Any]) -> Slot:
    return Slot(
        to_datetime(params["startTime"], "t"),
        to_datetime(params["endTime"], "t"),
        params["startTime"],
        params["endTime"],
        int(params["complexResourceId"]),
        "",
    )


def call_client(client: EmiasRegistry, method: str, params: dict[str, Any]) -> Any:
    key = PatientKey(params["omsNumber"], date.fromisoformat(params["birthDate"]))
    calls = {
        "getSpecialitiesInfo": lambda: client.specialties(key),
        "getReferralsInfo": lambda: client.referrals(key),
        "getAssignmentsInfo": lambda: client.assignments(key),
        "getPatientInfo3": lambda: client.identify(key),
        "getDoctorsInfo": lambda: client.doctors(key, params["specialityId"]),
        "getAvailableResourceScheduleInfo": lambda: client.schedule(
            key, _doctor_from(params), params.get("complexResourceId")
        ),
        "createAppointment": lambda: client.book(key, _doctor_from(params), _slot_from(params)),
        "shiftAppointment": lambda: client.reschedule(
            key, params["appointmentId"], _doctor_from(params), _slot_from(params)
        ),
        "cancelAppointment": lambda: client.cancel(key, params["appointmentId"]),
        "getAppointmentReceptionsByPatient": lambda: client.appointments(key),
    }
    if method == "getAvailableResourceScheduleInfo" and "appointmentId" in params:
        doctor = Doctor(
            int(params["availableResourceId"]),
            "",
            "6",
            "",
            None,
            (),
            shift_appointment_id=params["appointmentId"],
        )
        return client.schedule(key, doctor)
    return calls[method]()


def _value(found: Any) -> Any:
    if isinstance(found, date):
        return found.isoformat()
    if isinstance(found, tuple):
        return len(found)
    return found


def check_expectations(result: Any, expect: dict[str, Any]) -> None:
    items = list(result) if isinstance(result, list) else None
    for name, wanted in expect.items():
        if name == "count":
            assert len(items or []) == wanted
        elif name in ("first", "second"):
            item = (items or [])[0 if name == "first" else 1]
            for attr, value in wanted.items():
                assert _value(getattr(item, attr)) == value, f"{name}.{attr}"
        elif name == "days":
            assert len(result.days) == wanted
        elif name == "slots":
            assert sum(len(day.slots) for day in result.days) == wanted
        elif name == "first_slot":
            for attr, value in wanted.items():
                assert getattr(result.days[0].slots[0], attr) == value
        elif name == "attachments":
            assert len(result.attachments) == wanted
        elif name == "first_attachment":
            for attr, value in wanted.items():
                assert getattr(result.attachments[0], attr) == value
        elif name == "result":
            assert result is None  # cancel: "no error" is success
        elif name != "error":
            assert getattr(result, name) == wanted, name


@pytest.mark.parametrize("path", FIXTURES, ids=ids(FIXTURES))
def test_client_reads_the_fixture(scripted, path: Path) -> None:
    fixture = load(path)
    answer = dict(fixture["answer"], id="<echo>")
    scripted.script.raw(200, json.dumps(answer, ensure_ascii=True).encode())
    client = EmiasRegistry(scripted.url, 2, 5, read_retries=0)
    request_params = fixture["request"]["params"]
    if "error" in fixture["expect"]:
        with pytest.raises(RegistryError) as caught:
            call_client(client, fixture["method"], request_params)
        assert caught.value.code == fixture["expect"]["error"]
    else:
        check_expectations(call_client(client, fixture["method"], request_params), fixture["expect"])
    sent = scripted.script.requests[0]
    assert sent["method"] == fixture["method"]
    for name, value in request_params.items():
        assert sent["params"].get(name) == value, f"the client sent {name}={sent['params'].get(name)!r}"


# --- the demo registry side ------------------------------------------------------------------


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[DemoRegistryHandle]:
    handle = start_demo_registry(tmp_path / "conformance.sqlite", seed=2026, clock=ManualClock(PINNED_NOW))
    yield handle
    handle.stop()


def resolve(demo: DemoRegistryHandle, key: PatientKey, params: dict[str, Any]) -> dict[str, Any]:
    """Replace ``$resource``, ``$room``, ``$slot.*``, ``$slot2.*``, ``$appointment`` with demo values."""
    client = EmiasRegistry(demo.url, 2, 5)
    doctor, slot = first_free(client, key, client.doctors(key, "6"))
    _doctor, slot2 = first_free(client, key, client.doctors(key, "6"), skip=1)
    values: dict[str, Any] = {
        "$resource": doctor.resource_id,
        "$room": doctor.rooms[0].complex_resource_id,
        "$slot.start": slot.start_raw,
        "$slot.end": slot.end_raw,
        "$slot.room": slot.complex_resource_id,
        "$slot2.start": slot2.start_raw,
        "$slot2.end": slot2.end_raw,
    }
    if "$appointment" in params.values():
        values["$appointment"] = client.book(key, doctor, slot).appointment_id
    client.close()
    return {
        name: values.get(value, value) if isinstance(value, str) else value for name, value in params.items()
    }


def required_shape(values: list[Any]) -> Any:
    """What every element of a fixture list has in common (optional blocks drop out)."""
    dicts = [v for v in values if isinstance(v, dict)]
    if not dicts:
        return values[0]
    common = set(dicts[0]).intersection(*dicts[1:])
    return {name: dicts[0][name] for name in common}


def conforms(expected: Any, actual: Any, where: str = "answer") -> None:
    if isinstance(expected, bool) or expected is None:
        assert isinstance(actual, type(expected)), f"{where}: {type(actual).__name__}, wanted {expected!r}"
    elif isinstance(expected, int | float):
        assert isinstance(actual, int | float) and not isinstance(actual, bool), f"{where}: not a number"
    elif isinstance(expected, str):
        assert isinstance(actual, str), f"{where}: not a string"
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{where}: not a list"
        if expected and actual:
            shape = required_shape(expected)
            for index, item in enumerate(actual):
                conforms(shape, item, f"{where}[{index}]")
    elif isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: not an object"
        for name, value in expected.items():
            assert name in actual, f"{where}: no {name!r}"
            conforms(value, actual[name], f"{where}.{name}")


@pytest.mark.parametrize("path", FIXTURES, ids=ids(FIXTURES))
def test_demo_registry_answers_in_the_fixture_shape(demo: DemoRegistryHandle, path: Path) -> None:
    fixture = load(path)
    key = key_of(PATIENTS[fixture["demo"]["patient"]])
    params = {
        "omsNumber": key.policy,
        "birthDate": key.birth_date.isoformat(),
        **resolve(demo, key, fixture["demo"]["params"]),
    }
    body = {"jsonrpc": "2.0", "id": fixture["request"]["id"], "method": fixture["method"], "params": params}
    answer = requests.post(f"{demo.url}?{fixture['method']}", json=body, timeout=5).json()
    expected = fixture["answer"]
    assert answer["id"] == expected["id"] and answer["jsonrpc"] == "2.0"
    if "error" in expected:
        assert "result" not in answer
        assert answer["error"]["data"]["code"] == expected["error"]["data"]["code"]
        conforms(expected["error"], answer["error"], "error")
    else:
        assert "error" not in answer, answer.get("error")
        conforms(expected["result"], answer["result"], "result")
        if expected["result"] != {} and isinstance(expected["result"], list | dict):
            assert answer["result"], "the demo answered nothing where the fixture has content"
