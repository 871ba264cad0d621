"""The printer port: what the application may ask of any printer adapter.

Adapters never raise for device trouble: a dead, busy or silent printer gives a
failed :class:`PrintResult` with a reason, and an unreadable status is
``unknown`` (never "plenty of paper").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from devices.printer.document import Document

#: the kiosk's clock as a function giving the current aware instant (devices import nothing of kiosk)
Now = Callable[[], datetime]


class PrinterState(StrEnum):
    ONLINE = "online"
    PAPER_NEAR_END = "paper_near_end"
    PAPER_END = "paper_end"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"  # answers, but reports an error or offline without a known cause
    UNKNOWN = "unknown"  # no answer, or the connection cannot read status


@dataclass(frozen=True)
class PrinterStatus:
    state: PrinterState
    detail: str = ""
    ticket_in_output: bool | None = None  # presenter printers: previous ticket still in the mouth

    @property
    def can_print(self) -> bool:
        """Worth sending a job: online, near end, or simply not known (file/device without read-back)."""
        return self.state in (PrinterState.ONLINE, PrinterState.PAPER_NEAR_END, PrinterState.UNKNOWN)

    @property
    def needs_attention(self) -> bool:
        return self.state is not PrinterState.ONLINE

    def as_dict(self) -> dict[str, object]:
        return {"state": self.state.value, "detail": self.detail, "ticket_in_output": self.ticket_in_output}


UNKNOWN_STATUS = PrinterStatus(PrinterState.UNKNOWN, "status not readable on this connection")


@dataclass(frozen=True)
class PrintResult:
    ok: bool
    reason: str = ""  # why it failed (technician-readable English), empty when ok
    warning: str = ""  # printed, but e.g. paper near end
    png_path: Path | None = None  # preview printer: the rendered ticket
    bytes_sent: int = 0
    status_before: PrinterStatus | None = None
    status_after: PrinterStatus | None = None


class Printer(Protocol):
    def print_document(self, doc: Document) -> PrintResult:
        """Print ``doc``; returns within the configured job timeout, never raises for device trouble."""
        ...

    def status(self) -> PrinterStatus:
        """Current state, within the status timeout; ``unknown`` when the printer does not answer."""
        ...

    def close(self) -> None:
        """Release the device."""
        ...
