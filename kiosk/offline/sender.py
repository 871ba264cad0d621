"""Delivering the outbox: each queued action, oldest first, after asking the registry what already happened.

The EMIAS API has no idempotency key, so before every attempt the sender reads the patient's
appointments (``getAppointmentReceptionsByPatient``) and decides from what the registry says:

- **cancel**: the appointment is no longer listed → *confirmed* without sending (cancelled already, or
  moved online meanwhile: a move makes a new appointment, so the queued cancel is resolved, not applied
  to the new one); still listed → *sent*, ``cancelAppointment``, *confirmed*;
- **check_in**: already marked arrived → *confirmed*; not listed → *failed* (nothing to check in to);
  otherwise *sent*, the check-in, *confirmed*.

A business refusal (too late to check in, …) is *failed* with the registry's code and words, and stays
for a technician. A registry that does not answer puts the action back to *pending* and stops the round:
it is tried again, after the same check, on the next one. The kiosk runs :meth:`OutboxSender.deliver_all`
on the sync thread after every good sync (kiosk.offline.factory); the caching registry queues the
patient's offline cancel and check-in (kiosk.offline.caching), each with a printed receipt.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from kiosk.clock import Clock
from kiosk.domain import PatientKey, mask_policy
from kiosk.errors import RegistryError, RegistryUnavailable
from kiosk.registry.port import RegistryPort
from offline_cache import Outbox, QueuedAction
from offline_cache.outbox import CONFIRMED, FAILED, PENDING, SENT

log = logging.getLogger("kiosk.offline.sender")

CANCEL = "cancel"
CHECK_IN = "check_in"


def queued_payload(key: PatientKey, appointment_id: int) -> dict[str, object]:
    """What a queued action carries (sealed in the outbox): who, and which appointment."""
    return {"policy": key.policy, "birth_date": key.birth_date.isoformat(), "appointment_id": appointment_id}


@dataclass(frozen=True)
class RoundReport:
    confirmed: int = 0
    failed: int = 0
    #: the registry stopped answering: the rest waits for the next round
    interrupted: bool = False


class OutboxSender:
    def __init__(self, outbox: Outbox, registry: RegistryPort, clock: Clock,
                 is_online: Callable[[], bool] = lambda: True) -> None:
        self.outbox = outbox
        self.registry = registry
        self.clock = clock
        self.is_online = is_online

    def deliver_all(self) -> RoundReport:
        """Deliver until nothing is left to send or the registry stops answering."""
        confirmed = failed = 0
        while self.is_online():
            action = self.outbox.next_to_send()
            if action is None:
                break
            status = self.deliver(action)
            if status == PENDING:
                return RoundReport(confirmed, failed, interrupted=True)
            confirmed += status == CONFIRMED
            failed += status == FAILED
        return RoundReport(confirmed, failed)

    def deliver(self, action: QueuedAction) -> str:
        """One action: check, maybe send, record; returns its new status."""
        payload = action.payload
        key = PatientKey(str(payload["policy"]), date.fromisoformat(str(payload["birth_date"])))
        appointment_id = int(payload["appointment_id"])
        try:
            listed = {a.appointment_id: a for a in self.registry.appointments(key)}
            if action.kind == CANCEL:
                if appointment_id not in listed:
                    return self._move(action, CONFIRMED, "no longer listed: cancelled or moved already")
                self._move(action, SENT)
                self.registry.cancel(key, appointment_id)
                return self._move(action, CONFIRMED, "cancelled")
            if action.kind == CHECK_IN:
                visit = listed.get(appointment_id)
                if visit is None:
                    return self._move(action, FAILED, "APPOINTMENT_RECEPTION_NOT_FOUND: no longer listed")
                if visit.checked_in:
                    return self._move(action, CONFIRMED, "arrival already marked")
                self._move(action, SENT)
                self.registry.check_in(key, appointment_id)
                return self._move(action, CONFIRMED, "arrival marked")
            return self._move(action, FAILED, f"unknown kind {action.kind!r}")
        except RegistryUnavailable as error:
            log.info("outbox %s (%s, %s): registry not answering, kept: %s", action.action_id, action.kind,
                     mask_policy(key.policy), type(error).__name__)
            current = self.outbox.get(action.action_id).status
            return self._move(action, PENDING, f"not delivered yet: {type(error).__name__}") if current == SENT \
                else PENDING
        except RegistryError as error:
            reason = f"{error.code}: {error.registry_message}" if error.registry_message else error.code
            return self._move(action, FAILED, reason)

    def _move(self, action: QueuedAction, status: str, detail: str = "") -> str:
        self.outbox.move(action.action_id, status, self.clock.now(), detail)
        if status in (CONFIRMED, FAILED):
            log.info("outbox %s (%s): %s%s", action.action_id, action.kind, status, f" ({detail})" if detail else "")
        return status
