"""The tolerant readers of EMIAS answers (emias-protocol.md §4.8 quirks)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kiosk.domain import Doctor, PatientKey
from kiosk.errors import UnexpectedAnswer
from kiosk.registry import parse

DOCTOR = {
    "id": "21034567890",
    "lpuId": 10000999,
    "name": "Петров_П.П. <81>",
    "arType": 1,
    "specialityChangeAbility": False,
    "arSpecialityId": 6,
    "arSpecialityName": "Офтальмолог",
    "receptionType": [{"code": "1801", "name": "Первичный прием", "primary": "true", "home": "false"}],
    "ldpType": [],
    "samplingType": [],
    "complexResource": [
        {
            "id": 612345678,
            "name": "214",
            "room": {
                "id": 75012345,
                "number": "214",
                "lpuId": 10001001,
                "lpuShortName": "ГП 999 Ф 2",
                "addressPointId": 6001234,
                "defaultAddress": "г. Москва, ул. Примерная, д. 10, корп. 2",
                "availabilityDate": "2025-03-14T00:00:00+03:00",
            },
        },
        {"id": 612345679, "name": "215"},
    ],
}


def test_doctor_without_main_doctor_uses_cleaned_name_and_only_rooms_are_bookable() -> None:
    doctor = parse.doctor(DOCTOR, query_specialty_id="6")
    assert doctor.resource_id == 21034567890  # id sent as a string
    assert doctor.name == "Петров П.П."  # underscores and the <NN> suffix
    assert doctor.specialty_id == "6" and doctor.reception_type_id == "1801"
    assert [r.complex_resource_id for r in doctor.rooms] == [
        612345678
    ]  # the one without room is not bookable
    assert doctor.rooms[0].nearest_date == date(2025, 3, 14)  # a datetime accepted for a date
    assert doctor.query_specialty_id == "6" and doctor.kind == "doctor"


def test_main_doctor_gives_the_full_name() -> None:
    raw = dict(
        DOCTOR,
        mainDoctor={
            "lastName": "Петров",
            "firstName": "Павел",
            "secondName": "Петрович",
            "specialityId": 6,
            "specialityName": "Офтальмолог",
        },
    )
    assert parse.doctor(raw).name == "Петров Павел Петрович"


def test_diagnostic_room_takes_its_specialty_from_ldp_type() -> None:
    raw = {
        "id": 1,
        "lpuId": 2,
        "name": "Кабинет ЭКГ",
        "receptionType": [],
        "ldpType": [{"code": "105", "name": "Электрокардиография"}],
        "complexResource": [],
    }
    room = parse.doctor(raw, referral_id=5)
    assert (room.kind, room.specialty_id, room.reception_type_id, room.referral_id) == (
        "diagnostic",
        "105",
        None,
        5,
    )
    assert not room.bookable


@pytest.mark.parametrize("nothing", [[], {}, None])
def test_nothing_is_an_empty_list(nothing: object) -> None:
    assert parse.doctors(nothing) == []
    assert parse.appointments(nothing) == []


@pytest.mark.parametrize(
    "result", [{}, {"availableResource": DOCTOR}, {"availableResource": DOCTOR, "scheduleOfDay": []}]
)
def test_schedule_without_days(result: dict[str, object]) -> None:
    asked = Doctor(1, "x", "6", "Офтальмолог", "1801", ())
    assert parse.schedule(result, asked).days == ()


def test_schedule_reads_every_cabinet_and_keeps_raw_strings() -> None:
    result = {
        "availableResource": DOCTOR,
        "scheduleOfDay": [
            {
                "date": "2025-03-14",
                "scheduleBySlot": [
                    {
                        "complexResourceId": 612345678,
                        "cabinetNumber": "214",
                        "slot": [
                            {"startTime": "2025-03-14T09:45:00+03:00", "endTime": "2025-03-14T10:00:00+03:00"}
                        ],
                    },
                    {
                        "complexResourceId": "612345679",
                        "cabinetNumber": "215",
                        "slot": [
                            {"startTime": "2025-03-14T09:00:00+03:00", "endTime": "2025-03-14T09:15:00+03:00"}
                        ],
                    },
                ],
            }
        ],
    }
    asked = Doctor(21034567890, "x", "6", "", None, (), referral_id=9)
    schedule = parse.schedule(result, asked)
    slots = schedule.days[0].slots
    assert [s.cabinet for s in slots] == ["215", "214"]  # sorted by time across cabinets
    assert slots[1].start_raw == "2025-03-14T09:45:00+03:00"
    assert slots[1].start == datetime.fromisoformat("2025-03-14T09:45:00+03:00")
    assert schedule.doctor.referral_id == 9  # the context survives the re-read resource


def test_appointment_optional_blocks_absent() -> None:
    item = {
        "id": 334455667800,
        "type": "LDP",
        "startTime": "2025-03-12T08:20:00+03:00",
        "nameLpu": "ГБУЗ «ГП № 999 ДЗМ»",
        "lpuAddress": "г. Москва",
        "roomNumber": "105",
        "toLdp": {"ldpTypeId": 105, "ldpTypeName": "Электрокардиография"},
        "referral": {"referralId": "173456789013"},
    }
    appointment = parse.appointment(item)
    assert appointment.end is None and appointment.specialty_id == "105"
    assert appointment.referral_id == 173456789013 and appointment.doctor_name == ""


def test_referral_spelling_and_numbers() -> None:
    item = {
        "id": 173456789012,
        "number": "7799-0012345",
        "type": "REF_TO_DOCTOR",
        "startTime": "2025-03-03",
        "endTime": "2025-04-02",
        "lpuId": 10000999,
        "lpuName": "ГП 999",
        "toDoctor": {"specialityId": 14, "specialityName": "Кардиолог", "receptionTypeId": 1802},
        "countActiveAppointment": 1,
        "countAppointmentWithReceptionFact": 0,
    }
    referral = parse.referral(item)
    assert (referral.target_id, referral.reception_type_id, referral.lpu_name) == ("14", "1802", "ГП 999")
    assert referral.is_valid_on(date(2025, 3, 20)) and not referral.is_valid_on(date(2025, 4, 3))


def test_patient_name_extension_is_optional() -> None:
    key = PatientKey("7700000000000016", date(1985, 4, 12))
    bare = parse.patient({"attachments": {"attachment": []}}, key)
    assert bare.last_name == "" and bare.attachments == ()
    named = parse.patient(
        {"patient": {"lastName": "Иванова", "firstName": "Анна", "middleName": "Сергеевна"}}, key
    )
    assert named.short_name == "Иванова А. С."


@pytest.mark.parametrize(
    "bad",
    [
        [{"id": True}],  # boolean id
        [{"id": 1, "complexResource": "214"}],  # list expected
        "nothing",  # a string where a list belongs
    ],
)
def test_wrong_types_raise_unexpected_answer(bad: object) -> None:
    with pytest.raises(UnexpectedAnswer):
        parse.doctors(bad)


def test_flags_accept_strings_and_booleans() -> None:
    assert parse.flag("true") and parse.flag(True) and not parse.flag("false") and not parse.flag(None)


def test_district_aliases() -> None:
    assert parse.same_specialty("200", "69") and parse.same_specialty("602", "69")
    assert not parse.same_specialty("6", "69") and not parse.same_specialty(None, "6")
