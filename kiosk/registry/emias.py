"""The EMIAS adapter: RegistryPort over JSON-RPC (emias-protocol.md), also used against the demo registry.

Bookings and moves are never sent twice: when the answer is lost after the request may
have reached the registry, the patient's appointments are read back and the truth is
reported (booked, not booked, or :class:`BookingOutcomeUnknown` when even that fails).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from kiosk.domain import (
    Appointment,
    Assignment,
    Booking,
    CheckIn,
    Doctor,
    HomeVisit,
    HomeVisitRequest,
    Lpu,
    PastVisit,
    Patient,
    PatientKey,
    PublicDoctor,
    Referral,
    Schedule,
    Slot,
    Specialty,
    WaitingListEntry,
    WorkingDay,
    mask_policy,
)
from kiosk.errors import (
    BUSINESS_ERRORS,
    BookingOutcomeUnknown,
    CheckInNotSupported,
    RegistryError,
    RegistryUnavailable,
    UnexpectedAnswer,
)
from kiosk.registry import home_visit_parse, parse, past_visit_parse, public_parse, values, waiting_parse
from kiosk.registry.jsonrpc import PARSE_ERRORS, JsonRpcClient, MethodNotFound, TransportFailure, UnreadableAnswer

if TYPE_CHECKING:
    import requests

log = logging.getLogger("kiosk.registry")
T = TypeVar("T")

CHECK_IN_METHOD = "checkInAppointment"
#: the schedule reads that need no patient (docs/registry-protocol.md, an extension of the demo registry)
PUBLIC_SPECIALITIES = "getPublicSpecialities"
PUBLIC_DOCTORS = "getPublicDoctors"
WORKING_HOURS = "getDoctorWorkingHours"
#: the waiting list (docs/registry-protocol.md, an extension of the demo registry; N3's SetWaitingList)
SET_WAITING_LIST = "setWaitingList"
GET_WAITING_LIST = "getWaitingListByPatient"
#: home visits (docs/registry-protocol.md, an extension of the demo registry; N3's HomeCall)
HOME_VISIT_ADDRESS = "getHomeVisitAddress"
CREATE_HOME_VISIT = "createHomeVisit"
HOME_VISITS = "getHomeVisitsByPatient"
CANCEL_HOME_VISIT = "cancelHomeVisit"
#: the visit history (docs/registry-protocol.md, an extension of the demo registry; EMIAS has none)
PAST_VISITS = "getPastVisitsByPatient"

#: the health probe asks the specialties of a well-formed identity nobody has (as ``kiosk registry-check``
#: does): PATIENT_NOT_FOUND proves the registry reads JSON-RPC and looks patients up, at the cost of one
#: indexed read, and no real patient's data is ever asked for
PROBE_METHOD = "getSpecialitiesInfo"
PROBE_KEY = PatientKey("0000000000000000", date(1900, 1, 1))
_BUSINESS_ANSWERS = tuple(BUSINESS_ERRORS.values())


def _parsed(method: str, reader: Callable[[Any], T], result: Any) -> T:
    """``reader(result)``; whatever a hostile result makes a reader raise becomes :class:`UnreadableAnswer`."""
    try:
        return reader(result)
    except PARSE_ERRORS as exc:
        raise UnreadableAnswer(f"{method}: unreadable result ({type(exc).__name__})") from None


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
        call_deadline: float = 20.0,
        max_answer_bytes: int = 4 * 1024 * 1024,
        booking_channel: str = "",
    ) -> None:
        #: sent as ``channel`` with bookings and moves when not empty ([registry] booking_channel)
        self._channel = booking_channel
        self.rpc = JsonRpcClient(
            url,
            connect_timeout,
            read_timeout,
            session,
            verify=verify,
            cert=cert,
            read_retries=read_retries,
            retry_backoff=retry_backoff,
            call_deadline=call_deadline,
            max_answer_bytes=max_answer_bytes,
        )
        self._check_in_supported: bool | None = None
        self._public_supported: bool | None = None
        self._waiting_supported: bool | None = None
        self._home_visits_supported: bool | None = None
        self._past_supported: bool | None = None

    @property
    def round_trips(self) -> int:
        return self.rpc.round_trips

    def close(self) -> None:
        self.rpc.close()

    def _read(self, method: str, key: PatientKey, reader: Callable[[Any], T], **params: Any) -> T:
        """Call a reading method and read its result; an unreadable result is logged for the technician."""
        result = self.rpc.call(
            method, {**identity(key), **{k: v for k, v in params.items() if v is not None}}
        )
        try:
            return _parsed(method, reader, result)
        except UnexpectedAnswer as exc:
            log.warning("registry %s: unreadable result (%s)", method, exc)
            raise

    # --- reads -------------------------------------------------------------------------------

    def identify(self, key: PatientKey) -> Patient:
        return self._read(
            "getPatientInfo3",
            key,
            lambda r: parse.patient(r, key),
            typeAttach=[0, 1, 2],
            onlyMoscowPolicy=False,
        )

    def specialties(self, key: PatientKey) -> list[Specialty]:
        return self._read(
            "getSpecialitiesInfo",
            key,
            lambda r: [parse.specialty(i) for i in values.items(r, "specialities")],
        )

    def doctors(self, key: PatientKey, specialty_id: str, lpu_id: int | None = None) -> list[Doctor]:
        return self._read(
            "getDoctorsInfo",
            key,
            lambda r: parse.doctors(r, query_specialty_id=specialty_id),
            specialityId=specialty_id,
            lpuId=lpu_id,
        )

    def doctors_by_referral(self, key: PatientKey, referral_id: int) -> list[Doctor]:
        return self._read(
            "getDoctorsInfo", key, lambda r: parse.doctors(r, referral_id=referral_id), referralId=referral_id
        )

    def doctors_for_reschedule(self, key: PatientKey, appointment: Appointment) -> list[Doctor]:
        specialty = appointment.specialty_id if appointment.kind == "RECEPTION" else None
        moved = appointment.appointment_id
        return self._read(
            "getDoctorsInfo",
            key,
            lambda r: parse.doctors(r, shift_appointment_id=moved, query_specialty_id=specialty),
            appointmentId=moved,
            specialityId=specialty,
        )

    def schedule(self, key: PatientKey, doctor: Doctor, room: int | None = None) -> Schedule:
        return self._read(
            "getAvailableResourceScheduleInfo",
            key,
            lambda r: parse.schedule(r, doctor),
            **self._context(doctor),
            complexResourceId=room,
        )

    def appointments(self, key: PatientKey) -> list[Appointment]:
        return self._read("getAppointmentReceptionsByPatient", key, parse.appointments)

    def referrals(self, key: PatientKey) -> list[Referral]:
        return self._read("getReferralsInfo", key, parse.referrals)

    def assignments(self, key: PatientKey) -> list[Assignment]:
        return self._read("getAssignmentsInfo", key, parse.assignments)

    def lpus_for_specialty(self, key: PatientKey, specialty_id: str) -> list[Lpu]:
        return self._read("getLpuListForSpeciality", key, parse.lpus, specialityId=specialty_id)

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
        params = {**identity(key), **self._slot_params(doctor, slot), **self._channel_param()}
        return self._write("createAppointment", key, params, slot, replaced=None)

    def _channel_param(self) -> dict[str, str]:
        return {"channel": self._channel} if self._channel else {}

    def reschedule(self, key: PatientKey, appointment_id: int, doctor: Doctor, slot: Slot) -> Booking:
        params = {**identity(key), **self._slot_params(doctor, slot), "appointmentId": appointment_id,
                  **self._channel_param()}
        if doctor.kind == "diagnostic" and "receptionTypeId" not in params:
            params["receptionTypeId"] = doctor.specialty_id  # the ldpTypeId, as KV sends when moving
        if doctor.referral_id is None:
            params.pop("specialityId", None)
        return self._write("shiftAppointment", key, params, slot, replaced=appointment_id)

    def _write(
        self, method: str, key: PatientKey, params: dict[str, Any], slot: Slot, replaced: int | None
    ) -> Booking:
        try:
            return _parsed(method, parse.booking, self.rpc.call(method, params, write=True))
        # a result we cannot read counts as lost too: the booking may have happened; so do a deadline
        # passed, an answer over the size cap and a redirect (TransportFailure / UnreadableAnswer)
        except (TransportFailure, UnexpectedAnswer) as exc:
            if not getattr(exc, "maybe_delivered", True):
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
        except (TransportFailure, UnexpectedAnswer) as exc:
            if not getattr(exc, "maybe_delivered", True):
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
            except RegistryError:  # any business error (the identity is missing) proves the method exists
                self._check_in_supported = True
        return self._check_in_supported

    # --- schedules without identification (extension) ------------------------------------------

    def supports_public_schedules(self) -> bool:
        """One call of the specialties read: -32601 means the registry has none of these reads. Not cached
        while the registry cannot be reached."""
        if self._public_supported is None:
            try:
                self.rpc.call(PUBLIC_SPECIALITIES, {})
                self._public_supported = True
            except MethodNotFound:
                self._public_supported = False
            except RegistryUnavailable:
                return False
            except RegistryError:  # a business answer proves the method exists
                self._public_supported = True
        return self._public_supported

    def _public(self, method: str, reader: Callable[[Any], T], **params: Any) -> T:
        try:
            result = self.rpc.call(method, params)
        except MethodNotFound:
            self._public_supported = False
            raise
        try:
            return _parsed(method, reader, result)
        except UnexpectedAnswer as exc:
            log.warning("registry %s: unreadable result (%s)", method, exc)
            raise

    def public_specialties(self) -> list[Specialty]:
        return self._public(PUBLIC_SPECIALITIES, public_parse.specialties)

    def public_doctors(self, specialty_id: str) -> list[PublicDoctor]:
        return self._public(PUBLIC_DOCTORS, public_parse.doctors, specialityId=specialty_id)

    def working_hours(self, resource_id: int, days: int) -> list[WorkingDay]:
        return self._public(WORKING_HOURS, public_parse.working_hours, availableResourceId=resource_id, days=days)

    # --- the waiting list (extension) ----------------------------------------------------------

    def supports_waiting_list(self) -> bool:
        """Probe once with no identity, as for check-in: -32601 means there is no waiting list."""
        if self._waiting_supported is None:
            try:
                self.rpc.call(GET_WAITING_LIST, {})
                self._waiting_supported = True
            except MethodNotFound:
                self._waiting_supported = False
            except RegistryUnavailable:
                return False
            except RegistryError:  # a business answer (no identity) proves the method exists
                self._waiting_supported = True
        return self._waiting_supported

    def add_to_waiting_list(self, key: PatientKey, specialty_id: str, reason: str, phone: str) -> int:
        """A write, never repeated by the client; the registry keeps one entry per specialty, so the patient
        asking again after a lost answer makes no second one."""
        params = {**identity(key), "specialityId": specialty_id, "reason": reason, "phone": phone,
                  **self._channel_param()}
        return _parsed(SET_WAITING_LIST, waiting_parse.added, self.rpc.call(SET_WAITING_LIST, params, write=True))

    def waiting_list(self, key: PatientKey) -> list[WaitingListEntry]:
        return self._read(GET_WAITING_LIST, key, waiting_parse.entries)

    # --- home visits (extension) ---------------------------------------------------------------

    def supports_home_visits(self) -> bool:
        """Probe once with no identity, as for check-in: -32601 means there are no home visits."""
        if self._home_visits_supported is None:
            try:
                self.rpc.call(HOME_VISITS, {})
                self._home_visits_supported = True
            except MethodNotFound:
                self._home_visits_supported = False
            except RegistryUnavailable:
                return False
            except RegistryError:  # a business answer (no identity) proves the method exists
                self._home_visits_supported = True
        return self._home_visits_supported

    def home_visit_address(self, key: PatientKey) -> str:
        return self._read(HOME_VISIT_ADDRESS, key, home_visit_parse.address)

    def request_home_visit(self, key: PatientKey, request: HomeVisitRequest) -> HomeVisit:
        """A write, never repeated by the client: the registry keeps one pending request per patient, so
        asking again after a lost answer is refused as HOME_VISIT_EXISTS rather than doubled."""
        params = {**identity(key), "address": request.address, "reason": request.reason,
                  "temperature": request.temperature, "phone": request.phone, **self._channel_param()}
        return _parsed(CREATE_HOME_VISIT, home_visit_parse.visit, self.rpc.call(CREATE_HOME_VISIT, params, write=True))

    def home_visits(self, key: PatientKey) -> list[HomeVisit]:
        return self._read(HOME_VISITS, key, home_visit_parse.visits)

    def cancel_home_visit(self, key: PatientKey, visit_id: int) -> None:
        self.rpc.call(CANCEL_HOME_VISIT, {**identity(key), "homeVisitId": visit_id}, write=True)

    # --- past visits (extension) ---------------------------------------------------------------

    def supports_past_visits(self) -> bool:
        """Probe once with no identity, as for check-in: -32601 means there is no visit history."""
        if self._past_supported is None:
            try:
                self.rpc.call(PAST_VISITS, {})
                self._past_supported = True
            except MethodNotFound:
                self._past_supported = False
            except RegistryUnavailable:
                return False
            except RegistryError:  # a business answer (no identity) proves the method exists
                self._past_supported = True
        return self._past_supported

    def past_visits(self, key: PatientKey) -> list[PastVisit]:
        return self._read(PAST_VISITS, key, past_visit_parse.visits)

    # --- health --------------------------------------------------------------------------------

    def probe(self, timeout: float | None = None) -> None:
        """One attempt at :data:`PROBE_METHOD` for :data:`PROBE_KEY` (see RegistryPort.probe)."""
        try:
            self.rpc.call_once(PROBE_METHOD, identity(PROBE_KEY), timeout=timeout, quiet=True)
        except _BUSINESS_ANSWERS:
            return  # the registry looked the probe identity up and said no: it works
        # TransportFailure / UnexpectedAnswer (incl. MethodNotFound: not a registry we can use) and
        # a plain RegistryError (an internal error, an unknown code) go to the caller

    def check_in(self, key: PatientKey, appointment_id: int) -> CheckIn:
        if self._check_in_supported is False:
            raise CheckInNotSupported()
        try:
            result = self.rpc.call(CHECK_IN_METHOD, {**identity(key), "appointmentId": appointment_id})
        except MethodNotFound:
            self._check_in_supported = False
            raise CheckInNotSupported() from None
        self._check_in_supported = True
        return _parsed(CHECK_IN_METHOD, lambda r: parse.check_in(r, appointment_id), result)
