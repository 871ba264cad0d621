"""Split an ESC/POS byte stream into commands and text runs.

Covers the subset the kiosk emits plus the usual neighbours, so the preview,
the emulator and the tests read the very bytes a printer gets. Unknown
commands become ``UNKNOWN`` tokens instead of errors.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

ESC, GS, FS, DLE, LF, CR, NUL = 0x1B, 0x1D, 0x1C, 0x10, 0x0A, 0x0D, 0x00

# ESC x with a fixed number of argument bytes
_ESC_FIXED: dict[int, int] = {
    ord("@"): 0,
    ord("t"): 1,
    ord("!"): 1,
    ord("E"): 1,
    ord("-"): 1,
    ord("M"): 1,
    ord("a"): 1,
    ord("d"): 1,
    ord("2"): 0,
    ord("3"): 1,
    ord("J"): 1,
    ord("G"): 1,
    ord("{"): 1,
    ord("V"): 1,
    ord("R"): 1,
    ord("U"): 1,
    ord("B"): 2,
    ord("p"): 3,
    ord("i"): 0,
    ord("m"): 0,
    ord("c"): 2,
    ord("C"): 1,
    ord("F"): 1,
    ord("e"): 1,
    ord("r"): 1,
    ord("v"): 0,
    ord("="): 1,
    ord(" "): 1,
}
# GS x with a fixed number of argument bytes
_GS_FIXED: dict[int, int] = {
    ord("!"): 1,
    ord("B"): 1,
    ord("b"): 1,
    ord("h"): 1,
    ord("w"): 1,
    ord("H"): 1,
    ord("f"): 1,
    ord("L"): 2,
    ord("W"): 2,
    ord("a"): 1,
    ord("|"): 1,
    ord("r"): 1,
    ord("I"): 1,
    0xE0: 1,
    0xE1: 0,
    0xE2: 0,
    0xE4: 0,
    0xE5: 0,
    0xE6: 1,
}


@dataclass(frozen=True)
class Token:
    """``name`` is e.g. ``"TEXT"``, ``"LF"``, ``"ESC t"``, ``"GS ( k"``; ``args`` the bytes after the name."""

    name: str
    raw: bytes
    args: bytes = b""


def _need(data: bytes, end: int) -> bool:
    return end <= len(data)


def _esc(data: bytes, pos: int) -> Token | None:
    if pos + 1 >= len(data):
        return None
    cmd = data[pos + 1]
    name = "ESC " + chr(cmd)
    if cmd == ord("*"):
        if pos + 5 > len(data):
            return None
        mode, count = data[pos + 2], data[pos + 3] | data[pos + 4] << 8
        end = pos + 5 + count * (3 if mode in (32, 33) else 1)
        return Token(name, data[pos:end], data[pos + 2 : end]) if _need(data, end) else None
    if cmd in _ESC_FIXED:
        end = pos + 2 + _ESC_FIXED[cmd]
        return Token(name, data[pos:end], data[pos + 2 : end]) if _need(data, end) else None
    return Token("UNKNOWN", data[pos : pos + 2], data[pos + 1 : pos + 2])


def _gs(data: bytes, pos: int) -> Token | None:
    if pos + 1 >= len(data):
        return None
    cmd = data[pos + 1]
    if cmd == ord("(") or cmd == 0x38:  # GS ( x pL pH ... / GS 8 L p1..p4 ...
        if cmd == ord("("):
            if pos + 5 > len(data):
                return None
            size = data[pos + 3] | data[pos + 4] << 8
            end = pos + 5 + size
            name = "GS ( " + chr(data[pos + 2])
        else:
            if pos + 7 > len(data):
                return None
            size = int.from_bytes(data[pos + 3 : pos + 7], "little")
            end = pos + 7 + size
            name = "GS 8 " + chr(data[pos + 2])
        return Token(name, data[pos:end], data[pos + 2 : end]) if _need(data, end) else None
    if cmd == ord("v"):
        if pos + 8 > len(data):
            return None
        width, height = data[pos + 4] | data[pos + 5] << 8, data[pos + 6] | data[pos + 7] << 8
        end = pos + 8 + width * height
        return Token("GS v 0", data[pos:end], data[pos + 3 : end]) if _need(data, end) else None
    if cmd == ord("k"):
        if pos + 3 > len(data):
            return None
        kind = data[pos + 2]
        if kind <= 6:
            nul = data.find(b"\x00", pos + 3)
            return Token("GS k", data[pos : nul + 1], data[pos + 2 : nul]) if nul >= 0 else None
        if pos + 4 > len(data):
            return None
        end = pos + 4 + data[pos + 3]
        return Token("GS k", data[pos:end], data[pos + 2 : end]) if _need(data, end) else None
    if cmd == ord("V"):
        if pos + 3 > len(data):
            return None
        end = pos + (4 if data[pos + 2] in (65, 66, 97, 98, 103, 104) else 3)
        return Token("GS V", data[pos:end], data[pos + 2 : end]) if _need(data, end) else None
    if cmd == ord("R"):  # Citizen presenter: GS R 0 collect, GS R 1 n timer
        if pos + 3 > len(data):
            return None
        end = pos + (4 if data[pos + 2] == 1 else 3)
        return Token("GS R", data[pos:end], data[pos + 2 : end]) if _need(data, end) else None
    if cmd == ord("e"):  # Custom ejector: GS e n [m]
        if pos + 3 > len(data):
            return None
        end = pos + (4 if data[pos + 2] == 3 else 3)
        return Token("GS e", data[pos:end], data[pos + 2 : end]) if _need(data, end) else None
    if cmd in _GS_FIXED:
        end = pos + 2 + _GS_FIXED[cmd]
        name = "GS " + (chr(cmd) if cmd < 0x80 else f"0x{cmd:02X}")
        return Token(name, data[pos:end], data[pos + 2 : end]) if _need(data, end) else None
    return Token("UNKNOWN", data[pos : pos + 2], data[pos + 1 : pos + 2])


def _fs(data: bytes, pos: int) -> Token | None:
    if pos + 1 >= len(data):
        return None
    if data[pos + 1] == ord("P"):  # Custom present: FS P n1 n2 c n3
        end = pos + 6
        return Token("FS P", data[pos:end], data[pos + 2 : end]) if _need(data, end) else None
    return Token("UNKNOWN", data[pos : pos + 2], data[pos + 1 : pos + 2])


def _dle(data: bytes, pos: int) -> Token | None:
    if pos + 2 >= len(data):
        return None
    if data[pos + 1] == 0x04:
        return Token("DLE EOT", data[pos : pos + 3], data[pos + 2 : pos + 3])
    if data[pos + 1] == 0x05:
        return Token("DLE ENQ", data[pos : pos + 3], data[pos + 2 : pos + 3])
    return Token("UNKNOWN", data[pos : pos + 2], data[pos + 1 : pos + 2])


def next_token(data: bytes, pos: int) -> Token | None:
    """The token starting at ``pos``, or None if ``data`` ends inside it."""
    byte = data[pos]
    if byte == ESC:
        return _esc(data, pos)
    if byte == GS:
        return _gs(data, pos)
    if byte == FS:
        return _fs(data, pos)
    if byte == DLE:
        return _dle(data, pos)
    if byte == LF:
        return Token("LF", data[pos : pos + 1])
    if byte == CR:
        return Token("CR", data[pos : pos + 1])
    if byte < 0x20 or byte == 0x7F:
        return Token("CONTROL", data[pos : pos + 1])
    end = pos
    while end < len(data) and data[end] >= 0x20 and data[end] != 0x7F:
        end += 1
    return Token("TEXT", data[pos:end], data[pos:end])


def tokenize(data: bytes) -> tuple[list[Token], int]:
    """All complete tokens and how many bytes they cover (the rest is an unfinished command)."""
    tokens: list[Token] = []
    pos = 0
    while pos < len(data):
        token = next_token(data, pos)
        if token is None:
            break
        tokens.append(token)
        pos += len(token.raw)
    return tokens, pos


def iter_tokens(data: bytes) -> Iterator[Token]:
    """Every token, as it is read (a caller may stop early); an unfinished command at the end comes out
    as ``UNKNOWN``."""
    pos = 0
    while pos < len(data):
        token = next_token(data, pos)
        if token is None:
            yield Token("UNKNOWN", data[pos:], data[pos:])
            return
        yield token
        pos += len(token.raw)
