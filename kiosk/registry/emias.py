"""The EMIAS adapter: RegistryPort over JSON-RPC (emias-protocol.md), also used against the demo registry.

Bookings and moves are never sent twice: when the answer is lost after the request may
have reached the registry, the patient's appointments are read back and the truth is
reported (booked, not booked, or :class:`BookingOutcomeUnknown` when even that fails).
"""

from __future__ import annotations

import logging
from typing import Any

import requests

from kiosk.domain import (
    Appointment,
    Assignment,
    Booking,
    CheckIn,
    Doctor,
    Lpu,
    Patient,
    PatientKey,
    Referral,
    Schedule,
    Slot,
    Specialty,
    mask_policy,
)
from kiosk.errors import BookingOutcomeUnknown, CheckInNotSupported, RegistryUnavailable
from kiosk.registry import parse
from kiosk.registry.jsonrpc import JsonRpcClient, MethodNotFound, TransportFailure, UnreadableAnswer

log = logging.getLogger("kiosk.registry")

CHECK_IN_METHOD = "checkInAppointment"


def identity(key: PatientKey) -> dict[str, Any]:
    return {"omsNumber": key.policy, "birthDate": key.birth_date.isoformat()}


class EmiasRegistry:
    def __init__(
        self,
        url: str,
        connect_timeout: float = 3.0,
        read_timeout: float = 10.0,
        session: requests.Session | None = None,
        *,
        verify: bool | str = True,
        cert: str | tuple[str, str] | None = None,
        read_retries: int = 2,
        retry_backoff: float = 0.3,
    ) -> None:
        self.rpc = JsonRpcClient(
            url,
            connect_timeout,
            read_timeout,
            session,
            verify=verify,
            cert=cert,
            read_retries=read_retries,
            retry_backoff=retry_backoff,
        )
        self._check_in_supported: bool | None = None

    @property
    def round_trips(self) -> int:
        return self.rpc.round_trips

    def close(self) -> None:
        self.rpc.close()

    def _read(self, method: str, key: PatientKey, **params: Any) -> Any:
        return self.rpc.call(method, {**identity(key), **{k: v for k, v in params.items() if v is not None}})

    # --- reads -------------------------------------------------------------------------------

    def identify(self, key: PatientKey) -> Patient:
        return parse.patient(
            self._read("getPatientInfo3", key, typeAttach=[0, 1, 2], onlyMoscowPolicy=False), key
        )

    def specialties(self, key: PatientKey) -> list[Specialty]:
        return [
            parse.specialty(item)
            for item in parse.items(self._read("getSpecialitiesInfo", key), "specialities")
        ]

    def doctors(self, key: PatientKey, specialty_id: str, lpu_id: int | None = None) -> list[Doctor]:
        result = self._read("getDoctorsInfo", key, specialityId=specialty_id, lpuId=lpu_id)
        return parse.doctors(result, query_specialty_id=specialty_id)

    def doctors_by_referral(self, key: PatientKey, referral_id: int) -> list[Doctor]:
        return parse.doctors(
            self._read("getDoctorsInfo", key, referralId=referral_id), referral_id=referral_id
        )

    def doctors_for_reschedule(self, key: PatientKey, appointment: Appointment) -> list[Doctor]:
        specialty = appointment.specialty_id if appointment.kind == "RECEPTION" else None
        result = self._read(
            "getDoctorsInfo", key, appointmentId=appointment.appointment_id, specialityId=specialty
        )
        return parse.doctors(
            result, shift_appointment_id=appointment.appointment_id, query_specialty_id=specialty
        )

    def schedule(self, key: PatientKey, doctor: Doctor, room: int | None = None) -> Schedule:
        result = self._read(
            "getAvailableResourceScheduleInfo", key, **self._context(doctor), complexResourceId=room
        )
        return parse.schedule(result, doctor)

    def appointments(self, key: PatientKey) -> list[Appointment]:
        return parse.appointments(self._read("getAppointmentReceptionsByPatient", key))

    def referrals(self, key: PatientKey) -> list[Referral]:
        return parse.referrals(self._read("getReferralsInfo", key))

    def assignments(self, key: PatientKey) -> list[Assignment]:
        return parse.assignments(self._read("getAssignmentsInfo", key))

    def lpus_for_specialty(self, key: PatientKey, specialty_id: str) -> list[Lpu]:
        return parse.lpus(self._read("getLpuListForSpeciality", key, specialityId=specialty_id))

    @staticmethod
    def _context(doctor: Doctor) -> dict[str, Any]:
        """availableResourceId plus how the patient reached this doctor (specialty, referral or a move)."""
        context: dict[str, Any] = {"availableResourceId": doctor.resource_id}
        if doctor.shift_appointment_id is not None:
            context["appointmentId"] = doctor.shift_appointment_id
        if doctor.referral_id is not None:
            context["referralId"] = doctor.referral_id
        elif doctor.kind == "doctor":
            context["specialityId"] = doctor.query_specialty_id or doctor.specialty_id
        return context

    # --- writes ------------------------------------------------------------------------------

    def _slot_params(self, doctor: Doctor, slot: Slot) -> dict[str, Any]:
        params = {
            "availableResourceId": doctor.resource_id,
            "complexResourceId": slot.complex_resource_id,
            "startTime": slot.start_raw,
            "endTime": slot.end_raw,
        }
        if doctor.reception_type_id:
            params["receptionTypeId"] = doctor.reception_type_id
        if doctor.referral_id is not None:
            params["referralId"] = doctor.referral_id
        if doctor.kind == "doctor" and doctor.referral_id is None:
            params["specialityId"] = doctor.query_specialty_id or doctor.specialty_id
        return params

    def book(self, key: PatientKey, doctor: Doctor, slot: Slot) -> Booking:
        params = {**identity(key), **self._slot_params(doctor, slot)}
        return self._write("createAppointment", key, params, slot, replaced=None)

    def reschedule(self, key: PatientKey, appointment_id: int, doctor: Doctor, slot: Slot) -> Booking:
        params = {**identity(key), **self._slot_params(doctor, slot), "appointmentId": appointment_id}
        if doctor.referral_id is None:
            params.pop("specialityId", None)
        return self._write("shiftAppointment", key, params, slot, replaced=appointment_id)

    def _write(
        self, method: str, key: PatientKey, params: dict[str, Any], slot: Slot, replaced: int | None
    ) -> Booking:
        try:
            return parse.booking(self.rpc.call(method, params, write=True))
        except (TransportFailure, UnreadableAnswer) as exc:
            if not exc.maybe_delivered:
                raise
            lost = exc
        log.warning(
            "registry %s: answer lost for %s; asking the registry whether it happened",
            method,
            mask_policy(key.policy),
        )
        try:
            current = self.appointments(key)
        except RegistryUnavailable:
            log.error(
                "registry %s: outcome unknown for %s (the check failed too)", method, mask_policy(key.policy)
            )
            raise BookingOutcomeUnknown(f"{method}: outcome unknown") from lost
        made = next(
            (
                a
                for a in current
                if a.start == slot.start
                and (not slot.cabinet or a.room == slot.cabinet)
                and a.appointment_id != replaced
            ),
            None,
        )
        if made is not None:
            log.warning("registry %s: it did happen (appointment %d)", method, made.appointment_id)
            return Booking(appointment_id=made.appointment_id, appointment_number=str(made.appointment_id))
        log.warning("registry %s: it did not happen", method)
        raise lost

    def cancel(self, key: PatientKey, appointment_id: int) -> None:
        try:
            self.rpc.call("cancelAppointment", {**identity(key), "appointmentId": appointment_id}, write=True)
        except (TransportFailure, UnreadableAnswer) as exc:
            if not exc.maybe_delivered:
                raise
            remaining = {a.appointment_id for a in self.appointments(key)}
            if appointment_id in remaining:
                raise
            log.warning("registry cancelAppointment: answer lost, but the appointment is gone")

    # --- check-in extension --------------------------------------------------------------------

    def supports_check_in(self) -> bool:
        """Probe once with no identity: -32601 means the method does not exist. Not cached on failure."""
        if self._check_in_supported is None:
            try:
                self.rpc.call(CHECK_IN_METHOD, {})
                self._check_in_supported = True
            except MethodNotFound:
                self._check_in_supported = False
            except RegistryUnavailable:
                return False
            except Exception:  # any business error (missing identity) proves the method exists
                self._check_in_supported = True
        return self._check_in_supported

    def check_in(self, key: PatientKey, appointment_id: int) -> CheckIn:
        if self._check_in_supported is False:
            raise CheckInNotSupported()
        try:
            result = self.rpc.call(CHECK_IN_METHOD, {**identity(key), "appointmentId": appointment_id})
        except MethodNotFound:
            self._check_in_supported = False
            raise CheckInNotSupported() from None
        self._check_in_supported = True
        return parse.check_in(result, appointment_id)
