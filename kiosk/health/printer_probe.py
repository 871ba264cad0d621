"""The printer's probe: its real-time status (``Printer.status()``, bounded by ``[printer] status_timeout``).

=====================================  =========================================================
printer state                          health
=====================================  =========================================================
online                                 AVAILABLE
paper near end                         DEGRADED (it still prints; the technician should refill)
paper end, cover open, offline/error   UNAVAILABLE
unknown on usb, serial, network        UNAVAILABLE: the printer does not answer (switched off,
                                       unplugged, silent) — never taken for "fine"
unknown on file; preview               AVAILABLE: these connections cannot read a status, and a
                                       preview never fails to show the ticket
=====================================  =========================================================
"""

from __future__ import annotations

from devices.printer.ports import Printer, PrinterState, PrinterStatus
from kiosk.health.coordinator import Probe
from kiosk.health.state import HealthStatus, ProbeResult

NO_READ_BACK = "no status read-back on this connection (file or preview): assumed available"

_STATES = {
    PrinterState.ONLINE: HealthStatus.AVAILABLE,
    PrinterState.PAPER_NEAR_END: HealthStatus.DEGRADED,
    PrinterState.PAPER_END: HealthStatus.UNAVAILABLE,
    PrinterState.COVER_OPEN: HealthStatus.UNAVAILABLE,
    PrinterState.OFFLINE: HealthStatus.UNAVAILABLE,
}


def judge_printer_status(status: PrinterStatus, *, reads_status: bool) -> ProbeResult:
    """The table above; ``reads_status`` = the connection can read a status (usb, serial, network)."""
    if status.state is PrinterState.UNKNOWN:
        if reads_status:
            return ProbeResult(HealthStatus.UNAVAILABLE, status.detail or "printer does not answer")
        return ProbeResult(HealthStatus.AVAILABLE, NO_READ_BACK)
    return ProbeResult(_STATES[status.state], status.detail or status.state.value)


def printer_probe(printer: Printer, *, reads_status: bool) -> Probe:
    """A probe for a coordinator (the status read runs on the printer's own worker, after any job)."""

    def probe() -> ProbeResult:
        return judge_printer_status(printer.status(), reads_status=reads_status)

    return probe
