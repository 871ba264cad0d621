"""The registry port: what the kiosk asks of a registry, in domain terms.

Adapters: :mod:`kiosk.registry.emias` (JSON-RPC over HTTP, also used against the
demo registry) and, later, the offline cache wrapper with the same interface.
Every method may raise :class:`kiosk.errors.RegistryError` subclasses or
:class:`kiosk.errors.RegistryUnavailable`.
"""

from __future__ import annotations

from typing import Protocol

from kiosk.domain import Appointment, Booking, Doctor, Patient, PatientKey, Schedule, Slot, Specialty


class RegistryPort(Protocol):
    def identify(self, key: PatientKey) -> Patient: ...

    def specialties(self, key: PatientKey) -> list[Specialty]: ...

    def doctors(self, key: PatientKey, specialty_id: str) -> list[Doctor]: ...

    def schedule(self, key: PatientKey, doctor: Doctor, room: int | None = None) -> Schedule: ...

    def book(self, key: PatientKey, doctor: Doctor, slot: Slot) -> Booking: ...

    def appointments(self, key: PatientKey) -> list[Appointment]: ...

    def close(self) -> None: ...
