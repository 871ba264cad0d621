from __future__ import annotations

import dataclasses

import pytest

from devices.printer.document import QR, Barcode, Cut, Document, Text
from devices.printer.escpos_parser import iter_tokens
from devices.printer.escpos_writer import WriterOptions, render_escpos
from devices.printer.models import MODELS
from devices.printer.preview import escpos_text
from kiosk.tickets.layout import ticket_document
from kiosk.tickets.model import Ticket


def test_ticket_starts_with_reset_and_forces_cp866(ticket: Ticket) -> None:
    data = render_escpos(ticket_document(ticket), WriterOptions(MODELS["epson"]))
    assert data.startswith(b"\x1b@\x1bt\x11")
    assert "ТАЛОН НА ПРИЁМ".encode("cp866") in data
    assert "Иванова А. С.".encode("cp866") in data


@pytest.mark.parametrize(("model", "slot"), [("rongta", 7), ("custom-vkp80iii", 17), ("generic-58", 17)])
def test_code_page_number_comes_from_the_model(ticket: Ticket, model: str, slot: int) -> None:
    columns = MODELS[model].paper_dots // 12
    data = render_escpos(ticket_document(ticket, columns), WriterOptions(MODELS[model]))
    assert data.startswith(b"\x1b@\x1bt" + bytes([slot]))


def test_more_columns_than_font_a_has_selects_font_b_before_the_code_page(ticket: Ticket) -> None:
    data = render_escpos(ticket_document(ticket, 64), WriterOptions(MODELS["epson"]))
    assert data.startswith(b"\x1b@\x1bM\x01\x1bt\x11")
    lines = escpos_text(data)
    assert max(len(line) for line in lines) <= 64 and any(len(line) > 48 for line in lines)


def test_code_page_number_can_be_overridden(ticket: Ticket) -> None:
    data = render_escpos(ticket_document(ticket), WriterOptions(MODELS["epson"], cp866_slot=59))
    selects = [t.args for t in iter_tokens(data) if t.name == "ESC t"]
    assert selects == [bytes([59])]  # selected once, never switched away


def test_every_text_run_decodes_as_cp866(ticket: Ticket) -> None:
    data = render_escpos(ticket_document(ticket), WriterOptions(MODELS["epson"]))
    text = "".join(t.args.decode("cp866") for t in iter_tokens(data) if t.name == "TEXT")
    assert "Петров Пётр Петрович" in text and "Вторник" in text and "№" in text and "?" not in text


def test_characters_outside_cp866_never_print_as_question_marks() -> None:
    doc = Document((Text("«Ёлка» — 100 ₽… „x“ Ça ß 漢 😀"),))
    data = render_escpos(doc, WriterOptions(MODELS["epson"]))
    printed = "".join(t.args.decode("cp866") for t in iter_tokens(data) if t.name == "TEXT")
    assert printed == '"Ёлка" - 100 руб.... "x" Ca ss _ _'


def test_native_and_image_qr(ticket: Ticket) -> None:
    native = render_escpos(ticket_document(ticket), WriterOptions(MODELS["epson"], native_qr=True))
    image = render_escpos(ticket_document(ticket), WriterOptions(MODELS["epson"], native_qr=False))
    assert b"\x1d(k" in native and b"\x1dv0" not in native
    assert b"\x1d(k" not in image and b"\x1dv0" in image


def test_hardware_code128_has_code_set_prefix(ticket: Ticket) -> None:
    doc = ticket_document(ticket, barcode=True)
    data = render_escpos(doc, WriterOptions(MODELS["epson"], barcode=True))
    barcodes = [t.args for t in iter_tokens(data) if t.name == "GS k"]
    assert barcodes == [bytes([73, 2 + len(ticket.checkin_code)]) + b"{B" + ticket.checkin_code.encode()]


def test_presenter_command_replaces_the_cut(ticket: Ticket) -> None:
    present = b"\x1cP\x04\x01R\x1e"
    data = render_escpos(ticket_document(ticket), WriterOptions(MODELS["custom-vkp80iii"], present=present))
    assert data.endswith(present) and b"\x1dV" not in data


def test_hostile_doctor_name_adds_no_commands(ticket: Ticket) -> None:
    clean = render_escpos(ticket_document(ticket), WriterOptions(MODELS["epson"]))
    hostile_ticket = dataclasses.replace(ticket, doctor="Петров\x1bi\x1dV\x00\x10\x04\x01Пётр")
    hostile = render_escpos(ticket_document(hostile_ticket), WriterOptions(MODELS["epson"]))
    names = [t.name for t in iter_tokens(hostile) if t.name != "TEXT"]
    assert names == [t.name for t in iter_tokens(clean) if t.name != "TEXT"]


def test_too_wide_picture_barcode_is_left_out_not_fatal() -> None:
    doc = Document((Text("x"), Barcode("ABCDEFGHIJ" * 6), Cut()), columns=32)
    data = render_escpos(doc, WriterOptions(MODELS["generic-58"], barcode=True))
    assert [t.name for t in iter_tokens(data)][-2:] == ["ESC d", "GS V"] and b"\x1dv0" not in data


def test_image_qr_always_fits_the_paper() -> None:
    doc = Document((QR("9" * 20 + ";" + "A" * 32 + "x" * 300, size=8), Cut()), columns=32)
    data = render_escpos(doc, WriterOptions(MODELS["generic-58"]))
    images = [line for line in escpos_text(data, paper_dots=384) if line.startswith("[image")]
    assert len(images) == 1 and int(images[0].split()[1].split("x")[0]) <= 384
