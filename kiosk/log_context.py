"""Who the log line is about, without saying who: the patient session's id, errand, step and the device.

The kiosk serves one patient at a time, so the context is the process's: ``LOG_CONTEXT.follow(session)``
(a Session listener, on the UI thread) gives each patient session a random id (8 hex digits, no
relation to the patient) while it lasts and records its errand (the active journey) and step (the
screen); worker threads logging for it carry the same fields. The device comes from the logger's
name (``devices.printer`` → ``printer``) unless the call says ``extra={"device": ...}``.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.session.kernel import Session

_DEVICES = (
    ("devices.printer", "printer"), ("kiosk.ticket_desk", "printer"),
    ("devices.card", "card_reader"), ("kiosk.card_session", "card_reader"),
    ("kiosk.registry", "registry"), ("kiosk.demo_registry", "registry"),
)


@dataclass(frozen=True)
class Fields:
    session: str = ""
    errand: str = ""
    step: str = ""


class LogContext:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._fields = Fields()

    @property
    def fields(self) -> Fields:
        with self._lock:
            return self._fields

    def follow(self, session: Session) -> Callable[[], None]:
        """A listener for ``session.subscribe``: keeps the fields in step with the session."""

        def changed() -> None:
            screen = session.screen
            with self._lock:
                if screen == "welcome":
                    self._fields = Fields()
                    return
                ident = self._fields.session or secrets.token_hex(4)
                errand = session.active.name if session.active is not None else ""
                self._fields = Fields(ident, errand, screen)

        return changed


LOG_CONTEXT = LogContext()


def device_of(record: logging.LogRecord) -> str:
    explicit = getattr(record, "device", None)
    if isinstance(explicit, str):
        return explicit
    for prefix, device in _DEVICES:
        if record.name == prefix or record.name.startswith(prefix + "."):
            return device
    return ""


class ContextFilter(logging.Filter):
    """Adds ``kiosk_session``, ``kiosk_errand``, ``kiosk_step`` and ``kiosk_device`` to every record."""

    def __init__(self, context: LogContext = LOG_CONTEXT) -> None:
        super().__init__()
        self._context = context

    def filter(self, record: logging.LogRecord) -> bool:
        fields = self._context.fields
        record.kiosk_session = fields.session
        record.kiosk_errand = fields.errand
        record.kiosk_step = fields.step
        record.kiosk_device = device_of(record)
        return True
