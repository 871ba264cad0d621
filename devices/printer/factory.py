"""[printer] section → the printer adapter."""

from __future__ import annotations

from devices.printer.config import PrinterConfig
from devices.printer.ports import Now, Printer


def open_printer(cfg: PrinterConfig, *, now: Now) -> Printer:
    """The adapter for ``cfg.kind``; opening the device itself is deferred to the first job.

    ``now`` is the kiosk's clock (names of ticket pictures).
    """
    if cfg.kind == "preview":
        from devices.printer.preview_printer import PreviewPrinter

        return PreviewPrinter(cfg, now=now)
    from devices.printer.escpos_printer import EscposPrinter

    return EscposPrinter(cfg, now=now)
