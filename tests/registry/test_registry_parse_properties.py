"""Property tests: whatever JSON a registry sends, the readers return values or raise UnexpectedAnswer."""

from __future__ import annotations

import contextlib
import copy as copy_module
import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.domain import Doctor, PatientKey
from kiosk.errors import UnexpectedAnswer
from kiosk.registry import parse
from kiosk.registry.values import clean_name, to_date, to_datetime, to_int

KEYS = st.sampled_from(
    [
        "id",
        "name",
        "code",
        "lpuId",
        "room",
        "number",
        "complexResource",
        "mainDoctor",
        "receptionType",
        "ldpType",
        "scheduleOfDay",
        "scheduleBySlot",
        "slot",
        "startTime",
        "endTime",
        "date",
        "availableResource",
        "toDoctor",
        "toLdp",
        "referral",
        "type",
        "appointmentId",
        "attachments",
        "attachment",
        "lpu",
        "patient",
        "period",
        "toBM",
        "registryEntry",
        "complexResourceId",
        "cabinetNumber",
        "specialityId",
        "lastName",
    ]
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.sampled_from(["2025-03-14", "2025-03-14T09:00:00+03:00", "12", "true", "", "2025-13-40"])
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=6),
    max_leaves=25,
)
KEY = PatientKey("7700000000000016", date(1985, 4, 12))
ASKED = Doctor(1, "x", "6", "", None, ())

READERS: list[Any] = [
    parse.doctors,
    parse.appointments,
    parse.referrals,
    parse.assignments,
    parse.lpus,
    parse.booking,
    lambda value: parse.schedule(value, ASKED),
    lambda value: parse.patient(value, KEY),
    lambda value: [parse.specialty(item) for item in parse.items(value, "specialities")],
    lambda value: parse.check_in(value, 1),
]


@settings(max_examples=300, deadline=None)
@given(JSON, st.sampled_from(range(len(READERS))))
def test_readers_never_fail_with_anything_but_unexpected_answer(value: Any, which: int) -> None:
    with contextlib.suppress(UnexpectedAnswer):
        READERS[which](value)


FIXTURES = sorted((Path(__file__).parent.parent / "fixtures" / "protocol").glob("*.json"))
BY_METHOD = {
    "getDoctorsInfo": parse.doctors,
    "getAppointmentReceptionsByPatient": parse.appointments,
    "getReferralsInfo": parse.referrals,
    "getAssignmentsInfo": parse.assignments,
    "createAppointment": parse.booking,
    "shiftAppointment": parse.booking,
    "getAvailableResourceScheduleInfo": READERS[6],
    "getPatientInfo3": READERS[7],
    "getSpecialitiesInfo": READERS[8],
}
SAMPLES = [
    (load["method"], load["answer"]["result"])
    for load in (json.loads(p.read_text("utf-8")) for p in FIXTURES)
    if "result" in load["answer"] and load["method"] in BY_METHOD and load["answer"]["result"]
]


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for name, inner in value.items():
            found += paths(inner, (*prefix, name))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += paths(inner, (*prefix, index))
    return found


def replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    copy = copy_module.deepcopy(value)
    target = copy
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = new
    return copy


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_a_real_answer_with_one_value_broken(data: st.DataObject) -> None:
    """Take a fixture answer, replace one member anywhere by something else: values or UnexpectedAnswer."""
    method, result = data.draw(st.sampled_from(SAMPLES))
    path = data.draw(st.sampled_from(paths(result)))
    broken = replaced(result, path, data.draw(JSON))
    with contextlib.suppress(UnexpectedAnswer):
        BY_METHOD[method](broken)


@given(st.integers(min_value=-(2**63), max_value=2**63))
def test_ids_as_numbers_or_strings(number: int) -> None:
    assert to_int(number, "id") == to_int(str(number), "id") == number


@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
    st.integers(min_value=-12, max_value=14),
)
def test_times_round_trip_with_their_offset(moment: datetime, hours: int) -> None:
    aware = moment.replace(microsecond=0, tzinfo=timezone(timedelta(hours=hours)))
    assert to_datetime(aware.isoformat(), "t") == aware


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)))
def test_dates_as_dates_or_midnight_datetimes(day: date) -> None:
    assert to_date(day.isoformat(), "d") == day
    assert to_date(f"{day.isoformat()}T00:00:00+03:00", "d") == day


@given(st.text(alphabet="АБВабв_. ", min_size=1, max_size=20), st.integers(min_value=0, max_value=999))
def test_clean_name_removes_underscores_and_suffix(name: str, suffix: int) -> None:
    cleaned = clean_name(f"{name} <{suffix}>")
    assert "_" not in cleaned and f"<{suffix}>" not in cleaned
