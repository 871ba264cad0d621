"""JSON shapes of the demo registry's answers, as in emias-protocol.md §2–3.

Optional blocks are left out rather than set to null (quirk 8); ids are numbers, specialty
and reception codes strings (quirk 3).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from kiosk.demo_registry.clinic import Building, Clinic, Resource, SpecialtyDef
from kiosk.demo_registry.scenario import AssignmentDef, ReferralDef
from kiosk.demo_registry.store import StoredAppointment

Json = dict[str, Any]


def specialty(spec: SpecialtyDef) -> Json:
    return {
        "code": spec.code,
        "name": spec.name,
        "male": False,
        "female": spec.female_only,
        "areaType": [],
        "therapeutic": spec.therapeutic,
        "isMultipleLpuSpeciality": spec.multi_lpu,
        "isComplaintSpeciality": spec.complaint,
    }


def _room(cabinet_building: Building, room_id: int, number: str, nearest: date) -> Json:
    return {
        "id": room_id,
        "number": number,
        "lpuId": cabinet_building.lpu_id,
        "lpuShortName": cabinet_building.short_name,
        "addressPointId": cabinet_building.address_point_id,
        "defaultAddress": cabinet_building.address,
        "availabilityDate": nearest.isoformat(),
    }


def resource(res: Resource, clinic: Clinic, nearest: dict[int, date]) -> Json:
    """An AvailableResource; a cabinet gets its ``room`` only when it has free time (quirk 5)."""
    cabinets = []
    for cabinet in res.cabinets:
        entry: Json = {"id": cabinet.complex_resource_id, "name": cabinet.number}
        if cabinet.complex_resource_id in nearest:
            entry["room"] = _room(
                cabinet.building, cabinet.room_id, cabinet.number, nearest[cabinet.complex_resource_id]
            )
        cabinets.append(entry)
    body: Json = {
        "id": res.resource_id,
        "lpuId": clinic.head.lpu_id,
        "name": res.label,
        "arType": 1 if res.kind == "doctor" else 2,
        "specialityChangeAbility": False,
    }
    if res.kind == "doctor":
        body.update(
            {
                "arSpecialityId": int(res.spec_code),
                "arSpecialityName": res.spec_name,
                "mainDoctor": {
                    "specialityName": res.spec_name,
                    "specialityId": int(res.spec_code),
                    "firstName": res.first_name,
                    "lastName": res.last_name,
                    "secondName": res.middle_name,
                    "mejiId": res.meji_id,
                    "employeeId": res.employee_id,
                },
                "receptionType": [
                    {
                        "code": res.reception_code,
                        "name": res.reception_name,
                        "primary": "true",
                        "home": "false",
                    }
                ],
                "ldpType": [],
            }
        )
    else:
        body.update({"receptionType": [], "ldpType": [{"code": res.spec_code, "name": res.spec_name}]})
    body.update(
        {
            "samplingType": [],
            "complexResource": cabinets,
            "district": res.menu_code == "200",
            "replacement": False,
            "nondistrict": res.menu_code != "200",
            "availableByReferral": res.kind == "ldp",
        }
    )
    return body


def schedule_days(days: list[tuple[date, int, str, list[tuple[str, str]]]]) -> list[Json]:
    """(day, complexResourceId, cabinet, [(start, end)]) → scheduleOfDay[] (one cabinet per day here)."""
    return [
        {
            "date": day.isoformat(),
            "scheduleBySlot": [
                {
                    "complexResourceId": cr_id,
                    "cabinetNumber": cabinet,
                    "slot": [{"startTime": start, "endTime": end} for start, end in slots],
                }
            ],
        }
        for day, cr_id, cabinet, slots in days
    ]


def appointment(stored: StoredAppointment, res: Resource, clinic: Clinic, check_in_extension: bool) -> Json:
    cabinet = next(
        (c for c in res.cabinets if c.complex_resource_id == stored.complex_resource_id), res.cabinets[0]
    )
    body: Json = {
        "id": stored.id,
        "type": "RECEPTION" if res.kind == "doctor" else "LDP",
        "startTime": stored.start_time,
        "endTime": stored.end_time,
        "nameLpu": cabinet.building.name,
        "lpuAddress": cabinet.building.address,
        "roomNumber": cabinet.number,
    }
    if res.kind == "doctor":
        body["toDoctor"] = {
            "specialityId": int(res.spec_code),
            "specialityName": res.spec_name,
            "receptionTypeId": int(stored.reception_type or res.reception_code),
            "doctorFio": f"{res.last_name} {res.first_name} {res.middle_name}",
        }
    else:
        body["toLdp"] = {"ldpTypeId": int(res.spec_code), "ldpTypeName": res.spec_name}
    if stored.referral_id is not None:
        body["referral"] = {"referralId": stored.referral_id}
    body["enableShift"] = True
    if check_in_extension:
        body["checkedIn"] = stored.checked_in_at is not None
    return body


def referral(ref: ReferralDef, today: date, active: int, clinic: Clinic) -> Json:
    body: Json = {
        "id": ref.referral_id,
        "number": ref.number,
        "type": ref.kind,
        "startTime": ref.valid_from(today).isoformat(),
        "endTime": ref.valid_to(today).isoformat(),
        "lpuId": clinic.head.lpu_id,
        "lpuName": clinic.head.name,
    }
    if ref.kind == "REF_TO_DOCTOR":
        spec = clinic.specialty(ref.target)
        body["toDoctor"] = {
            "specialityId": int(ref.target),
            "specialityName": spec.name if spec else "",
            "receptionTypeId": ref.reception_type_id,
        }
    else:
        body["toLdp"] = {
            "ldpTypeId": int(ref.target),
            "ldpTypeName": clinic.ldp_types.get(ref.target, ""),
            "countAssignmentProcedures": 1,
        }
    body.update(
        {
            "countActiveAppointment": active,
            "countAppointmentWithReceptionFact": ref.completed,
            "isMultipleLpuSpeciality": False,
            "isComplaintSpeciality": False,
        }
    )
    if ref.comment:
        body["comment"] = ref.comment
    return body


def assignment(item: AssignmentDef, today: date) -> Json:
    start = date.fromordinal(today.toordinal() + item.starts_in)
    end = date.fromordinal(today.toordinal() + item.ends_in)
    return {
        "id": item.assignment_id,
        "toBM": {"name": item.name},
        "period": {"dateFrom": start.isoformat(), "dateTo": end.isoformat()},
        "appointmentAvailable": True,
        "registryEntry": [
            {
                "laboratoryName": item.laboratory,
                "diagnosis": {"code": item.diagnosis[0], "name": item.diagnosis[1]},
                "issuedDoctor": {"fio": item.doctor},
            }
        ],
    }


def lpu(building: Building) -> Json:
    return {
        "lpuId": building.lpu_id,
        "lpuName": building.name,
        "lpuShortName": building.short_name,
        "address": building.address,
    }
