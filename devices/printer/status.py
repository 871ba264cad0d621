"""Read and interpret real-time status (DLE EOT n) over any python-escpos connection.

python-escpos' own ``paper_status()`` reports "plenty" when nothing answers; we
never use it. A missing or malformed reply is ``unknown``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from devices.printer.ports import PrinterState, PrinterStatus

log = logging.getLogger(__name__)

DLE_EOT = b"\x10\x04"


def valid_reply(byte: int) -> bool:
    """Epson real-time status bytes look like 0xx1xx10."""
    return byte & 0x93 == 0x12


def interpret(query: Callable[[int], int | None], custom_status: bool = False) -> PrinterStatus:
    """Ask DLE EOT 1, 2, 3, 4 through ``query(n) -> byte or None`` and say what state the printer is in."""
    printer = query(1)
    if printer is None:
        return PrinterStatus(PrinterState.UNKNOWN, "printer does not answer")
    if not valid_reply(printer):
        return PrinterStatus(PrinterState.UNKNOWN, f"unexpected status reply 0x{printer:02X}")
    paper = query(4)
    paper_end = paper is not None and valid_reply(paper) and paper & 0x60 == 0x60
    near_end = paper is not None and valid_reply(paper) and paper & 0x0C != 0
    if printer & 0x08:  # offline: find out why
        cause = query(2)
        if cause is not None and valid_reply(cause):
            if cause & 0x04:
                return PrinterStatus(PrinterState.COVER_OPEN, "cover open")
            if cause & 0x20 or paper_end:
                return PrinterStatus(PrinterState.PAPER_END, "paper end")
            if cause & 0x40:
                error = query(3)
                detail = "error"
                if error is not None and valid_reply(error):
                    detail = (
                        "autocutter error"
                        if error & 0x08
                        else "unrecoverable error"
                        if error & 0x20
                        else "auto-recoverable error (e.g. head temperature)"
                        if error & 0x40
                        else "mechanical or presenter error"
                        if error & 0x04
                        else "error"
                    )
                return PrinterStatus(PrinterState.OFFLINE, detail)
        if paper_end:
            return PrinterStatus(PrinterState.PAPER_END, "paper end")
        return PrinterStatus(PrinterState.OFFLINE, "offline")
    if paper_end:
        return PrinterStatus(PrinterState.PAPER_END, "paper end")
    if paper is None:
        return PrinterStatus(PrinterState.UNKNOWN, "no paper sensor reply")
    if near_end:
        return PrinterStatus(PrinterState.PAPER_NEAR_END, "paper near end")
    return PrinterStatus(PrinterState.ONLINE, "ready")


def custom_ticket_in_output(reply: bytes) -> bool | None:
    """Custom full status (DLE EOT 0x14 → 10 0F P U R E): bit 5 of P = ticket still in the output."""
    if len(reply) >= 6 and reply[0] == 0x10 and reply[1] == 0x0F:
        return bool(reply[2] & 0x20)
    return None
