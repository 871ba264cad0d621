"""Card read benchmark: our reader vs an old-style reader, on the real PC/SC stack, in one run.

The virtual card carries a 10 KB photo. "Card inserted → identity known" is timed from
the moment pcscd reports the card present to the decoded owner + insurer. The
baseline reads like the old open-source readers: SELECT foms_root, then every object
header byte by byte and every value in full (photo and signature too) in 220-byte chunks.

    /work/venv/bin/python bench/card_read.py [--rounds 20] [--delay-ms 0]

Needs root if no pcscd is running (it starts a private one and stops it afterwards).
Prints ratios; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from smartcard import scard

from devices.card import policy_record as rec
from devices.card.pcsc import PcscCard, PcscContext, pick_reader
from devices.card.pcscd import ensure_pcscd
from devices.card.profile import load_profile
from devices.card.reader import FOMS_ID, FOMS_INS, FOMS_ROOT, PolicyReader, select_df, select_ef
from devices.card.tlv import encode, parse_header
from devices.card.virtual_card import VirtualCard
from kiosk.clock import SystemClock

PHOTO_BYTES = 10 * 1024
OLD_CHUNK = 220


class OldStyleReader:
    """Reads every object in full; tag and length bytes one APDU each (SAMSON-like)."""

    def __init__(self, card: PcscCard) -> None:
        self.card = card
        self.apdu_count = 0

    def _send(self, apdu: bytes) -> bytes:
        self.apdu_count += 1
        data, sw = self.card.transmit(apdu)
        if sw not in (0x9000, 0x6282):
            raise RuntimeError(f"status {sw:04X}")
        return data

    def _read(self, offset: int, length: int) -> bytes:
        return self._send(bytes([0x00, 0xB0, offset >> 8, offset & 0xFF, length & 0xFF]))

    def _header_byte_by_byte(self, offset: int) -> tuple[int, int, int]:
        raw = b""
        while True:
            raw += self._read(offset + len(raw), 1)
            try:
                header = parse_header(raw)
                return header.tag, header.length, header.header_size
            except rec.CardDataError:
                continue

    def _object(self, offset: int) -> tuple[bytes, int]:
        tag, length, header_size = self._header_byte_by_byte(offset)
        value = b""
        while len(value) < length:
            value += self._read(offset + header_size + len(value), min(OLD_CHUNK, length - len(value)))
        return encode(tag, value), offset + header_size + length

    def _record(self) -> bytes:
        tag, length, header_size = self._header_byte_by_byte(0)
        offset, children = header_size, b""
        while offset < header_size + length:
            child, offset = self._object(offset)
            children += child
        return encode(tag, children)

    def read(self) -> tuple[rec.Owner, rec.Insurer]:
        self._send(select_df(FOMS_ROOT))
        self._send(select_df(FOMS_ID))
        self._send(select_ef(0x0201))
        owner = rec.decode_owner(self._record())
        self._send(select_df(FOMS_INS))
        fid = self._send(bytes.fromhex("00CA01B002"))
        self._send(select_ef(int.from_bytes(fid, "big")))
        return owner, rec.decode_insurer(self._record())


def wait_present(context: PcscContext, reader: str) -> None:
    state = context.status_change(reader, scard.SCARD_STATE_UNAWARE, 0)
    while not state & scard.SCARD_STATE_PRESENT:
        state = context.status_change(reader, state & ~scard.SCARD_STATE_CHANGED, 0.05)


def measure(name: str, read: Callable[[PcscCard], int], rounds: int, delay_ms: int) -> tuple[float, int]:
    profile = load_profile("demo").with_faults(delay_ms=delay_ms)
    profile = dataclasses.replace(profile, photo_bytes=PHOTO_BYTES)
    context = PcscContext()
    reader = pick_reader(context.readers(), "PCD 00 00") or ""
    times, apdus = [], 0
    for _ in range(rounds):
        with VirtualCard(profile):
            wait_present(context, reader)
            started = time.perf_counter()
            card = context.connect(reader)
            apdus = read(card)
            times.append(time.perf_counter() - started)
            card.disconnect()
    context.release()
    median = statistics.median(times)
    print(f"{name:<28} {apdus:>5} APDUs  {median * 1000:8.2f} ms (median of {rounds})")
    return median, apdus


def ours(card: PcscCard) -> int:
    reader = PolicyReader(card, card.atr(), today=SystemClock().today)
    reader.read()
    return reader.apdu_count


def old_style(card: PcscCard) -> int:
    reader = OldStyleReader(card)
    reader.read()
    return reader.apdu_count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--delay-ms", type=int, default=0, help="per-APDU card latency to emulate a real chip")
    args = parser.parse_args()
    pcscd = ensure_pcscd()
    try:
        print(f"virtual card with a {PHOTO_BYTES // 1024} KB photo, {args.delay_ms} ms per APDU")
        our_time, our_apdus = measure("ours (skip photo)", ours, args.rounds, args.delay_ms)
        old_time, old_apdus = measure("baseline (byte-wise headers)", old_style, args.rounds, args.delay_ms)
        print(f"ratio baseline/ours: APDUs {old_apdus / our_apdus:.1f}x, time {old_time / our_time:.1f}x")
    finally:
        if pcscd is not None:
            pcscd.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
