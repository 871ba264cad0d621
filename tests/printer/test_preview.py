from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from devices.printer.config import PrinterConfig
from devices.printer.document import document_text
from devices.printer.escpos_writer import WriterOptions, render_escpos
from devices.printer.factory import open_printer
from devices.printer.models import MODELS
from devices.printer.ports import Delivery
from devices.printer.preview import MARGIN, escpos_text, font_path, render
from kiosk.tickets.layout import ticket_document, walkin_document
from kiosk.tickets.model import Ticket, WalkInTicket
from tests.pinned import clock_now


@pytest.mark.parametrize(("model", "columns"), [("epson", 48), ("custom-vkp80iii", 48), ("rongta", 48)])
def test_preview_text_equals_ticket_text(ticket: Ticket, model: str, columns: int) -> None:
    doc = ticket_document(ticket, columns, barcode=True)
    options = WriterOptions(MODELS[model], barcode=True)
    slot = MODELS[model].cp866_slot
    assert escpos_text(render_escpos(doc, options), codepages={0: "cp437", slot: "cp866"}) == document_text(
        doc
    )


@pytest.mark.parametrize("columns", [48, 32])
def test_image_qr_preview_has_the_same_text(ticket: Ticket, columns: int) -> None:
    model = MODELS["generic-58" if columns == 32 else "generic-80"]
    doc = ticket_document(ticket, columns, barcode=False)
    lines = escpos_text(render_escpos(doc, WriterOptions(model)), paper_dots=model.paper_dots)
    assert [line for line in lines if not line.startswith("[image")] == [
        line for line in document_text(doc) if not line.startswith("[qr")
    ]
    assert sum(line.startswith("[image") for line in lines) == 1


def test_wrong_code_page_would_show(ticket: Ticket) -> None:
    data = render_escpos(ticket_document(ticket), WriterOptions(MODELS["rongta"]))
    assert "ТАЛОН НА ПРИЁМ" not in escpos_text(data)  # slot 7 unknown to the default table


def test_walkin_preview_shows_big_number(walkin: WalkInTicket) -> None:
    data = render_escpos(walkin_document(walkin), WriterOptions(MODELS["epson"]))
    rendered = render(data)
    assert "А-017" in rendered.lines and rendered.unknown == []


def test_preview_printer_writes_a_png(ticket: Ticket, tmp_path: Path) -> None:
    printer = open_printer(PrinterConfig(kind="preview", path=tmp_path / "tickets"), now=clock_now)
    result = printer.print_document(ticket_document(ticket))
    assert result.ok and result.png_path is not None and result.png_path.parent == tmp_path / "tickets"
    with Image.open(result.png_path) as image:
        assert image.width == 576 + 2 * MARGIN and image.height > 900
        assert min(image.convert("L").getdata()) == 0  # something black was drawn


def test_file_printer_writes_the_escpos_bytes(ticket: Ticket, tmp_path: Path) -> None:
    cfg = PrinterConfig(kind="file", path=tmp_path / "ticket.bin")
    printer = open_printer(cfg, now=clock_now)
    doc = ticket_document(ticket)
    result = printer.print_document(doc)
    assert result.delivery is Delivery.UNKNOWN, result.reason  # a file cannot say whether it printed
    assert result.png_path is not None and result.png_path.is_file()  # so the screen shows it too
    assert (tmp_path / "ticket.bin").read_bytes() == render_escpos(doc, WriterOptions(MODELS["epson"]))
    assert printer.status().state.value == "unknown"


def test_file_printer_reports_a_missing_device(ticket: Ticket, tmp_path: Path) -> None:
    result = open_printer(PrinterConfig(kind="file", path=tmp_path / "no" / "lp0"), now=clock_now).print_document(
        ticket_document(ticket)
    )
    assert not result.ok and "cannot open file printer" in result.reason


def test_preview_font_has_cyrillic() -> None:
    path = font_path()
    assert path is not None and path.suffix == ".ttf"
