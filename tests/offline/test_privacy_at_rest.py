"""Nothing personal in clear at rest: every byte of every file in the kiosk's data directory — the cache
file, its WAL and shared memory, the key, whatever else is there — is searched for the demo patients'
policy numbers, birth dates and names after each of them used the kiosk online and offline.

The demo registry stands for the city's registry and keeps its own database outside the kiosk's data
directory, as a real registry would. Offline, the caching registry queues a cancel and a check-in of each
patient's appointments it knows, and the outbox is also filled by hand with the patients' names.
Doctors' names are public reference data and are cached; the demo clinic's doctors share no surname
with the demo patients, so every patient's bare surname is searched too.
"""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path

from kiosk.clock import ManualClock
from kiosk.demo_registry import DEMO_PATIENTS, DemoPatient, DemoRegistryHandle
from kiosk.domain import PatientKey
from kiosk.errors import ActionQueued, KioskError
from kiosk.health.coordinator import HealthCoordinator
from kiosk.health.state import HealthStatus
from kiosk.offline.factory import OfflineCache
from offline_cache import Outbox

ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be", "cp1251", "koi8-r")


def date_forms(day: date) -> set[str]:
    d, m, y = day.day, day.month, day.year
    return {day.isoformat(), f"{d:02d}.{m:02d}.{y}", f"{d}.{m}.{y}", f"{d:02d}/{m:02d}/{y}", f"{m:02d}/{d:02d}/{y}",
            f"{d:02d}-{m:02d}-{y}", f"{y}{m:02d}{d:02d}", f"{d:02d}{m:02d}{y}", f"{y}.{m:02d}.{d:02d}",
            f"{y}/{m:02d}/{d:02d}", f"{d:02d}.{m:02d}.{y % 100:02d}"}


def name_forms(patient: DemoPatient, public_names: str) -> set[str]:
    first, middle, last = patient.first_name, patient.middle_name, patient.last_name
    forms = {f"{last} {first}", f"{first} {last}", patient.full_name, f"{last} {first[0]}. {middle[0]}.",
             f"{last} {first[0]}.{middle[0]}.", f"{last}_{first[0]}.{middle[0]}.", f"{first} {middle}"}
    if last not in public_names:
        forms.add(last)
    return forms


def needles(public_names: str) -> dict[str, set[bytes]]:
    found: dict[str, set[bytes]] = {}
    for patient in DEMO_PATIENTS:
        texts = {patient.policy, " ".join(patient.policy[i:i + 4] for i in range(0, 16, 4)),
                 *date_forms(patient.birth_date), *name_forms(patient, public_names)}
        for text in texts:
            for variant in {text, text.upper(), text.lower()}:
                for encoding in ENCODINGS:
                    with contextlib.suppress(UnicodeEncodeError):
                        found.setdefault(text, set()).add(variant.encode(encoding))
    return found


def scan(directory: Path, wanted: dict[str, set[bytes]]) -> list[str]:
    hits = []
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        data = path.read_bytes()
        hits += [f"{path.name}: {text!r}" for text, forms in wanted.items() if any(f in data for f in forms)]
    return hits


def test_the_data_directory_holds_no_personal_data_in_clear(
        offline: OfflineCache, demo: DemoRegistryHandle, health: HealthCoordinator, clock: ManualClock,
        data_dir: Path) -> None:
    assert offline.worker is not None and offline.worker.sync_full().ok
    registry = offline.registry
    for patient in DEMO_PATIENTS:  # each of them at the kiosk while it is online
        key = PatientKey(patient.policy, patient.birth_date)
        try:
            registry.identify(key)
            registry.appointments(key)
            code = registry.specialties(key)[0].code
            doctor = next(d for d in registry.doctors(key, code) if d.bookable)
            registry.schedule(key, doctor)
        except KioskError:
            pass  # not attached here, another region: the registry says no, and nothing is kept
    status = offline.store.status()["kinds"]
    assert status["personal_patients"]["count"] >= 3 and status["personal_appointments"]["count"] >= 1
    demo.down()
    assert health.probe_once().status is HealthStatus.UNAVAILABLE
    queued = 0
    for patient in DEMO_PATIENTS:  # and again offline, from the cache, queuing what can be queued
        key = PatientKey(patient.policy, patient.birth_date)
        try:
            registry.identify(key)
            known = registry.appointments(key)
        except KioskError:
            continue
        for visit in known[:1]:
            for write in (registry.cancel, registry.check_in):
                try:
                    write(key, visit.appointment_id)
                except ActionQueued:
                    queued += 1
    assert queued >= 2
    outbox = Outbox(offline.store, offline.vault.sealer)  # queued actions are sealed the same way
    for patient in DEMO_PATIENTS:
        outbox.enqueue("cancel", offline.vault.lookup(patient.policy, patient.birth_date),
                       {"policy": patient.policy, "birth_date": patient.birth_date.isoformat(),
                        "patient": patient.full_name}, clock.now())
    files = {p.name for p in data_dir.iterdir()}
    assert {"cache.sqlite", "cache.sqlite-wal", "cache.key"} <= files, files  # the WAL is there and scanned

    public = " ".join(d.payload["name"] for d in (offline.store.doctor(i) for i in offline.store.doctor_ids()) if d)
    assert public and not [p.last_name for p in DEMO_PATIENTS if p.last_name in public]
    wanted = needles(public)
    assert scan(data_dir, wanted) == []
    offline.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert scan(data_dir, wanted) == []


def test_the_scan_finds_what_it_looks_for(tmp_path: Path) -> None:
    """The scanner itself: a patient written in clear, in any of the forms, is found."""
    patient = DEMO_PATIENTS[0]
    wanted = needles("")
    for n, text in enumerate((patient.policy, f"{patient.birth_date:%d.%m.%Y}", patient.last_name.upper())):
        (tmp_path / f"f{n}").write_bytes(b"\x00junk" + text.encode("utf-16-le" if n == 2 else "utf-8") + b"junk")
    assert len(scan(tmp_path, wanted)) == 3
