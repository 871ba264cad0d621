"""A registry port that keeps serving when the registry is down: the live registry first, the cache after.

- **Online** (the registry's health coordinator does not say *unavailable*): every call goes to the
  registry. Schedules, the patient's record and their appointments refresh the cache on the way back
  (the patient's part sealed, :mod:`offline_cache.personal`). A read that finds the registry not
  answering (:class:`RegistryUnavailable`) is answered from the cache when it has it.
- **Offline**: reads the cache has are answered from it at once, without waiting for a dead network;
  :attr:`served_as_of` then says how old the answer is, for the screens («Расписание на 14:05»).
  Reads it does not have raise :class:`RegistryUnavailable`. Writes never pretend: a booking or a move
  raises :class:`OfflineBookingRefused` (the screen offers a queue ticket); a cancel is committed to
  the outbox and :class:`ActionQueued` raised (``offline_cancel = queue``), and so is a check-in
  (``offline_check_in = queue``); with ``offline_check_in = no`` a check-in raises
  :class:`OfflineActionRefused` and ``supports_check_in`` is False offline, so «Я пришёл» prints the
  ticket that confirms the visit at the cabinet, as with a registry that has no arrival mark.
  :meth:`queue_check_in` is the session's :class:`kiosk.check_in_queue.CheckInQueue` (the ticket's QR
  check-in that met a registry not answering).
- Before a write is refused, ``recheck`` (one fresh probe of the coordinator) confirms the registry is
  still offline, so a single lost probe never turns a patient away.
- ``probe`` always goes to the registry itself: the health coordinator must see the real thing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from itertools import groupby
from typing import TypeVar

from kiosk.clock import Clock
from kiosk.domain import (
    Appointment,
    Assignment,
    Booking,
    CheckIn,
    DaySchedule,
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
from kiosk.errors import ActionQueued, OfflineActionRefused, OfflineBookingRefused, RegistryUnavailable
from kiosk.offline import codec
from kiosk.offline.codec import CacheDecodeError
from kiosk.offline.config import CacheConfig
from kiosk.offline.sender import CANCEL, CHECK_IN, queued_payload
from kiosk.registry.port import RegistryPort
from offline_cache import Cached, CacheStore, Outbox, PersonalVault

log = logging.getLogger("kiosk.offline")

T = TypeVar("T")


class CachingRegistry:
    def __init__(self, inner: RegistryPort, store: CacheStore, vault: PersonalVault, clock: Clock,
                 is_offline: Callable[[], bool], config: CacheConfig,
                 recheck: Callable[[], bool] | None = None, outbox: Outbox | None = None) -> None:
        self.inner = inner
        self.store = store
        self.vault = vault
        self.clock = clock
        self.is_offline = is_offline
        #: asked before a write is refused: is the registry still offline? (one fresh probe)
        self.recheck = recheck or is_offline
        self.config = config
        #: where offline actions are queued (None: they are refused)
        self.outbox = outbox
        #: when the data of the last answer was fetched, if it came from the cache (None: it was live)
        self.served_as_of: datetime | None = None
        #: the last answer was the patient's appointments known to this kiosk (maybe not all of them)
        self.served_partial_list = False

    # --- how a read is answered ------------------------------------------------------------------------

    def _live(self, call: Callable[[], T]) -> T:
        result = call()
        self.served_as_of, self.served_partial_list = None, False
        return result

    def _read(self, live: Callable[[], T], cached: Callable[[], tuple[T, datetime] | None], allowed: bool) -> T:
        if not self.is_offline():
            try:
                return self._live(live)
            except RegistryUnavailable:
                if not allowed:
                    raise
                answer = self._from_cache(cached)
                if answer is None:
                    raise
                log.info("registry not answering: served from the cache")
                return answer
        if allowed:
            answer = self._from_cache(cached)
            if answer is not None:
                return answer
        raise RegistryUnavailable("offline and not in the cache")

    def _from_cache(self, cached: Callable[[], tuple[T, datetime] | None]) -> T | None:
        try:
            found = cached()
        except CacheDecodeError as error:
            log.warning("cached data does not decode (%s): treated as not cached", error)
            return None
        if found is None:
            return None
        value, as_of = found
        self.served_as_of = as_of
        return value

    def _refuse_write(self, booking: bool) -> None:
        if self.is_offline() and self.recheck():
            raise OfflineBookingRefused("offline") if booking else OfflineActionRefused("offline")

    def _keep(self, what: str, action: Callable[[], object]) -> None:
        """Write to the cache on the way back; a cache that fails must not fail the patient's answer."""
        try:
            action()
        except Exception:
            log.exception("could not keep %s in the cache", what)

    # --- reads ------------------------------------------------------------------------------------------

    def identify(self, key: PatientKey) -> Patient:
        lookup = self.vault.lookup(key.policy, key.birth_date)

        def live() -> Patient:
            patient = self.inner.identify(key)
            self._keep("the patient", lambda: self.vault.remember_patient(
                lookup, codec.patient_payload(patient), self.clock.today()))
            return patient

        def cached() -> tuple[Patient, datetime] | None:
            payload = self.vault.patient(lookup)
            return (codec.patient_from(payload, key), self.clock.now()) if payload is not None else None

        return self._read(live, cached, self.config.offline_appointments)

    def specialties(self, key: PatientKey) -> list[Specialty]:
        def cached() -> tuple[list[Specialty], datetime] | None:
            found = self.store.specialties()
            return _known([codec.specialty_from(i.payload) for i in found.items], found)

        return self._read(lambda: self.inner.specialties(key), cached, self.config.offline_browse)

    def doctors(self, key: PatientKey, specialty_id: str, lpu_id: int | None = None) -> list[Doctor]:
        def cached() -> tuple[list[Doctor], datetime] | None:
            if lpu_id is not None:
                return None
            found = self.store.doctors(specialty_id)
            return _known([codec.doctor_from(i.payload) for i in found.items], found)

        return self._read(lambda: self.inner.doctors(key, specialty_id, lpu_id), cached, self.config.offline_browse)

    def schedule(self, key: PatientKey, doctor: Doctor, room: int | None = None) -> Schedule:
        def live() -> Schedule:
            schedule = self.inner.schedule(key, doctor, room)
            if room is None and doctor.referral_id is None and doctor.shift_appointment_id is None:
                today = self.clock.today()
                window = [today + timedelta(days=n) for n in range(self.config.days)]
                slots = [codec.slot_item(doctor.resource_id, s) for d in schedule.days for s in d.slots]
                self._keep("a schedule", lambda: self.store.replace_schedule(
                    doctor.resource_id, window, slots, self.clock.now()))
            return schedule

        def cached() -> tuple[Schedule, datetime] | None:
            found = self.store.schedule(doctor.resource_id, self.clock.today())
            if found.fetched_at is None:
                return None
            now = self.clock.now()
            slots = [codec.slot_from(item) for item in found.items]
            slots = [s for s in slots if s.start > now and (room is None or s.complex_resource_id == room)]
            return Schedule(doctor, _days(slots)), found.fetched_at

        return self._read(live, cached, self.config.offline_browse)

    def appointments(self, key: PatientKey) -> list[Appointment]:
        lookup = self.vault.lookup(key.policy, key.birth_date)

        def live() -> list[Appointment]:
            listed = self.inner.appointments(key)
            stamp = self.clock.now().isoformat()
            rows = [(str(a.appointment_id), a.start.date(), {**codec.appointment_payload(a), "seen_at": stamp})
                    for a in listed]
            self._keep("the appointments", lambda: self.vault.replace_appointments(lookup, rows))
            return listed

        def cached() -> tuple[list[Appointment], datetime] | None:
            payloads = self.vault.appointments(lookup, self.clock.today())
            if self.vault.patient(lookup) is None and not payloads:
                return None
            seen = [datetime.fromisoformat(p["seen_at"]) for p in payloads if p.get("seen_at")]
            listed = sorted((codec.appointment_from(p) for p in payloads), key=lambda a: a.start)
            return listed, min(seen, default=self.clock.now())

        result = self._read(live, cached, self.config.offline_appointments)
        self.served_partial_list = self.served_as_of is not None
        return result

    # --- reads that are never cached (they need the registry's judgement) -------------------------------

    def _online_only(self, call: Callable[[], T]) -> T:
        if self.is_offline():
            raise RegistryUnavailable("offline")
        return self._live(call)

    def referrals(self, key: PatientKey) -> list[Referral]:
        return self._online_only(lambda: self.inner.referrals(key))

    def assignments(self, key: PatientKey) -> list[Assignment]:
        return self._online_only(lambda: self.inner.assignments(key))

    def doctors_by_referral(self, key: PatientKey, referral_id: int) -> list[Doctor]:
        return self._online_only(lambda: self.inner.doctors_by_referral(key, referral_id))

    def doctors_for_reschedule(self, key: PatientKey, appointment: Appointment) -> list[Doctor]:
        self._refuse_write(booking=True)
        return self._live(lambda: self.inner.doctors_for_reschedule(key, appointment))

    def lpus_for_specialty(self, key: PatientKey, specialty_id: str) -> list[Lpu]:
        return self._online_only(lambda: self.inner.lpus_for_specialty(key, specialty_id))

    # «Расписание врачей» without identification: live only for now (offline the errand's reads fail
    # with RegistryUnavailable and the screen offers the queue ticket; the cache keeps the same data
    # for patients who identified)

    def supports_public_schedules(self) -> bool:
        return self._online_only(self.inner.supports_public_schedules)

    def public_specialties(self) -> list[Specialty]:
        return self._online_only(self.inner.public_specialties)

    def public_doctors(self, specialty_id: str) -> list[PublicDoctor]:
        return self._online_only(lambda: self.inner.public_doctors(specialty_id))

    def working_hours(self, resource_id: int, days: int) -> list[WorkingDay]:
        return self._online_only(lambda: self.inner.working_hours(resource_id, days))

    # the waiting list: live only (offline the read fails with RegistryUnavailable, the request is refused)

    def supports_waiting_list(self) -> bool:
        return self._online_only(self.inner.supports_waiting_list)

    def waiting_list(self, key: PatientKey) -> list[WaitingListEntry]:
        return self._online_only(lambda: self.inner.waiting_list(key))

    def add_to_waiting_list(self, key: PatientKey, specialty_id: str, reason: str, phone: str) -> int:
        self._refuse_write(booking=False)
        return self.inner.add_to_waiting_list(key, specialty_id, reason, phone)

    # home visits: live only (offline the reads fail with RegistryUnavailable, request and cancel are refused)

    def supports_home_visits(self) -> bool:
        return self._online_only(self.inner.supports_home_visits)

    def home_visit_address(self, key: PatientKey) -> str:
        return self._online_only(lambda: self.inner.home_visit_address(key))

    def home_visits(self, key: PatientKey) -> list[HomeVisit]:
        return self._online_only(lambda: self.inner.home_visits(key))

    def request_home_visit(self, key: PatientKey, request: HomeVisitRequest) -> HomeVisit:
        self._refuse_write(booking=False)
        return self.inner.request_home_visit(key, request)

    def cancel_home_visit(self, key: PatientKey, visit_id: int) -> None:
        self._refuse_write(booking=False)
        self.inner.cancel_home_visit(key, visit_id)

    # the visit history: live only (offline it raises RegistryUnavailable; «Мои записи» leaves it out)

    def supports_past_visits(self) -> bool:
        return self._online_only(self.inner.supports_past_visits)

    def past_visits(self, key: PatientKey) -> list[PastVisit]:
        return self._online_only(lambda: self.inner.past_visits(key))

    # --- writes -----------------------------------------------------------------------------------------

    def book(self, key: PatientKey, doctor: Doctor, slot: Slot) -> Booking:
        self._refuse_write(booking=True)
        return self.inner.book(key, doctor, slot)

    def reschedule(self, key: PatientKey, appointment_id: int, doctor: Doctor, slot: Slot) -> Booking:
        self._refuse_write(booking=True)
        return self.inner.reschedule(key, appointment_id, doctor, slot)

    def cancel(self, key: PatientKey, appointment_id: int) -> None:
        """Live; offline, queued in the outbox (committed) and :class:`ActionQueued` raised, or refused."""
        if self.queues_cancel and self.is_offline() and self.recheck():
            raise ActionQueued(self._enqueue(CANCEL, key, appointment_id))
        self._refuse_write(booking=False)
        self.inner.cancel(key, appointment_id)
        lookup = self.vault.lookup(key.policy, key.birth_date)
        self._keep("a cancellation", lambda: self.vault.drop_appointment(lookup, str(appointment_id)))

    def supports_check_in(self) -> bool:
        if self.is_offline():
            return self.queues_check_in
        return self.inner.supports_check_in()

    def check_in(self, key: PatientKey, appointment_id: int) -> CheckIn:
        """Live; offline, queued in the outbox (committed) and :class:`ActionQueued` raised, or refused."""
        if self.queues_check_in and self.is_offline() and self.recheck():
            raise ActionQueued(self._enqueue(CHECK_IN, key, appointment_id))
        self._refuse_write(booking=False)
        return self.inner.check_in(key, appointment_id)

    # --- the outbox -------------------------------------------------------------------------------------

    @property
    def queues_cancel(self) -> bool:
        return self.outbox is not None and self.config.offline_cancel == "queue"

    @property
    def queues_check_in(self) -> bool:
        return self.outbox is not None and self.config.offline_check_in == "queue"

    def queue_check_in(self, key: PatientKey, appointment_id: int) -> int:
        """:class:`kiosk.check_in_queue.CheckInQueue`: keep a check-in the registry did not answer."""
        return self._enqueue(CHECK_IN, key, appointment_id)

    def _enqueue(self, kind: str, key: PatientKey, appointment_id: int) -> int:
        """Commit the action to the outbox; its number once it is on disk."""
        if self.outbox is None:
            raise OfflineActionRefused("no outbox")
        lookup = self.vault.lookup(key.policy, key.birth_date)
        action = self.outbox.enqueue(kind, lookup, queued_payload(key, appointment_id), self.clock.now())
        log.info("offline: %s of appointment %s queued as outbox action %s", kind, appointment_id, action)
        return action

    # --- the rest ---------------------------------------------------------------------------------------

    def probe(self, timeout: float | None = None) -> None:
        self.inner.probe(timeout)

    def close(self) -> None:
        self.inner.close()


def _known(values: list[T], found: Cached) -> tuple[list[T], datetime] | None:
    return (values, found.fetched_at) if found.fetched_at is not None else None


def _days(slots: list[Slot]) -> tuple[DaySchedule, ...]:
    ordered = sorted(slots, key=lambda s: s.start)
    return tuple(DaySchedule(day, tuple(group)) for day, group in groupby(ordered, key=lambda s: s.start.date()))
