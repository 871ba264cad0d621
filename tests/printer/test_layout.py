from __future__ import annotations

import dataclasses

import pytest

from devices.printer.document import QR, Cut, Text, document_text
from kiosk.tickets.layout import qr_payload, ticket_document, walkin_document
from kiosk.tickets.model import Ticket, WalkInTicket, checkin_code_for


@pytest.mark.parametrize("columns", [48, 32])
def test_every_line_fits_the_paper(ticket: Ticket, columns: int) -> None:
    doc = ticket_document(ticket, columns)
    for op in doc.ops:
        if isinstance(op, Text):
            assert len(op.text) * op.width <= columns, op


@pytest.mark.parametrize("columns", [48, 32])
def test_ticket_says_what_the_patient_needs(ticket: Ticket, columns: int) -> None:
    text = "\n".join(document_text(ticket_document(ticket, columns)))
    flat = " ".join(text.split())
    for expected in (
        "ТАЛОН НА ПРИЁМ",
        "Иванова А. С.",
        "Врач-терапевт участковый",
        "Петров Пётр Петрович",
        "Вторник, 24 ноября 2026 г.",
        "09:40",
        "Кабинет 215",
        "Филиал № 3",
        "г. Москва, ул. Ленина, д. 1, корп. 2",
        "Терминал demo-01",
        "24.11.2026 08:55",
        "Номер записи: 123456789",
    ):
        assert expected in flat, expected
    assert '"Городская поликлиника № 12' in flat  # « » mapped for CP866
    assert "не опаздывайте..." in flat


def test_qr_holds_only_the_appointment_id_and_checkin_code(ticket: Ticket) -> None:
    qrs = [op for op in ticket_document(ticket).ops if isinstance(op, QR)]
    assert [q.data for q in qrs] == [f"123456789;{ticket.checkin_code}"] == [qr_payload(ticket)]
    assert ticket.checkin_code == checkin_code_for(123456789)


def test_document_ends_with_a_cut(ticket: Ticket) -> None:
    assert isinstance(ticket_document(ticket).ops[-1], Cut)


def test_registry_text_cannot_smuggle_control_characters(ticket: Ticket) -> None:
    hostile = dataclasses.replace(ticket, doctor="Петров\x1b@\x1dV\x00\x10\x04\x01 П.\u2028П.")
    for op in ticket_document(hostile).ops:
        if isinstance(op, Text):
            assert all(ord(c) >= 0x20 and c != "\x7f" for c in op.text), op


def test_long_words_are_broken_at_the_column_count(ticket: Ticket) -> None:
    long = dataclasses.replace(ticket, doctor="Х" * 100)
    lines = [op.text for op in ticket_document(long, 32).ops if isinstance(op, Text)]
    assert max(len(line) for line in lines) <= 32
    assert sum(line.count("Х") for line in lines) == 100


@pytest.mark.parametrize("columns", [48, 32])
def test_walkin_ticket_has_a_very_large_queue_number(walkin: WalkInTicket, columns: int) -> None:
    doc = walkin_document(walkin, columns)
    number = [op for op in doc.ops if isinstance(op, Text) and op.text == "А-017"]
    assert number and number[0].width >= 3 and number[0].height >= 3
    text = " ".join(document_text(doc))
    assert "ТАЛОН В ОЧЕРЕДЬ" in text and "Справка для бассейна" in text and "demo-01" in text
    for op in doc.ops:
        if isinstance(op, Text):
            assert len(op.text) * op.width <= columns


def test_a_number_sign_stays_with_its_number() -> None:
    from kiosk.tickets.layout import _wrap

    lines = _wrap("ГБУЗ «Городская поликлиника № 176 ДЗМ» филиал № 2", 48)
    assert lines == ['ГБУЗ "Городская поликлиника № 176 ДЗМ" филиал', "№ 2"]
    assert all("\xa0" not in line for line in lines)  # the glue never reaches the printer
