"""[printer] settings → how documents become bytes (model, code page, QR mode, presenter)."""

from __future__ import annotations

from dataclasses import dataclass

from devices.printer.config import PrinterConfig
from devices.printer.escpos_writer import WriterOptions
from devices.printer.models import MODELS, PRESENTER_NONE, parse_hex, presenter_commands


@dataclass(frozen=True)
class PresenterPlan:
    kind: str
    present: bytes  # sent instead of the cut
    collect: bytes  # sent by the kiosk after ``timeout`` seconds (empty: the printer does it itself)
    timeout: int


def presenter_plan(cfg: PrinterConfig) -> PresenterPlan:
    model = MODELS[cfg.model]
    kind = model.presenter if cfg.presenter == "auto" else cfg.presenter
    if kind == PRESENTER_NONE:
        return PresenterPlan(kind, b"", b"", 0)
    present, collect = presenter_commands(kind, cfg.present_timeout, cfg.uncollected)
    if cfg.present_command.strip():
        present = parse_hex(cfg.present_command)
    if cfg.collect_command.strip():
        collect = parse_hex(cfg.collect_command)
    return PresenterPlan(kind, present, collect, cfg.present_timeout)


def writer_options(cfg: PrinterConfig) -> WriterOptions:
    model = MODELS[cfg.model]
    native = None if cfg.qr == "auto" else cfg.qr == "native"
    return WriterOptions(
        model=model,
        cp866_slot=cfg.cp866_slot,
        native_qr=native,
        barcode=cfg.barcode,
        present=presenter_plan(cfg).present,
    )


def codepage_table(cfg: PrinterConfig) -> dict[int, str]:
    """ESC t number → Python codec, as this printer understands it (for the preview)."""
    slot = cfg.cp866_slot if cfg.cp866_slot is not None else MODELS[cfg.model].cp866_slot
    return {0: "cp437", slot: "cp866"} if slot else {0: "cp866"}
