"""The offline cache on the service screen: its freshness and outbox lines, a sync now, and the outbox's
waiting and failed actions (masked) with retry and discard-with-a-reason.

Reads through the cache's public parts (``OfflineCache.worker``/``outbox``/``sender`` and
``kiosk.offline_watch``); every action goes through :meth:`ServiceDesk.act`, so it is logged with the
technician's session. Nothing here shows a full policy number or a birth date.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.clock import Clock
from kiosk.domain import mask_policy
from kiosk.offline.config import CacheConfig
from kiosk.offline.factory import OfflineCache
from kiosk.offline_watch import WAITING, CacheReading, freshness_line, outbox_line, read_cache
from kiosk.service_mode.desk import ServiceDesk

#: the discard reasons offered on the screen (typing on a touch screen is slow); kept with the action
DISCARD_REASONS = ("done at the registry desk", "patient's request", "entered by mistake")

#: the most actions listed on the screen (oldest first); `kiosk outbox list` shows them all
MAX_LISTED = 8


@dataclass(frozen=True)
class WaitingAction:
    action_id: int
    kind: str
    status: str
    patient: str  # masked: 7700 **** **** 1234
    line: str


class CacheDesk:
    def __init__(self, desk: ServiceDesk, offline: OfflineCache, cfg: CacheConfig, clock: Clock) -> None:
        self._desk = desk
        self._offline = offline
        self._cfg = cfg
        self._clock = clock
        desk.add_line(self.freshness)
        desk.add_line(self.outbox)

    def _reading(self) -> CacheReading:
        return read_cache(self._offline.store, self._clock.now(), self._offline.outbox)

    def freshness(self) -> tuple[str, str]:
        try:
            return "cache", freshness_line(self._reading(), self._cfg)
        except Exception as error:  # a broken file is shown, not a broken screen
            return "cache", f"cannot be read: {type(error).__name__}"

    def outbox(self) -> tuple[str, str]:
        try:
            return "outbox", outbox_line(self._reading())
        except Exception as error:
            return "outbox", f"cannot be read: {type(error).__name__}"

    # -- actions (call them off the UI thread: they touch the file and the registry) --------------------

    def sync_now(self) -> str:
        """One full sync now, then the outbox delivered; blocks until both ran."""
        worker = self._offline.worker

        def work() -> str:
            if worker is None:
                return "no sync here ([cache] sync_identity_file is empty)"
            report = worker.sync_full()
            if not report.ok:
                return f"sync failed: {report.detail}"
            sent = self._offline.sender.deliver_all()
            return (f"synced: {report.specialties} specialties, {report.doctors} doctors, {report.slots} slots; "
                    f"outbox: {sent.confirmed} confirmed, {sent.failed} failed"
                    + (" (the registry stopped answering)" if sent.interrupted else ""))

        return self._desk.act("cache sync", work)

    def waiting(self) -> list[WaitingAction]:
        actions = self._offline.outbox.listed(WAITING)[:MAX_LISTED]
        listed = []
        for action in actions:
            patient = mask_policy(str(action.payload.get("policy", "")))
            when = f"{action.created_at:%d.%m %H:%M}"
            detail = f" — {action.detail}" if action.detail else ""
            listed.append(WaitingAction(action.action_id, action.kind, action.status, patient,
                                        f"#{action.action_id} {action.kind} {action.status} {when} {patient}{detail}"))
        return listed

    def retry(self, action_id: int) -> str:
        def work() -> str:
            action = self._offline.outbox.retry(action_id, self._clock.now())
            return f"#{action.action_id} {action.kind}: {action.status} again"

        return self._desk.act(f"outbox retry #{action_id}", work)

    def discard(self, action_id: int, reason: str) -> str:
        def work() -> str:
            action = self._offline.outbox.discard(action_id, self._clock.now(), reason)
            return f"#{action.action_id} {action.kind}: discarded ({action.detail})"

        return self._desk.act(f"outbox discard #{action_id}", work)
