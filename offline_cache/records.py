"""What the cache stores, as plain values (the cache knows nothing of the kiosk's domain classes).

A payload is a JSON-able dict the caller makes and reads back unchanged; times are aware ISO strings
made by the caller's clock (the cache never reads the system clock).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

Payload = dict[str, Any]


@dataclass(frozen=True)
class Item:
    """A specialty or a piece of the clinic's public data, by its key."""

    key: str
    payload: Payload


@dataclass(frozen=True)
class DoctorItem:
    resource_id: int
    payload: Payload


@dataclass(frozen=True)
class SlotItem:
    """A free slot of a doctor: aware times, the registry's own strings for them, the room (complex
    resource) and its cabinet number."""

    resource_id: int
    start: datetime
    end: datetime
    start_raw: str
    end_raw: str
    room_id: int
    cabinet: str

    @property
    def day(self) -> date:
        return self.start.date()


@dataclass(frozen=True)
class Cached:
    """What the cache had, and when it was fetched (``None``: nothing cached)."""

    items: tuple[Any, ...]
    fetched_at: datetime | None

    @property
    def known(self) -> bool:
        return self.fetched_at is not None
