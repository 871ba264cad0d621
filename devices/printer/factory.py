"""[printer] section → the printer adapter."""

from __future__ import annotations

from devices.printer.config import PrinterConfig
from devices.printer.ports import Printer


def open_printer(cfg: PrinterConfig) -> Printer:
    """The adapter for ``cfg.kind``; opening the device itself is deferred to the first job."""
    if cfg.kind == "preview":
        from devices.printer.preview_printer import PreviewPrinter

        return PreviewPrinter(cfg)
    from devices.printer.escpos_printer import EscposPrinter

    return EscposPrinter(cfg)
