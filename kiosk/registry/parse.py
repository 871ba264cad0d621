"""Tolerant readers of EMIAS answers into kiosk.domain values (emias-protocol.md §2, §4.8).

Accepts ids as numbers or strings, booleans as ``true``/``"true"``, dates as dates or
datetimes, ``{}``/``null``/missing for "nothing", ``_`` for spaces and ``<NN>`` suffixes
in resource names. Anything of the wrong shape raises :class:`UnexpectedAnswer`.
"""

from __future__ import annotations

from typing import Any

from kiosk.domain import (
    Appointment,
    Assignment,
    Attachment,
    Booking,
    CheckIn,
    DaySchedule,
    Doctor,
    Lpu,
    Patient,
    PatientKey,
    Referral,
    Room,
    Schedule,
    Slot,
    Specialty,
)
from kiosk.errors import UnexpectedAnswer
from kiosk.registry.values import (
    clean_name,
    flag,
    items,
    obj,
    opt_date,
    opt_int,
    opt_obj,
    text,
    to_date,
    to_datetime,
    to_int,
)

#: district-doctor codes that stand for the same thing (umbrella 200 shows up as 69 or 602; 68 for children)
DISTRICT_CODES = frozenset({"200", "69", "602", "68"})


def same_specialty(a: str | None, b: str | None) -> bool:
    """Whether two specialty codes mean the same booking target (district aliases count as one)."""
    if a is None or b is None:
        return False
    return a == b or (a in DISTRICT_CODES and b in DISTRICT_CODES)


# --- objects ----------------------------------------------------------------------------------


def specialty(value: Any) -> Specialty:
    raw = obj(value, "speciality")
    return Specialty(
        code=text(raw.get("code"), "speciality.code"),
        name=text(raw.get("name"), "speciality.name"),
        by_referral_only=flag(raw.get("onlyByRefferal")),
        therapeutic=flag(raw.get("therapeutic")),
    )


def _room(entry: dict[str, Any]) -> Room | None:
    """A bookable cabinet: a complexResource with a ``room`` (quirk 5)."""
    room = opt_obj(entry.get("room"), "complexResource.room")
    if room is None:
        return None
    number = text(room.get("number"), "room.number") or text(entry.get("name"), "complexResource.name")
    return Room(
        complex_resource_id=to_int(entry.get("id"), "complexResource.id"),
        number=number,
        lpu_short_name=text(room.get("lpuShortName"), "room.lpuShortName"),
        address=text(room.get("defaultAddress"), "room.defaultAddress"),
        nearest_date=opt_date(room.get("availabilityDate"), "room.availabilityDate"),
    )


def doctor(
    value: Any,
    *,
    referral_id: int | None = None,
    shift_appointment_id: int | None = None,
    query_specialty_id: str | None = None,
) -> Doctor:
    raw = obj(value, "availableResource")
    main = opt_obj(raw.get("mainDoctor"), "mainDoctor")
    ldp = [obj(item, "ldpType") for item in items(raw.get("ldpType"), "ldpType")]
    receptions = [obj(item, "receptionType") for item in items(raw.get("receptionType"), "receptionType")]
    if main is not None:
        name = " ".join(text(main.get(k), f"mainDoctor.{k}") for k in ("lastName", "firstName", "secondName"))
        name = " ".join(name.split()) or clean_name(text(raw.get("name"), "name"))
    else:
        name = clean_name(text(raw.get("name"), "availableResource.name"))
    diagnostic = main is None and bool(ldp)
    if diagnostic:
        spec_id, spec_name = (
            text(ldp[0].get("code"), "ldpType.code"),
            text(ldp[0].get("name"), "ldpType.name"),
        )
    else:
        spec_id = text(
            raw.get("arSpecialityId", main.get("specialityId") if main else None), "arSpecialityId"
        )
        spec_name = text(
            raw.get("arSpecialityName", main.get("specialityName") if main else None), "arSpecialityName"
        )
    rooms = tuple(
        room
        for room in (
            _room(obj(entry, "complexResource"))
            for entry in items(raw.get("complexResource"), "complexResource")
        )
        if room
    )
    return Doctor(
        resource_id=to_int(raw.get("id"), "availableResource.id"),
        name=name,
        specialty_id=spec_id,
        specialty_name=spec_name,
        reception_type_id=(text(receptions[0].get("code"), "receptionType.code") or None)
        if receptions
        else None,
        rooms=rooms,
        kind="diagnostic" if diagnostic else "doctor",
        lpu_id=opt_int(raw.get("lpuId"), "availableResource.lpuId"),
        referral_id=referral_id,
        shift_appointment_id=shift_appointment_id,
        query_specialty_id=query_specialty_id,
    )


def doctors(result: Any, **context: Any) -> list[Doctor]:
    return [doctor(item, **context) for item in items(result, "getDoctorsInfo")]


def schedule(result: Any, asked: Doctor) -> Schedule:
    """``{}`` or a missing ``scheduleOfDay`` mean no free time (quirk 4); all cabinets are read."""
    raw = obj(result, "getAvailableResourceScheduleInfo") if result not in (None, [], "") else {}
    who = asked
    if raw.get("availableResource"):
        who = doctor(
            raw["availableResource"],
            referral_id=asked.referral_id,
            shift_appointment_id=asked.shift_appointment_id,
            query_specialty_id=asked.query_specialty_id,
        )
    days = []
    for day_value in items(raw.get("scheduleOfDay"), "scheduleOfDay"):
        day_raw = obj(day_value, "scheduleOfDay[]")
        slots = []
        for block_value in items(day_raw.get("scheduleBySlot"), "scheduleBySlot"):
            block = obj(block_value, "scheduleBySlot[]")
            cr_id = to_int(block.get("complexResourceId"), "scheduleBySlot.complexResourceId")
            cabinet = text(block.get("cabinetNumber"), "cabinetNumber")
            for slot_value in items(block.get("slot"), "slot"):
                slot = obj(slot_value, "slot[]")
                start_raw, end_raw = slot.get("startTime"), slot.get("endTime")
                slots.append(
                    Slot(
                        start=to_datetime(start_raw, "slot.startTime"),
                        end=to_datetime(end_raw, "slot.endTime"),
                        start_raw=str(start_raw),
                        end_raw=str(end_raw),
                        complex_resource_id=cr_id,
                        cabinet=cabinet,
                    )
                )
        if slots:
            slots.sort(key=lambda s: s.start)
            days.append(
                DaySchedule(day=to_date(day_raw.get("date"), "scheduleOfDay.date"), slots=tuple(slots))
            )
    days.sort(key=lambda d: d.day)
    return Schedule(doctor=who, days=tuple(days))


def booking(result: Any) -> Booking:
    raw = obj(result, "createAppointment")
    appointment_id = to_int(raw.get("appointmentId"), "appointmentId")
    number = text(raw.get("appointmentNumber"), "appointmentNumber") or str(appointment_id)
    return Booking(appointment_id=appointment_id, appointment_number=number)


def appointment(value: Any) -> Appointment:
    raw = obj(value, "appointment")
    to_doctor = opt_obj(raw.get("toDoctor"), "toDoctor")
    to_ldp = opt_obj(raw.get("toLdp"), "toLdp")
    referral = opt_obj(raw.get("referral"), "referral")
    if to_doctor is not None:
        spec_id = opt_int(to_doctor.get("specialityId"), "toDoctor.specialityId")
        spec_name = text(to_doctor.get("specialityName"), "toDoctor.specialityName")
        doctor_name = clean_name(text(to_doctor.get("doctorFio"), "toDoctor.doctorFio"))
    elif to_ldp is not None:
        spec_id = opt_int(to_ldp.get("ldpTypeId"), "toLdp.ldpTypeId")
        spec_name = text(to_ldp.get("ldpTypeName"), "toLdp.ldpTypeName")
        doctor_name = ""
    else:
        spec_id, spec_name, doctor_name = None, "", ""
    end = raw.get("endTime")
    return Appointment(
        appointment_id=to_int(raw.get("id"), "appointment.id"),
        kind=text(raw.get("type"), "appointment.type", "RECEPTION") or "RECEPTION",
        start=to_datetime(raw.get("startTime"), "appointment.startTime"),
        end=to_datetime(end, "appointment.endTime") if end else None,
        clinic=text(raw.get("nameLpu"), "nameLpu"),
        address=text(raw.get("lpuAddress"), "lpuAddress"),
        room=text(raw.get("roomNumber"), "roomNumber"),
        specialty_id=None if spec_id is None else str(spec_id),
        specialty_name=spec_name,
        doctor_name=doctor_name,
        referral_id=opt_int(referral.get("referralId"), "referral.referralId") if referral else None,
        checked_in=flag(raw.get("checkedIn")),
        can_reschedule=flag(raw.get("enableShift"), default=True),
    )


def appointments(result: Any) -> list[Appointment]:
    found = [appointment(item) for item in items(result, "getAppointmentReceptionsByPatient")]
    return sorted(found, key=lambda a: a.start)


def referral(value: Any) -> Referral:
    raw = obj(value, "referral")
    to_doctor = opt_obj(raw.get("toDoctor"), "toDoctor")
    to_ldp = opt_obj(raw.get("toLdp"), "toLdp")
    kind = text(raw.get("type"), "referral.type") or ("REF_TO_LDP" if to_ldp else "REF_TO_DOCTOR")
    if to_doctor is not None:
        target_id = text(to_doctor.get("specialityId"), "toDoctor.specialityId")
        target_name = text(to_doctor.get("specialityName"), "toDoctor.specialityName")
        reception = text(to_doctor.get("receptionTypeId"), "toDoctor.receptionTypeId") or None
    elif to_ldp is not None:
        target_id = text(to_ldp.get("ldpTypeId"), "toLdp.ldpTypeId")
        target_name = text(to_ldp.get("ldpTypeName"), "toLdp.ldpTypeName")
        reception = None
    else:
        raise UnexpectedAnswer("referral without toDoctor or toLdp")
    return Referral(
        referral_id=to_int(raw.get("id"), "referral.id"),
        number=text(raw.get("number"), "referral.number"),
        kind=kind,
        valid_from=opt_date(raw.get("startTime"), "referral.startTime"),
        valid_to=opt_date(raw.get("endTime"), "referral.endTime"),
        lpu_id=to_int(raw.get("lpuId", 0), "referral.lpuId"),
        lpu_name=text(raw.get("lpuName"), "lpuName"),
        target_id=target_id,
        target_name=target_name,
        reception_type_id=reception,
        active_appointments=opt_int(raw.get("countActiveAppointment"), "countActiveAppointment") or 0,
        completed_appointments=opt_int(raw.get("countAppointmentWithReceptionFact"), "reception fact") or 0,
        comment=text(raw.get("comment"), "referral.comment"),
    )


def referrals(result: Any) -> list[Referral]:
    return [referral(item) for item in items(result, "getReferralsInfo")]


def patient(result: Any, key: PatientKey) -> Patient:
    """getPatientInfo3; the name comes from the ``patient`` extension when the registry sends it."""
    raw = obj(result, "getPatientInfo3") if result not in (None, []) else {}
    block = opt_obj(raw.get("attachments"), "attachments") or {}
    attachments = []
    for entry_value in items(block.get("attachment"), "attachment"):
        lpu = obj(obj(entry_value, "attachment").get("lpu"), "attachment.lpu")
        attachments.append(
            Attachment(
                lpu_id=opt_int(lpu.get("id"), "lpu.id") or 0,
                name=text(lpu.get("name"), "lpu.name"),
                address=text(lpu.get("address"), "lpu.address"),
            )
        )
    person = opt_obj(raw.get("patient"), "patient") or {}
    return Patient(
        key=key,
        last_name=text(person.get("lastName"), "patient.lastName"),
        first_name=text(person.get("firstName"), "patient.firstName"),
        middle_name=text(person.get("middleName", person.get("secondName")), "patient.middleName"),
        attachments=tuple(attachments),
    )


def assignments(result: Any) -> list[Assignment]:
    found = []
    for value in items(result, "getAssignmentsInfo"):
        raw = obj(value, "assignment")
        service = opt_obj(raw.get("toBM"), "toBM") or {}
        period = opt_obj(raw.get("period"), "period") or {}
        entries = items(raw.get("registryEntry"), "registryEntry")
        lab = (
            text(obj(entries[0], "registryEntry").get("laboratoryName"), "laboratoryName") if entries else ""
        )
        found.append(
            Assignment(
                assignment_id=to_int(raw.get("id"), "assignment.id"),
                name=text(service.get("name"), "toBM.name"),
                date_from=opt_date(period.get("dateFrom"), "period.dateFrom"),
                date_to=opt_date(period.get("dateTo"), "period.dateTo"),
                bookable=flag(raw.get("appointmentAvailable")),
                laboratory=lab,
            )
        )
    return found


def lpus(result: Any) -> list[Lpu]:
    found = []
    for value in items(result, "getLpuListForSpeciality"):
        raw = obj(value, "lpu")
        found.append(
            Lpu(
                lpu_id=to_int(raw.get("lpuId"), "lpuId"),
                name=text(raw.get("lpuName"), "lpuName"),
                short_name=text(raw.get("lpuShortName"), "lpuShortName"),
                address=text(raw.get("address"), "address"),
            )
        )
    return found


def check_in(result: Any, appointment_id: int) -> CheckIn:
    raw = result if isinstance(result, dict) else {}
    arrived = raw.get("arrivalTime")
    return CheckIn(
        appointment_id=opt_int(raw.get("appointmentId"), "appointmentId") or appointment_id,
        arrived_at=to_datetime(arrived, "arrivalTime") if arrived else None,
    )
