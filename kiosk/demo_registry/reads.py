"""The demo registry's reading methods (emias-protocol.md §3) and the shared rules behind them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

from kiosk.demo_registry import scenario, shapes
from kiosk.demo_registry.clinic import HORIZON_DAYS, MSK, Clinic, Resource
from kiosk.demo_registry.patients import DemoPatient
from kiosk.demo_registry.public_schedule import PublicSchedule
from kiosk.demo_registry.rpc import (
    INVALID_PARAMS,
    METHOD_NOT_FOUND,
    POLICY,
    CheckInWindow,
    RpcError,
    param_int,
)
from kiosk.demo_registry.store import Store

DEFAULT_WINDOW = CheckInWindow()


class ReadingService:
    """Plumbing and the reading methods; :class:`DemoService` adds the changing ones."""

    def __init__(
        self,
        clinic: Clinic,
        store: Store,
        patients: dict[str, DemoPatient],
        clock: Callable[[], datetime],
        check_in: CheckInWindow | None = DEFAULT_WINDOW,
    ) -> None:
        self.clinic = clinic
        self.store = store
        self.patients = patients
        self.clock = clock
        self.check_in_window = check_in
        self.methods: dict[str, Callable[[DemoPatient, dict[str, Any]], Any]] = {
            "getPatientInfo3": self.patient_info,
            "getSpecialitiesInfo": self.specialities,
            "getReferralsInfo": self.referrals,
            "getAssignmentsInfo": self.assignments,
            "getDoctorsInfo": self.doctors,
            "getAvailableResourceScheduleInfo": self.schedule,
            "getAppointmentReceptionsByPatient": self.appointments,
            "getLpuListForSpeciality": self.lpus_for_speciality,
        }
        #: methods without a patient (the schedule extension); emptied for a registry without them
        self.public_methods = PublicSchedule(clinic, store, self.now).methods

    # --- plumbing --------------------------------------------------------------------------

    def now(self) -> datetime:
        return self.clock().astimezone(MSK).replace(microsecond=0)

    def call(self, method: str, params: Any) -> Any:
        if method in self.public_methods:
            return self._public(method, params)
        handler = self.methods.get(method)
        if handler is None:
            raise RpcError("METHOD_NOT_FOUND", METHOD_NOT_FOUND, "Method not found")
        if not isinstance(params, dict):
            raise RpcError("INVALID_PARAMS", INVALID_PARAMS, "Invalid params")
        return handler(self._patient(params), params)

    def _public(self, method: str, params: Any) -> Any:
        handler = self.public_methods[method]
        if not isinstance(params, dict):
            raise RpcError("INVALID_PARAMS", INVALID_PARAMS, "Invalid params")
        return handler(params)

    def _patient(self, params: dict[str, Any]) -> DemoPatient:
        policy, birth = params.get("omsNumber"), params.get("birthDate")
        if not isinstance(policy, str | int) or not POLICY.fullmatch(str(policy)):
            raise RpcError("INVALID_PARAMS", INVALID_PARAMS)
        try:
            birth_date = date.fromisoformat(str(birth))
        except ValueError:
            raise RpcError("INVALID_PARAMS", INVALID_PARAMS) from None
        patient = self.patients.get(str(policy))
        if patient is None or patient.birth_date != birth_date:
            raise RpcError("PATIENT_NOT_FOUND")
        return patient

    def _require_attached(self, patient: DemoPatient) -> None:
        if not scenario.attached_here(patient, self.clinic):
            raise RpcError("NO_ATTACHMENT")

    def _fits(self, patient: DemoPatient, res: Resource, today: date | None = None) -> bool:
        age = patient.age_on(today or self.now().date())
        return res.audience == "all" or (res.audience == "adult") == (age >= 18)

    def _group(self, res: Resource) -> str:
        return res.menu_code if res.kind == "doctor" else f"ldp:{res.spec_code}"

    def free_days(
        self, res: Resource, booked: set[tuple[int, str]] | None = None, only_cabinet: int | None = None
    ) -> list[tuple[date, int, str, list[tuple[str, str]]]]:
        """Days with free time in the horizon: (day, complexResourceId, cabinet, [(start, end)])."""
        return list(self._iter_free_days(res, booked, only_cabinet))

    def _iter_free_days(
        self, res: Resource, booked: set[tuple[int, str]] | None = None, only_cabinet: int | None = None
    ) -> Iterator[tuple[date, int, str, list[tuple[str, str]]]]:
        now = self.now()
        now_text = now.isoformat()
        if booked is None:
            booked = self.store.booked_slots(now_text, [res.resource_id])
        for offset in range(HORIZON_DAYS):
            day = now.date() + timedelta(days=offset)
            cabinet = res.cabinet_on(day)
            if only_cabinet is not None and cabinet.complex_resource_id != only_cabinet:
                continue
            free = [
                (start, end)
                for start, end in res.slot_texts_on(day)
                if start > now_text and (res.resource_id, start) not in booked
            ]
            if free:
                yield day, cabinet.complex_resource_id, cabinet.number, free

    def _nearest(self, res: Resource, booked: set[tuple[int, str]]) -> dict[int, date]:
        """The nearest free day of each cabinet (stops as soon as every cabinet has one)."""
        nearest: dict[int, date] = {}
        for day, cr_id, _cabinet, _slots in self._iter_free_days(res, booked):
            nearest.setdefault(cr_id, day)
            if len(nearest) == len(res.cabinets):
                break
        return nearest

    def _resources_json(self, resources: list[Resource]) -> list[dict[str, Any]] | dict[str, Any]:
        if not resources:
            return {}  # "nothing" is an empty object for getDoctorsInfo (quirk 4)
        booked = self.store.booked_slots(self.now().isoformat(), [res.resource_id for res in resources])
        return [shapes.resource(res, self.clinic, self._nearest(res, booked)) for res in resources]

    def _own_appointment(self, patient: DemoPatient, appointment_id: int) -> Any:
        stored = self.store.get(appointment_id)
        if (
            stored is None
            or stored.policy != patient.policy
            or stored.state != "BOOKED"
            or stored.end_time <= self.now().isoformat()
        ):
            raise RpcError("APPOINTMENT_RECEPTION_NOT_FOUND")
        return stored

    def _usable_referral(self, patient: DemoPatient, referral_id: int) -> scenario.ReferralDef:
        ref = scenario.referral(referral_id)
        if ref is None or ref.policy != patient.policy or not ref.usable_on(self.now().date()):
            raise RpcError("REFERRAL_NOT_VALID")
        return ref

    def _referral_matches(self, ref: scenario.ReferralDef, res: Resource) -> bool:
        wanted_kind = "doctor" if ref.kind == "REF_TO_DOCTOR" else "ldp"
        return res.kind == wanted_kind and ref.target in (res.spec_code, res.menu_code)

    def _self_bookable(self, res: Resource) -> bool:
        spec = self.clinic.specialty(res.menu_code)
        return res.kind == "doctor" and spec is not None and spec.self_booking

    # --- reading methods -------------------------------------------------------------------

    def patient_info(self, patient: DemoPatient, params: dict[str, Any]) -> dict[str, Any]:
        building = scenario.attachment_of(patient, self.clinic)
        attachments = []
        if building is not None:
            attachments.append(
                {
                    "lpu": {"id": building.lpu_id, "name": building.name, "address": building.address},
                    "createDate": "2019-08-21T00:00:00+03:00",
                    "type": 1 if patient.is_child else 0,
                }
            )
        return {
            "attachments": {"attachment": attachments},
            # extension (docs/registry-protocol.md): the name printed on the ticket as surname + initials
            "patient": {
                "lastName": patient.last_name,
                "firstName": patient.first_name,
                "middleName": patient.middle_name,
            },
        }

    def specialities(self, patient: DemoPatient, params: dict[str, Any]) -> list[dict[str, Any]]:
        self._require_attached(patient)
        age = patient.age_on(self.now().date())
        return [
            shapes.specialty(spec)
            for spec in self.clinic.specialties
            if spec.self_booking and spec.fits(age, patient.female)
        ]

    def referrals(self, patient: DemoPatient, params: dict[str, Any]) -> list[dict[str, Any]]:
        today = self.now().date()
        active = self.store.active_per_referral(patient.policy, self.now().isoformat())
        return [
            shapes.referral(ref, today, active.get(ref.referral_id, 0), self.clinic)
            for ref in scenario.referrals_of(patient.policy)
        ]

    def assignments(self, patient: DemoPatient, params: dict[str, Any]) -> list[dict[str, Any]]:
        today = self.now().date()
        return [shapes.assignment(item, today) for item in scenario.assignments_of(patient.policy)]

    def appointments(self, patient: DemoPatient, params: dict[str, Any]) -> list[dict[str, Any]]:
        result = []
        for stored in self.store.upcoming(patient.policy, self.now().isoformat()):
            res = self.clinic.resource(stored.resource_id)
            if res is not None:
                result.append(shapes.appointment(stored, res, self.clinic, self.check_in_window is not None))
        return result

    def lpus_for_speciality(self, patient: DemoPatient, params: dict[str, Any]) -> list[dict[str, Any]]:
        self._require_attached(patient)
        code = str(params.get("specialityId", ""))
        buildings = {
            cab.building.lpu_id: cab.building
            for res in self.clinic.resources
            if res.menu_code == code and self._fits(patient, res)
            for cab in res.cabinets
        }
        return [shapes.lpu(building) for _id, building in sorted(buildings.items())]

    def doctors(self, patient: DemoPatient, params: dict[str, Any]) -> Any:
        self._require_attached(patient)
        return self._resources_json(self._candidates(patient, params))

    def _candidates(self, patient: DemoPatient, params: dict[str, Any]) -> list[Resource]:
        """Resources for a specialty, a referral, or as targets for moving an appointment."""
        appointment_id = param_int(params, "appointmentId", required=False)
        referral_id = param_int(params, "referralId", required=False)
        lpu_id = param_int(params, "lpuId", required=False)
        today = self.now().date()
        resources = [res for res in self.clinic.resources if self._fits(patient, res, today)]
        if appointment_id is not None:
            stored = self._own_appointment(patient, appointment_id)
            booked_res = self.clinic.resource(stored.resource_id)
            resources = [
                res for res in resources if booked_res and self._group(res) == self._group(booked_res)
            ]
        elif referral_id is not None:
            ref = self._usable_referral(patient, referral_id)
            resources = [res for res in resources if self._referral_matches(ref, res)]
        else:
            code = str(params.get("specialityId", "")).strip()
            if not code:
                raise RpcError("INVALID_PARAMS", INVALID_PARAMS, "Не указан параметр specialityId")
            spec = self.clinic.specialty(code)
            if spec is not None and not spec.self_booking:
                raise RpcError("REFERRAL_REQUIRED")
            if spec is not None and not spec.fits(patient.age_on(self.now().date()), patient.female):
                return []
            resources = [
                res
                for res in resources
                if res.kind == "doctor"
                and code in (res.menu_code, res.spec_code)
                and self._self_bookable(res)
            ]
        if lpu_id is not None:
            resources = [res for res in resources if any(c.building.lpu_id == lpu_id for c in res.cabinets)]
        return resources

    def schedule(self, patient: DemoPatient, params: dict[str, Any]) -> dict[str, Any]:
        self._require_attached(patient)
        res = self._resource_for(patient, params)
        booked = self.store.booked_slots(self.now().isoformat(), [res.resource_id])
        result: dict[str, Any] = {
            "availableResource": shapes.resource(res, self.clinic, self._nearest(res, booked))
        }
        days = self.free_days(res, booked, param_int(params, "complexResourceId", required=False))
        if days:  # nothing free: no scheduleOfDay at all (quirk 4)
            result["scheduleOfDay"] = shapes.schedule_days(days)
        return result

    def _resource_for(self, patient: DemoPatient, params: dict[str, Any]) -> Resource:
        """The requested resource, if this patient may see it in this context (specialty, referral, move)."""
        resource_id = param_int(params, "availableResourceId")
        res = self.clinic.resource(resource_id or 0)
        if res is None or not self._fits(patient, res):
            raise RpcError("INVALID_PARAMS", INVALID_PARAMS, "Ресурс не найден")
        context: dict[str, Any]
        if "appointmentId" in params or "referralId" in params:
            context = {key: params[key] for key in ("appointmentId", "referralId") if key in params}
        else:
            context = {"specialityId": res.menu_code}
        if res not in self._candidates(patient, context):
            if "referralId" in context:
                raise RpcError("REFERRAL_NOT_VALID")
            if not self._self_bookable(res):
                raise RpcError("REFERRAL_REQUIRED")
            raise RpcError("INVALID_PARAMS", INVALID_PARAMS, "Ресурс недоступен")
        return res
