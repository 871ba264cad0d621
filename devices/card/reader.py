"""Read the owner and the current insurer from an OMS policy card in few APDUs.

The card is recognised by selecting its application, never by its exact ATR.
Records are BER-TLV files read with READ BINARY in chunks of up to 256 bytes
(15-bit offsets, short answers and ``6Cxx`` handled); the reader follows the
object headers and jumps over the photo (7F40) and the signature block (7F60)
without reading them. The demo card is read with 7 APDUs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Protocol

from devices.card import policy_record as rec
from devices.card.errors import CardReadError
from devices.card.tlv import CardDataError, TlvHeader, encode, parse_header

FOMS_ROOT, FOMS_ID, FOMS_INS = b"foms_root", b"FOMS_ID", b"FOMS_INS"
OWNER_FILE = 0x0201
SW_OK, SW_END_OF_FILE = 0x9000, 0x6282
CHUNK = 256
MAX_RECORD = 0x7FFF  # READ BINARY offsets are 15 bits


class Transport(Protocol):
    """Sends one APDU and returns the response data and the status word."""

    def transmit(self, apdu: bytes) -> tuple[bytes, int]: ...


def select_df(name: bytes) -> bytes:
    return bytes([0x00, 0xA4, 0x04, 0x0C, len(name)]) + name


def select_ef(fid: int) -> bytes:
    return bytes([0x00, 0xA4, 0x02, 0x0C, 0x02]) + fid.to_bytes(2, "big")


def read_binary(offset: int, length: int) -> bytes:
    return bytes([0x00, 0xB0, offset >> 8, offset & 0xFF, length & 0xFF])  # Le 00 = 256


GET_CURRENT_INSURER = bytes.fromhex("00CA01B002")


class CardSession:
    """Counts APDUs and deals with ``61xx`` (more data) and ``6Cxx`` (wrong Le)."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        self.apdu_count = 0

    def send(self, apdu: bytes) -> tuple[bytes, int]:
        self.apdu_count += 1
        data, sw = self.transport.transmit(apdu)
        if sw >> 8 == 0x6C and len(apdu) == 5:
            self.apdu_count += 1
            data, sw = self.transport.transmit(apdu[:4] + bytes([sw & 0xFF]))
        while sw >> 8 == 0x61:
            self.apdu_count += 1
            more, sw = self.transport.transmit(bytes([0x00, 0xC0, 0x00, 0x00, sw & 0xFF]))
            data += more
        return data, sw

    def expect_ok(self, apdu: bytes, what: str) -> bytes:
        data, sw = self.send(apdu)
        if sw != SW_OK:
            raise CardReadError("bad_status", f"{what} answered {sw:04X}")
        return data


class RecordReader:
    """Reads one BER-TLV record from the selected EF, skipping objects nobody needs."""

    def __init__(self, session: CardSession) -> None:
        self.session = session
        self.base = 0
        self.buffer = bytearray()
        self.end_of_file: int | None = None

    def _fetch(self, offset: int, size: int, limit: int) -> bytes:
        """File bytes [offset, offset+size), reading chunks of up to 256 bytes (never beyond ``limit``)."""
        if not self.base <= offset <= self.base + len(self.buffer):
            self.base, self.buffer = offset, bytearray()  # a jump over a skipped object
        while self.base + len(self.buffer) < offset + size:
            position = self.base + len(self.buffer)
            if (self.end_of_file is not None and position >= self.end_of_file) or position > MAX_RECORD:
                raise CardReadError("malformed", "record longer than the file")
            wanted = max(1, min(CHUNK, limit - position))
            data, sw = self.session.send(read_binary(position, wanted))
            if sw == SW_END_OF_FILE or sw == 0x6B00:
                self.end_of_file = position + len(data)
            elif sw != SW_OK:
                raise CardReadError("bad_status", f"READ BINARY answered {sw:04X}")
            if not data and self.end_of_file is None:
                raise CardReadError("malformed", "READ BINARY returned no data")
            self.buffer += data[:wanted]
        start = offset - self.base
        return bytes(self.buffer[start:start + size])

    def _header(self, offset: int, limit: int) -> TlvHeader:
        size = 2
        while True:
            if offset + size > limit:
                raise CardReadError("malformed", f"object header at {offset} runs past its record")
            available = self._fetch(offset, size, limit)
            start = offset - self.base
            available = bytes(self.buffer[start:]) or available
            try:
                return parse_header(available)
            except CardDataError as exc:
                if exc.reason != "truncated" or size >= 10:
                    raise CardReadError("malformed", str(exc)) from exc
                size = len(available) + 1

    def read(self, tag: int, skip: frozenset[int] = rec.SKIPPED_TAGS) -> bytes:
        """The record with ``tag``, re-encoded without the skipped children."""
        outer = self._header(0, CHUNK)
        if outer.tag != tag:
            raise CardReadError("malformed", f"record tag {outer.tag:X}, expected {tag:X}")
        end = outer.total_size
        if end > MAX_RECORD + 1:
            raise CardReadError("malformed", f"record claims {end} bytes, more than READ BINARY can address")
        position = outer.header_size
        parts = []
        while position < end:
            child = self._header(position, end)
            if position + child.total_size > end:
                raise CardReadError("malformed", f"tag {child.tag:X} runs past its record")
            if child.tag not in skip:
                parts.append(self._fetch(position, child.total_size, end))
            position += child.total_size
        return encode(tag, b"".join(parts))


class PolicyReader:
    """Owner + current insurer from a card, as a :class:`PolicyCard` (or :class:`CardReadError`)."""

    def __init__(self, transport: Transport, atr: bytes = b"", *, reject_expired: bool = True,
                 today: Callable[[], date]) -> None:
        self.session = CardSession(transport)
        self.atr = atr
        self.reject_expired = reject_expired
        self.today = today

    @property
    def apdu_count(self) -> int:
        return self.session.apdu_count

    def _select_owner_application(self) -> None:
        _, sw = self.session.send(select_df(FOMS_ID))
        if sw == SW_OK:
            return
        if sw >> 8 in (0x6A, 0x6D, 0x6E, 0x69):  # not found here: some cards want foms_root first
            _, root_sw = self.session.send(select_df(FOMS_ROOT))
            if root_sw == SW_OK:
                _, sw = self.session.send(select_df(FOMS_ID))
                if sw == SW_OK:
                    return
            if sw >> 8 in (0x6A, 0x6D, 0x6E, 0x69):
                card_type = rec.card_type_from_atr(self.atr)
                if card_type in (rec.CardType.UEC, rec.CardType.EKP):
                    raise CardReadError("unsupported", f"{card_type.value}: its OMS data is not public")
                raise CardReadError("not_oms", f"SELECT FOMS_ID answered {sw:04X}")
        raise CardReadError("bad_status", f"SELECT FOMS_ID answered {sw:04X}")

    def read_owner(self) -> rec.Owner:
        self._select_owner_application()
        self.session.expect_ok(select_ef(OWNER_FILE), "SELECT EF 0201")
        return _decode(rec.decode_owner, RecordReader(self.session).read(rec.OWNER_TAG))

    def read_insurer(self) -> rec.Insurer:
        self.session.expect_ok(select_df(FOMS_INS), "SELECT FOMS_INS")
        fid = self.session.expect_ok(GET_CURRENT_INSURER, "GET DATA 01B0")
        if len(fid) != 2:
            raise CardReadError("malformed", f"GET DATA 01B0 returned {len(fid)} bytes")
        self.session.expect_ok(select_ef(int.from_bytes(fid, "big")), "SELECT insurer EF")
        return _decode(rec.decode_insurer, RecordReader(self.session).read(rec.INSURER_TAG))

    def read(self) -> rec.PolicyCard:
        owner = self.read_owner()
        insurer = self.read_insurer()
        card = rec.PolicyCard(owner, insurer, rec.card_type_from_atr(self.atr), self.atr)
        if self.reject_expired and card.is_expired(self.today()):
            raise CardReadError("expired", f"policy expired on {owner.expiry}", card)
        return card


def _decode(decoder: Callable[[bytes], rec.DecodedT], data: bytes) -> rec.DecodedT:
    try:
        return decoder(data)
    except CardDataError as exc:
        raise CardReadError(exc.reason if exc.reason == "check_digit" else "malformed", str(exc)) from exc
