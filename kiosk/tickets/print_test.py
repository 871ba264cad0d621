"""The technician's print test: every Russian letter in both cases, digits, signs, a QR code."""

from __future__ import annotations

from datetime import datetime

from devices.printer.document import QR, Barcode, Cut, Document, Op, Rule, Text

UPPER = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
LOWER = UPPER.lower()
DIGITS = "0123456789"
SIGNS = "№ % + - = / ( ) . , : ; ! ? \" '"
SAMPLE = "Ёлка, щётка, подъезд, объявление"
TEST_QR = "KIOSK-PRINT-TEST"


def _split(text: str, width: int) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)]


def print_test_document(columns: int, kiosk_id: str, now: datetime) -> Document:
    ops: list[Op] = [Text("ПРОВЕРКА ПЕЧАТИ", bold=True, width=2, height=2, align="center"), Rule()]
    for line in (UPPER, LOWER, DIGITS, SIGNS, SAMPLE):
        ops.extend(Text(part) for part in _split(line, columns))
    ops.extend(Text(part, bold=True, width=2, height=2) for part in _split("ЖЁЩЪ ЫЭЮЯ", columns // 2))
    ops += [Rule(), QR(TEST_QR, size=6), Barcode("1234567890"), Rule()]
    ops += [Text(f"{kiosk_id} {now:%d.%m.%Y %H:%M}"[:columns]), Cut()]
    return Document(tuple(ops), columns=columns)
