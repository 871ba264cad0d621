"""The sync's source: the registry port, read as the kiosk's sync identity, in the cache's plain values.

The registry's reads are all made for a patient (EMIAS has no anonymous list of the clinic), so the
sync reads as one identity the clinic gives the kiosk for it (``[cache] sync_identity_file``). What it
lists is what that identity may book: an adult's lists. Specialties only by referral, or closed to
that identity, are kept with no doctors.
"""

from __future__ import annotations

import logging
import os
import stat
from datetime import date
from pathlib import Path

from devices.card.enp import is_valid_enp
from kiosk.domain import PatientKey
from kiosk.errors import RegistryError
from kiosk.offline.codec import attachment_item, doctor_from, doctor_item, slot_item, specialty_item
from kiosk.registry.port import RegistryPort
from offline_cache import DoctorItem, Item, SlotItem

log = logging.getLogger("kiosk.offline.source")


class SyncIdentityError(ValueError):
    """The sync identity file cannot be used (path and reason in the message)."""


def demo_sync_identity() -> PatientKey:
    """The demo registry's service identity: the first of its generated crowd (not one of the demo cast)."""
    from kiosk.demo_registry.patients import generated_patients

    service = generated_patients(1)[0]
    return PatientKey(service.policy, service.birth_date)


def read_sync_identity(path: Path) -> PatientKey:
    """``POLICY YYYY-MM-DD`` from a file only its owner may read."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise SyncIdentityError(f"{path}: cannot read the sync identity: {error.strerror}") from None
    if mode & 0o077:
        raise SyncIdentityError(f"{path}: the sync identity file must be readable by its owner only (chmod 600)")
    parts = text.split()
    try:
        if len(parts) != 2 or not is_valid_enp(parts[0]):
            raise ValueError
        return PatientKey(parts[0], date.fromisoformat(parts[1]))
    except ValueError:
        raise SyncIdentityError(f"{path}: expected one line 'POLICY YYYY-MM-DD' (a 16-digit policy number "
                                "with a valid check digit and a birth date)") from None


class RegistrySource:
    """Implements :class:`offline_cache.sync.Source` over a registry port."""

    def __init__(self, registry: RegistryPort, key: PatientKey) -> None:
        self.registry = registry
        self.key = key

    def clinic(self) -> list[Item]:
        return [attachment_item(a) for a in self.registry.identify(self.key).attachments]

    def specialties(self) -> list[Item]:
        return [specialty_item(s) for s in self.registry.specialties(self.key)]

    def doctors(self, specialty: Item) -> list[DoctorItem]:
        try:
            doctors = self.registry.doctors(self.key, specialty.key)
        except RegistryError as error:  # by referral only, not for this identity: listed with no doctors
            log.info("cache sync: no doctors for specialty %s (%s)", specialty.key, type(error).__name__)
            return []
        return [doctor_item(d) for d in doctors if d.bookable]

    def schedule(self, doctor: DoctorItem) -> list[SlotItem]:
        try:
            schedule = self.registry.schedule(self.key, doctor_from(doctor.payload))
        except RegistryError as error:
            log.info("cache sync: no schedule for resource %s (%s)", doctor.resource_id, type(error).__name__)
            return []
        return [slot_item(doctor.resource_id, slot) for day in schedule.days for slot in day.slots]
