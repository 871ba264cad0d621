"""The seam between a check-in and the outbox.

A check-in by the ticket's QR code that finds the registry unreachable is handed to a
:class:`CheckInQueue` when the composition root gives the session one: the caching registry
(kiosk.offline.caching.CachingRegistry.queue_check_in) commits it to the outbox, whose sender marks the
arrival when the registry answers again, after asking whether it is marked already (DESIGN §7).
Without an offline cache the session has none and the patient sees the registry's error with the
queue ticket to the desk.
"""

from __future__ import annotations

from typing import Protocol

from kiosk.domain import PatientKey


class CheckInQueue(Protocol):
    def queue_check_in(self, key: PatientKey, appointment_id: int) -> int:
        """Keep the check-in to send when the registry answers again; returns the queued action's number
        once it is on disk (raises when it cannot be kept)."""
        ...
