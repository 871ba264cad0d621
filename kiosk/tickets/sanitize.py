"""Clean registry-sourced text before it reaches a ticket.

A doctor's name comes from the registry; it must not be able to carry printer
commands (ESC, GS, DLE…), break lines or hide text. Every control, format and
separator character becomes a plain space, runs of spaces collapse, and the
result is trimmed and length-limited.
"""

from __future__ import annotations

import unicodedata

MAX_FIELD_LENGTH = 300


def clean_text(value: object, *, limit: int = MAX_FIELD_LENGTH) -> str:
    """One line of printable text (no control characters) from whatever the registry sent."""
    text = unicodedata.normalize("NFC", "" if value is None else str(value))
    chars = []
    for char in text:
        category = unicodedata.category(char)
        if category[0] in "CZ":  # Cc Cf Cs Co Cn, Zs Zl Zp
            chars.append(" ")
        else:
            chars.append(char)
    return " ".join("".join(chars).split())[:limit].strip()


def clean_code(value: object, *, limit: int = 32) -> str:
    """An identifier for a QR code or barcode: ASCII letters, digits and ``-`` only."""
    text = "" if value is None else str(value)
    return "".join(c for c in text if c.isascii() and (c.isalnum() or c == "-"))[:limit]
