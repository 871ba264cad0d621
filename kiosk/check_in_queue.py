"""The seam between a check-in and the outbox (offline_cache's queue of actions, not built yet).

A check-in by the ticket's QR code that finds the registry unreachable is handed to a
:class:`CheckInQueue` when the composition root gives the session one; the outbox will implement it
(retried with an idempotency check, confirmed or visibly failed, DESIGN §7). Until then the session
has none and the patient sees the registry's error with the queue ticket to the desk.
"""

from __future__ import annotations

from typing import Protocol

from kiosk.domain import PatientKey


class CheckInQueue(Protocol):
    def queue_check_in(self, key: PatientKey, appointment_id: int) -> None:
        """Keep the check-in to send when the registry answers again (raises when it cannot be kept)."""
        ...
