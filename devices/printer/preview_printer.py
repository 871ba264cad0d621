"""The preview printer: renders the real ESC/POS bytes to a PNG in a directory."""

from __future__ import annotations

import itertools
import logging
from pathlib import Path

from devices.printer.config import PrinterConfig
from devices.printer.document import Document
from devices.printer.escpos_writer import render_escpos
from devices.printer.models import MODELS
from devices.printer.options import codepage_table, writer_options
from devices.printer.ports import Delivery, Now, PrinterState, PrinterStatus, PrintResult
from devices.printer.preview import render

log = logging.getLogger(__name__)

KEEP_FILES = 50
_counter = itertools.count(1)


def save_ticket_png(data: bytes, cfg: PrinterConfig, directory: Path, now: Now) -> Path:
    """Render ESC/POS ``data`` as ``cfg``'s printer would print it; keeps the newest pictures only.

    The file is named after the kiosk's time (``now``), so a technician finds the ticket of a moment.
    """
    rendered = render(
        data, paper_dots=MODELS[cfg.model].paper_dots, codepages=codepage_table(cfg), first_ticket_only=True
    )
    name = f"ticket-{now():%Y%m%d-%H%M%S}-{next(_counter):04d}.png"
    path = rendered.save_png(directory / name)
    for old in sorted(directory.glob("ticket-*.png"))[:-KEEP_FILES]:
        old.unlink(missing_ok=True)
    return path


class PreviewPrinter:
    def __init__(self, cfg: PrinterConfig, *, now: Now) -> None:
        self.cfg = cfg
        self.now = now
        self.directory = Path(cfg.path)
        self.options = writer_options(cfg)

    def render(self, doc: Document) -> bytes:
        return render_escpos(doc, self.options)

    def print_document(self, doc: Document) -> PrintResult:
        try:
            return self.print_bytes(self.render(doc))
        except Exception as exc:
            log.exception("ticket preview failed")
            return PrintResult(Delivery.NOT_PRINTED, reason=f"preview failed: {exc}")

    def print_bytes(self, data: bytes) -> PrintResult:
        try:
            path = save_ticket_png(data, self.cfg, self.directory, self.now)
        except OSError as exc:
            return PrintResult(Delivery.NOT_PRINTED, reason=f"cannot write preview: {exc}")
        return PrintResult(  # the preview's paper is the picture, and it is there
            Delivery.PRINTED, png_path=path, bytes_sent=len(data), status_before=self.status(),
            status_after=self.status(),
        )

    def status(self) -> PrinterStatus:
        return PrinterStatus(PrinterState.ONLINE, "preview")

    def close(self) -> None:
        pass
