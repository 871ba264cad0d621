"""The printer port: what the application may ask of any printer adapter.

Adapters never raise for device trouble: a dead, busy or silent printer gives a
:class:`PrintResult` that is not "printed", with a reason, and an unreadable status is
``unknown`` (never "plenty of paper"). A ticket is "printed" only when the printer
confirmed it; bytes that went out to a printer that could not (or did not) say so
are "unknown".
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


class Delivery(StrEnum):
    """What became of a ticket sent to a printer."""

    PRINTED = "printed"  # the printer took every byte and answered "ready" after the ticket
    UNKNOWN = "unknown"  # the bytes went out, but the printer did not or cannot say whether it printed
    NOT_PRINTED = "not_printed"  # refused, failed or timed out: at most part of the ticket came out


@dataclass(frozen=True)
class PrintResult:
    delivery: Delivery
    reason: str = ""  # why it is not "printed" (technician-readable English), empty when printed
    warning: str = ""  # printed, but e.g. paper near end
    png_path: Path | None = None  # the ticket as a picture: preview printer, or a ticket not known printed
    bytes_sent: int = 0
    status_before: PrinterStatus | None = None
    status_after: PrinterStatus | None = None

    @property
    def ok(self) -> bool:
        """Printed, and the printer said so."""
        return self.delivery is Delivery.PRINTED


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
