"""The ticket printer: its connection and status (paper, cover), judged as its health probe judges it."""

from __future__ import annotations

from devices.printer.connections import can_read
from devices.printer.factory import open_printer
from devices.printer.ports import PrinterState
from kiosk.doctor.context import DoctorContext
from kiosk.doctor.result import CheckResult, fail, ok, warn
from kiosk.health.printer_probe import judge_printer_status
from kiosk.health.state import HealthStatus

NAME = "printer"

_REMEDIES = {
    PrinterState.PAPER_NEAR_END: "put in a new paper roll soon",
    PrinterState.PAPER_END: "put in a new paper roll",
    PrinterState.COVER_OPEN: "close the printer's cover",
    PrinterState.OFFLINE: "the printer reports an error: switch it off and on, clear a paper jam",
    PrinterState.UNKNOWN: "check the printer's power and cable, and [printer] kind / device / host / serial_port "
                          "(`kiosk printer status`)",
}


def check_printer(context: DoctorContext) -> list[CheckResult]:
    cfg = context.config.printer
    printer = open_printer(cfg, now=context.clock.now)
    try:
        status = printer.status()
    finally:
        printer.close()
    verdict = judge_printer_status(status, reads_status=can_read(cfg))
    where = f"{cfg.kind} printer ({cfg.model})"
    summary = f"{where}: {status.state.value}" + (f" ({verdict.detail})" if verdict.detail else "")
    remedy = _REMEDIES.get(status.state, "")
    if verdict.status is HealthStatus.AVAILABLE:
        return [ok(NAME, summary)]
    if verdict.status is HealthStatus.DEGRADED:
        return [warn(NAME, summary, remedy)]
    return [fail(NAME, summary, remedy or _REMEDIES[PrinterState.UNKNOWN])]
