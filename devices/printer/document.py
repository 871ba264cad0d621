"""A device-neutral printed document: a flat tuple of operations.

The application lays a ticket out as these operations; the ESC/POS writer turns
them into bytes for a real printer and the preview renders those bytes. Text
operations are single lines that already fit the paper: wrapping is the
layout's job, because only it knows which words belong together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class Text:
    """One printed line. ``width``/``height`` are character multipliers (1..8)."""

    text: str
    bold: bool = False
    width: int = 1
    height: int = 1
    align: Align = "left"

    def __post_init__(self) -> None:
        if not (1 <= self.width <= 8 and 1 <= self.height <= 8):
            raise ValueError("text size multipliers must be 1..8")


@dataclass(frozen=True)
class Feed:
    """Blank lines."""

    lines: int = 1


@dataclass(frozen=True)
class Rule:
    """A full-width line made of ``char``."""

    char: str = "-"


@dataclass(frozen=True)
class QR:
    """A QR code (ASCII payload), centred. ``size`` is the module size in dots."""

    data: str
    size: int = 6


@dataclass(frozen=True)
class Barcode:
    """A CODE128 barcode with its human-readable text below, centred."""

    data: str


@dataclass(frozen=True)
class Cut:
    """End of the ticket: feed, then cut (or present on a presenter printer)."""


Op = Text | Feed | Rule | QR | Barcode | Cut


@dataclass(frozen=True)
class Document:
    """What to print, laid out for ``columns`` characters of font A per line."""

    ops: tuple[Op, ...]
    columns: int = 48


def document_text(doc: Document, normalise: Callable[[str], str] = str) -> list[str]:
    """Plain text of a document, one entry per printed line (stripped), for tests and logs.

    QR codes and barcodes appear as ``[qr DATA]`` and ``[barcode CODE128 DATA]``, the cut as ``[cut]``;
    the same markers :func:`devices.printer.preview.escpos_text` produces from bytes.
    """
    lines: list[str] = []
    for op in doc.ops:
        if isinstance(op, Text):
            lines.append(normalise(op.text).strip())
        elif isinstance(op, Feed):
            lines.extend([""] * op.lines)
        elif isinstance(op, Rule):
            lines.append(normalise(op.char)[:1] * doc.columns)
        elif isinstance(op, QR):
            lines.append(f"[qr {op.data}]")
        elif isinstance(op, Barcode):
            lines.append(f"[barcode CODE128 {op.data}]")
        elif isinstance(op, Cut):
            lines.append("[cut]")
    return lines
