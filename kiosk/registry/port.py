"""The registry port: what the kiosk asks of a registry, in domain terms.

Adapters: :mod:`kiosk.registry.emias` (JSON-RPC over HTTP, also used against the
demo registry) and, later, the offline cache wrapper with the same interface.
Every method may raise :class:`kiosk.errors.RegistryError` subclasses or
:class:`kiosk.errors.RegistryUnavailable`.

Context travels inside :class:`Doctor`: doctors listed for a referral carry its
``referral_id`` and doctors listed for moving an appointment carry
``shift_appointment_id``; ``schedule`` and ``book`` pass them on to the registry.
"""

from __future__ import annotations

from typing import Protocol

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
)


class RegistryPort(Protocol):
    def identify(self, key: PatientKey) -> Patient: ...

    def specialties(self, key: PatientKey) -> list[Specialty]: ...

    def doctors(self, key: PatientKey, specialty_id: str, lpu_id: int | None = None) -> list[Doctor]: ...

    def schedule(self, key: PatientKey, doctor: Doctor, room: int | None = None) -> Schedule: ...

    def book(self, key: PatientKey, doctor: Doctor, slot: Slot) -> Booking:
        """Book ``slot``; never repeated blindly: a lost answer is checked against the appointments."""
        ...

    def appointments(self, key: PatientKey) -> list[Appointment]:
        """Upcoming appointments, earliest first."""
        ...

    def close(self) -> None: ...

    # --- referrals, moving and cancelling, check-in ------------------------------------------

    def referrals(self, key: PatientKey) -> list[Referral]: ...

    def assignments(self, key: PatientKey) -> list[Assignment]: ...

    def doctors_by_referral(self, key: PatientKey, referral_id: int) -> list[Doctor]: ...

    def doctors_for_reschedule(self, key: PatientKey, appointment: Appointment) -> list[Doctor]: ...

    def reschedule(self, key: PatientKey, appointment_id: int, doctor: Doctor, slot: Slot) -> Booking:
        """Move an appointment atomically; the registry issues a new appointment id."""
        ...

    def cancel(self, key: PatientKey, appointment_id: int) -> None: ...

    def lpus_for_specialty(self, key: PatientKey, specialty_id: str) -> list[Lpu]:
        """Organizations for an ``isMultipleLpuSpeciality`` specialty; pass one as ``lpu_id`` to doctors()."""
        ...

    def supports_check_in(self) -> bool:
        """Whether the registry offers arrival confirmation (cached after the first answer)."""
        ...

    def check_in(self, key: PatientKey, appointment_id: int) -> CheckIn:
        """Confirm arrival; raises CheckInTooEarly / CheckInTooLate / CheckInNotSupported."""
        ...

    # --- schedules without identification (docs/registry-protocol.md) -------------------------

    def supports_public_schedules(self) -> bool:
        """Whether the registry offers the schedule reads that need no patient (cached once known)."""
        ...

    def public_specialties(self) -> list[Specialty]:
        """Specialties a patient may book by themselves, as a lobby board shows them."""
        ...

    def public_doctors(self, specialty_id: str) -> list[PublicDoctor]:
        """The doctors of a specialty with their cabinets."""
        ...

    def working_hours(self, resource_id: int, days: int) -> list[WorkingDay]:
        """A doctor's working hours for the next ``days`` days and each day's free slots."""
        ...

    # --- the waiting list (docs/registry-protocol.md) --------------------------------------------

    def supports_waiting_list(self) -> bool:
        """Whether the registry keeps a waiting list (cached once known)."""
        ...

    def add_to_waiting_list(self, key: PatientKey, specialty_id: str, reason: str, phone: str) -> int:
        """Ask to be called back when the specialty has time (``reason``: one of domain.WAITING_REASONS,
        ``phone``: 11 digits); the entry's id. Asking again for the same specialty updates the entry."""
        ...

    def waiting_list(self, key: PatientKey) -> list[WaitingListEntry]:
        """The patient's waiting-list entries."""
        ...

    # --- home visits (docs/registry-protocol.md) --------------------------------------------------

    def supports_home_visits(self) -> bool:
        """Whether the registry takes home-visit requests (cached once known)."""
        ...

    def home_visit_address(self, key: PatientKey) -> str:
        """The address the registry has for the patient ("" when none)."""
        ...

    def request_home_visit(self, key: PatientKey, request: HomeVisitRequest) -> HomeVisit:
        """Call a doctor home; raises HomeVisitExists when one is already pending."""
        ...

    def home_visits(self, key: PatientKey) -> list[HomeVisit]:
        """The patient's home-visit requests of the last 30 days, newest first."""
        ...

    def cancel_home_visit(self, key: PatientKey, visit_id: int) -> None:
        """Cancel a pending request; raises HomeVisitNotFound when it is no longer pending."""
        ...

    # --- past visits (docs/registry-protocol.md) --------------------------------------------------

    def supports_past_visits(self) -> bool:
        """Whether the registry tells the visits of the last 30 days (cached once known)."""
        ...

    def past_visits(self, key: PatientKey) -> list[PastVisit]:
        """The visits of the last 30 days with the status the polyclinic set, newest first."""
        ...

    # --- health ------------------------------------------------------------------------------

    def probe(self, timeout: float | None = None) -> None:
        """One cheap round trip that needs no patient, for the health coordinator (kiosk.health).

        Returns when the registry answered its protocol: a result, or a business error such as
        ``PATIENT_NOT_FOUND`` for an identity nobody has. Raises :class:`RegistryUnavailable` when
        there was no usable answer (refused, timed out, HTTP error, not JSON-RPC, no such method),
        and a plain :class:`RegistryError` when the registry answered with an error that is not a
        business answer (an internal error): it is there, but not well. Never retried; ``timeout``
        (seconds) bounds the exchange.
        """
        ...
