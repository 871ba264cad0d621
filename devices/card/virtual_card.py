"""A virtual OMS policy card that plugs into the real PC/SC stack through vsmartcard's vpcd.

vpcd (the pcscd driver) listens on 127.0.0.1:35963; the card connects to it as a
TCP client, which is "inserting" it, and closes the connection to "remove" it.
Each message is a 2-byte big-endian length and a payload: one-byte payloads are
control messages (0 power off, 1 power on, 2 reset, 4 ATR request), anything else
is an APDU answered with response data + SW1 SW2.

The card answers like the Goznak e-policy (shared/ref/oms-card.md §1.2): SELECT by
DF name (foms_root, FOMS_ID, FOMS_INS) and by file id, READ BINARY with 15-bit
offsets, GET DATA 01B0 for the current insurer record. Faults come from the
profile (see devices/card/profile.py). Usable from tests and from the running kiosk:

    card = VirtualCard(load_profile("demo")); card.insert(); ...; card.remove()
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import socket
import struct
import threading
import time
from pathlib import Path

from devices.card.profile import CardProfile, ProfileError, insurer_record, load_profile, owner_record

log = logging.getLogger(__name__)

VPCD_HOST = "127.0.0.1"
VPCD_PORT = 35963
POWER_OFF, POWER_ON, RESET, GET_ATR = 0, 1, 2, 4

SW_OK = b"\x90\x00"
SW_END_OF_FILE = b"\x62\x82"
SW_WRONG_LENGTH = b"\x67\x00"
SW_NO_EF = b"\x69\x86"
SW_NOT_FOUND = b"\x6a\x82"
SW_BAD_P1P2 = b"\x6b\x00"
SW_NO_DATA = b"\x6a\x88"
SW_BAD_INS = b"\x6d\x00"
SW_BAD_CLA = b"\x6e\x00"

#: pcscd polls vpcd every 400 ms: a card pulled and pushed back faster would go unnoticed (as a real swap)
REINSERT_DELAY = 0.6
_last_removal: dict[int, float] = {}

DF_ROOT, DF_ID, DF_INS = "foms_root", "FOMS_ID", "FOMS_INS"
OWNER_FID = 0x0201


class VirtualCardError(RuntimeError):
    """The virtual card cannot reach vpcd (pcscd with the vpcd driver is not running)."""


class CardApplet:
    """The card's file system and command interpreter, without any I/O."""

    def __init__(self, profile: CardProfile) -> None:
        self.profile = profile
        self.faults = profile.faults
        self.insurer_fid = int(profile.insurer_fid, 16)
        self.files: dict[tuple[str, int], bytes] = {}
        if profile.oms:
            self.files[(DF_ID, OWNER_FID)] = owner_record(profile)
            self.files[(DF_INS, self.insurer_fid)] = insurer_record(profile)
        self.reset()

    def reset(self) -> None:
        self.current_df: str | None = None
        self.current_ef: bytes | None = None

    def answer(self, apdu: bytes) -> bytes:
        if len(apdu) < 4:
            return SW_WRONG_LENGTH
        cla, ins, p1, p2 = apdu[:4]
        if cla != 0x00:
            return SW_BAD_CLA
        command = {0xA4: "select", 0xB0: "read_binary", 0xCA: "get_data"}.get(ins)
        if command is None:
            return SW_BAD_INS
        if self.faults.status_word and self.faults.status_on == command:
            return bytes.fromhex(self.faults.status_word)
        body, le = _split_case(apdu[4:])
        if command == "select":
            return self._select(p1, body)
        if command == "read_binary":
            return self._read_binary(p1, p2, le)
        return self._get_data(p1, p2, le)

    def _select(self, p1: int, data: bytes) -> bytes:
        if p1 == 0x04:
            name = data.decode("ascii", "replace")
            if not self.profile.oms:
                return SW_NOT_FOUND
            if name == DF_ROOT:
                self.current_df, self.current_ef = DF_ROOT, None
                return SW_OK
            # partial-name match, as real cards do for readers that send FOMS_IN with Lc=07
            for df in (DF_ID, DF_INS):
                if name and df.startswith(name) and len(name) >= 7:
                    if self.faults.require_root_select and self.current_df is None:
                        return SW_NOT_FOUND
                    self.current_df, self.current_ef = df, None
                    return SW_OK
            return SW_NOT_FOUND
        if p1 in (0x00, 0x02) and len(data) == 2:
            content = self.files.get((self.current_df or "", int.from_bytes(data, "big")))
            if content is None:
                return SW_NOT_FOUND
            self.current_ef = content
            return SW_OK
        return SW_NOT_FOUND

    def _read_binary(self, p1: int, p2: int, le: int | None) -> bytes:
        if self.current_ef is None:
            return SW_NO_EF
        if p1 & 0x80:
            return SW_BAD_P1P2  # short EF identifiers are not supported
        offset = (p1 << 8) | p2
        content = self.current_ef
        if offset >= len(content):
            return SW_BAD_P1P2
        wanted = le or 256
        if self.faults.strict_le and offset + wanted > len(content):
            return bytes([0x6C, min(255, len(content) - offset)])
        chunk = content[offset:offset + min(wanted, self.faults.max_response)]
        if len(chunk) < wanted and offset + len(chunk) >= len(content):
            return chunk + SW_END_OF_FILE
        return chunk + SW_OK

    def _get_data(self, p1: int, p2: int, le: int | None) -> bytes:
        if self.current_df != DF_INS or (p1, p2) != (0x01, 0xB0):
            return SW_NO_DATA
        if le not in (None, 0, 2):
            return b"\x6c\x02"
        return self.insurer_fid.to_bytes(2, "big") + SW_OK


def _split_case(rest: bytes) -> tuple[bytes, int | None]:
    """Command data and Le of a short APDU body (cases 1-4)."""
    if not rest:
        return b"", None
    if len(rest) == 1:
        return b"", rest[0]
    lc = rest[0]
    data = rest[1:1 + lc]
    le = rest[1 + lc] if len(rest) > 1 + lc else None
    return data, le


class VirtualCard:
    """A card you can insert into and remove from vpcd's virtual reader."""

    def __init__(self, profile: CardProfile | str = "demo", host: str = VPCD_HOST,
                 port: int = VPCD_PORT) -> None:
        self.profile = load_profile(profile) if isinstance(profile, str) else profile
        self.host, self.port = host, port
        self.apdu_count = 0
        self.commands: list[bytes] = []
        self._lock = threading.Lock()
        self._socket: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._seen = threading.Event()
        self._gone = threading.Event()
        self._gone.set()

    @property
    def inserted(self) -> bool:
        return not self._gone.is_set()

    def insert(self, timeout: float = 5.0) -> None:
        """Connect to vpcd and wait until pcscd has powered the card up."""
        if self.inserted:
            return
        self.apdu_count = 0
        self.commands = []
        pause = _last_removal.get(self.port, 0.0) + REINSERT_DELAY - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        deadline = time.monotonic() + timeout
        while True:
            try:
                sock = socket.create_connection((self.host, self.port), timeout=1.0)
                break
            except OSError as exc:
                if time.monotonic() >= deadline:
                    where = f"{self.host}:{self.port}"
                    raise VirtualCardError(f"vpcd is not listening on {where}: {exc}") from exc
                time.sleep(0.1)
        sock.settimeout(None)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._socket = sock
        self._seen.clear()
        self._gone.clear()
        self._thread = threading.Thread(target=self._serve, args=(sock, CardApplet(self.profile)),
                                        name="virtual-card", daemon=True)
        self._thread.start()
        if not self._seen.wait(max(0.1, deadline - time.monotonic())):
            self.remove()
            raise VirtualCardError("vpcd accepted no card (is another virtual card inserted?)")
        log.info("virtual card %r inserted", self.profile.name)

    def remove(self) -> None:
        """Pull the card out (also in the middle of a read)."""
        with self._lock:
            sock, self._socket = self._socket, None
        if sock is not None:
            _close(sock)
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        self._gone.set()

    def wait_removed(self, timeout: float | None = None) -> bool:
        return self._gone.wait(timeout)

    def __enter__(self) -> VirtualCard:
        self.insert()
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()

    def _serve(self, sock: socket.socket, applet: CardApplet) -> None:
        faults = self.profile.faults
        powering = False
        try:
            while True:
                message = _receive(sock)
                if message is None:
                    return
                if len(message) == 1:
                    if message[0] == GET_ATR:
                        _send(sock, self.profile.atr_bytes)
                        if powering:
                            self._seen.set()  # pcscd has powered the card up: it knows it is there
                        powering = False
                    elif message[0] in (POWER_ON, RESET, POWER_OFF):
                        powering = message[0] != POWER_OFF
                        applet.reset()
                    continue
                if faults.mute:
                    continue  # never answers: the reader has to give up on its own
                if faults.delay_ms:
                    time.sleep(faults.delay_ms / 1000)
                response = applet.answer(message)
                with self._lock:
                    if self._socket is not sock:
                        return
                    self.commands.append(message[:5])  # CLA INS P1 P2 P3: no command data
                    _send(sock, response)
                    self.apdu_count += 1
                if faults.remove_after_apdus and self.apdu_count >= faults.remove_after_apdus:
                    log.info("virtual card pulled out after %d APDUs", self.apdu_count)
                    threading.Thread(target=self.remove, daemon=True).start()
                    return
        except OSError:
            return
        finally:
            _close(sock)
            _last_removal[self.port] = time.monotonic()
            self._gone.set()


def _receive_exactly(sock: socket.socket, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            return None
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
        data += chunk
    return data


def _receive(sock: socket.socket) -> bytes | None:
    header = _receive_exactly(sock, 2)
    if header is None:
        return None
    (length,) = struct.unpack(">H", header)
    return _receive_exactly(sock, length) if length else b""


def _send(sock: socket.socket, payload: bytes) -> None:
    sock.sendall(struct.pack(">H", len(payload)) + payload)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


def main(argv: list[str] | None = None) -> int:
    """Keep a card inserted until SIGTERM/SIGINT (the process behind ``kiosk virtual-card insert``).

    With ``--start-pcscd`` it first starts a private pcscd if none runs, and stops it on exit.
    ``--pidfile`` is written once the card is in the reader and removed when it is pulled out.
    """
    from devices.card.pcscd import PcscdError, ensure_pcscd

    parser = argparse.ArgumentParser(description="insert a virtual OMS card into vpcd until stopped")
    parser.add_argument("profile", nargs="?", default="demo", help="profile name or JSON path")
    parser.add_argument("--port", type=int, default=VPCD_PORT)
    parser.add_argument("--pidfile", type=Path, default=None)
    parser.add_argument("--start-pcscd", action="store_true", help="start a private pcscd if none runs")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    pcscd = None
    try:
        pcscd = ensure_pcscd(args.port) if args.start_pcscd else None
        card = VirtualCard(args.profile, port=args.port)
        card.insert(timeout=10)
        if args.pidfile:
            args.pidfile.write_text(f"{os.getpid()}\n{card.profile.name}\n")
        while not stop.is_set() and card.inserted:
            stop.wait(0.5)
        card.remove()
        log.info("virtual card removed after %d APDUs", card.apdu_count)
    except (VirtualCardError, PcscdError, ProfileError) as exc:
        log.error("%s", exc)
        return 1
    finally:
        if args.pidfile:
            args.pidfile.unlink(missing_ok=True)
        if pcscd is not None:
            pcscd.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
