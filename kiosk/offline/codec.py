"""Domain values ↔ the cache's payload dicts (the cache itself knows nothing of kiosk.domain).

Every reader here treats the payload as hostile (a file on disk): a missing or mistyped field is
:class:`CacheDecodeError`, which the caching registry turns into "not cached".
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from kiosk.domain import Appointment, Attachment, Doctor, Patient, PatientKey, Room, Slot, Specialty
from offline_cache import DoctorItem, Item, SlotItem

Payload = dict[str, Any]


class CacheDecodeError(ValueError):
    """A cached payload does not have the shape this kiosk writes."""


def _day(text: Any) -> date | None:
    return date.fromisoformat(text) if text else None


def _time(text: Any) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _guard(build: Any) -> Any:
    def wrapped(payload: Any, *rest: Any) -> Any:
        try:
            return build(payload, *rest)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise CacheDecodeError(f"{build.__name__}: {type(error).__name__}: {error}") from None
    wrapped.__name__ = build.__name__
    return wrapped


def specialty_item(specialty: Specialty) -> Item:
    return Item(specialty.code, {"code": specialty.code, "name": specialty.name,
                                 "by_referral_only": specialty.by_referral_only})


@_guard
def specialty_from(payload: Payload) -> Specialty:
    return Specialty(str(payload["code"]), str(payload["name"]), bool(payload.get("by_referral_only", False)))


def doctor_item(doctor: Doctor) -> DoctorItem:
    rooms = [{"complex_resource_id": r.complex_resource_id, "number": r.number, "lpu_short_name": r.lpu_short_name,
              "address": r.address, "nearest_date": r.nearest_date.isoformat() if r.nearest_date else None}
             for r in doctor.rooms]
    return DoctorItem(doctor.resource_id, {
        "resource_id": doctor.resource_id, "name": doctor.name, "specialty_id": doctor.specialty_id,
        "specialty_name": doctor.specialty_name, "reception_type_id": doctor.reception_type_id, "rooms": rooms,
        "kind": doctor.kind, "lpu_id": doctor.lpu_id, "query_specialty_id": doctor.query_specialty_id})


@_guard
def doctor_from(payload: Payload) -> Doctor:
    rooms = tuple(Room(int(r["complex_resource_id"]), str(r["number"]), str(r.get("lpu_short_name", "")),
                       str(r.get("address", "")), _day(r.get("nearest_date"))) for r in payload["rooms"])
    lpu = payload.get("lpu_id")
    return Doctor(int(payload["resource_id"]), str(payload["name"]), str(payload["specialty_id"]),
                  str(payload["specialty_name"]), payload.get("reception_type_id"), rooms,
                  kind=str(payload.get("kind", "doctor")), lpu_id=int(lpu) if lpu is not None else None,
                  query_specialty_id=payload.get("query_specialty_id"))


def slot_item(resource_id: int, slot: Slot) -> SlotItem:
    return SlotItem(resource_id, slot.start, slot.end, slot.start_raw, slot.end_raw, slot.complex_resource_id,
                    slot.cabinet)


def slot_from(item: SlotItem) -> Slot:
    return Slot(item.start, item.end, item.start_raw, item.end_raw, item.room_id, item.cabinet)


def patient_payload(patient: Patient) -> Payload:
    """What is sealed of a patient: names and attachments (the key is the lookup, never stored)."""
    return {"last_name": patient.last_name, "first_name": patient.first_name, "middle_name": patient.middle_name,
            "attachments": [{"lpu_id": a.lpu_id, "name": a.name, "address": a.address} for a in patient.attachments]}


@_guard
def patient_from(payload: Payload, key: PatientKey) -> Patient:
    attachments = tuple(Attachment(int(a["lpu_id"]), str(a["name"]), str(a["address"]))
                        for a in payload.get("attachments", ()))
    return Patient(key, str(payload["last_name"]), str(payload["first_name"]), str(payload["middle_name"]),
                   attachments)


def appointment_payload(appointment: Appointment) -> Payload:
    return {"appointment_id": appointment.appointment_id, "kind": appointment.kind,
            "start": appointment.start.isoformat(), "end": appointment.end.isoformat() if appointment.end else None,
            "clinic": appointment.clinic, "address": appointment.address, "room": appointment.room,
            "specialty_id": appointment.specialty_id, "specialty_name": appointment.specialty_name,
            "doctor_name": appointment.doctor_name, "referral_id": appointment.referral_id,
            "checked_in": appointment.checked_in, "can_reschedule": appointment.can_reschedule}


@_guard
def appointment_from(payload: Payload) -> Appointment:
    start = _time(payload["start"])
    if start is None:
        raise ValueError("no start")
    referral = payload.get("referral_id")
    return Appointment(int(payload["appointment_id"]), str(payload["kind"]), start, _time(payload.get("end")),
                       str(payload["clinic"]), str(payload["address"]), str(payload["room"]),
                       payload.get("specialty_id"), str(payload["specialty_name"]),
                       str(payload.get("doctor_name", "")), int(referral) if referral is not None else None,
                       bool(payload.get("checked_in", False)), bool(payload.get("can_reschedule", True)))


def attachment_item(attachment: Attachment) -> Item:
    return Item(f"lpu-{attachment.lpu_id}", {"lpu_id": attachment.lpu_id, "name": attachment.name,
                                             "address": attachment.address})
