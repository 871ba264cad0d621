"""BER-TLV as used on the OMS policy chip (ISO/IEC 7816-4 / X.690 subset).

Tags are returned as integers of their full encoding (``0x62``, ``0x5F21``,
``0x7F40``). Lengths use the short form or the long form ``81``..``84``; the
indefinite form is not used on the card and is rejected. Anything malformed or
truncated raises :class:`CardDataError`, never another exception.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

MAX_TAG_BYTES = 4
MAX_LENGTH_BYTES = 4
MAX_DEPTH = 16


class CardDataError(ValueError):
    """The bytes read from the card are not the record they should be."""

    def __init__(self, message: str, reason: str = "malformed") -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class TlvHeader:
    tag: int
    constructed: bool
    length: int
    header_size: int

    @property
    def total_size(self) -> int:
        return self.header_size + self.length


@dataclass(frozen=True)
class Tlv:
    tag: int
    constructed: bool
    value: bytes = b""

    def children(self) -> tuple[Tlv, ...]:
        """The nested objects of a constructed object."""
        if not self.constructed:
            raise CardDataError(f"tag {self.tag:X} is primitive, it has no children")
        return parse_all(self.value)

    def __repr__(self) -> str:  # values may be personal data: show only tag and size
        return f"Tlv({self.tag:X}, {len(self.value)} bytes)"


def parse_header(data: bytes, offset: int = 0) -> TlvHeader:
    """Decode the tag and length starting at ``offset`` (the value itself need not be present)."""
    if offset >= len(data):
        raise CardDataError("no TLV header: data ends", "truncated")
    position = offset
    first = data[position]
    if first in (0x00, 0xFF):
        raise CardDataError(f"padding byte {first:02X} where a tag should be")
    constructed = bool(first & 0x20)
    tag = first
    position += 1
    if first & 0x1F == 0x1F:
        while True:
            if position >= len(data):
                raise CardDataError("tag truncated", "truncated")
            byte = data[position]
            tag = (tag << 8) | byte
            position += 1
            if position - offset > MAX_TAG_BYTES:
                raise CardDataError("tag longer than 4 bytes")
            if not byte & 0x80:
                break
    if position >= len(data):
        raise CardDataError("length missing", "truncated")
    first_length = data[position]
    position += 1
    if first_length < 0x80:
        length = first_length
    elif first_length == 0x80:
        raise CardDataError("indefinite length is not allowed")
    else:
        count = first_length & 0x7F
        if count > MAX_LENGTH_BYTES:
            raise CardDataError("length field longer than 4 bytes")
        if position + count > len(data):
            raise CardDataError("length truncated", "truncated")
        length = int.from_bytes(data[position:position + count], "big")
        position += count
    return TlvHeader(tag=tag, constructed=constructed, length=length, header_size=position - offset)


def parse_one(data: bytes, offset: int = 0) -> tuple[Tlv, int]:
    """Decode one object at ``offset``; return it and the offset just after it."""
    header = parse_header(data, offset)
    start = offset + header.header_size
    end = start + header.length
    if end > len(data):
        raise CardDataError(f"tag {header.tag:X} needs {header.length} bytes, only {len(data) - start} left",
                            "truncated")
    return Tlv(header.tag, header.constructed, bytes(data[start:end])), end


def iter_tlv(data: bytes) -> Iterator[Tlv]:
    """Objects laid one after another; trailing ``00``/``FF`` padding is ignored."""
    offset = 0
    while offset < len(data):
        if all(byte in (0x00, 0xFF) for byte in data[offset:]):
            return
        tlv, offset = parse_one(data, offset)
        yield tlv


def parse_all(data: bytes) -> tuple[Tlv, ...]:
    return tuple(iter_tlv(data))


def find(objects: tuple[Tlv, ...], tag: int) -> Tlv | None:
    """The first object with ``tag`` (the card never repeats a tag within one record)."""
    for tlv in objects:
        if tlv.tag == tag:
            return tlv
    return None


def check_nesting(data: bytes, depth: int = 0) -> None:
    """Walk every constructed object to make sure the whole tree decodes."""
    if depth > MAX_DEPTH:
        raise CardDataError("objects nested too deep")
    for tlv in iter_tlv(data):
        if tlv.constructed:
            check_nesting(tlv.value, depth + 1)


def encode(tag: int, value: bytes) -> bytes:
    """BER encoding of one object (used by the virtual card and tests)."""
    tag_bytes = tag.to_bytes(max(1, (tag.bit_length() + 7) // 8), "big")
    length = len(value)
    if length < 0x80:
        length_bytes = bytes([length])
    else:
        size = (length.bit_length() + 7) // 8
        length_bytes = bytes([0x80 | size]) + length.to_bytes(size, "big")
    return tag_bytes + length_bytes + value
