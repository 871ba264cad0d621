"""Scanner frames → the patient's session. The scanner's thread never touches the session.

The reader (devices.scanner.serial_reader) calls back on its own thread; each scan is read there
(kiosk.scan_reading: pure, bounded) and the result handed to the UI thread with ``post`` before it
reaches the session — as kiosk.card_session does for the card. For ``[scanner] kind = virtual`` the
demo's scanner is a pty (devices.scanner.virtual_scanner) read through the very same reader, and
the demo strip's button "scans" a demo patient's paper policy into it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from devices.scanner.config import ScannerConfig
from devices.scanner.framing import Frame
from devices.scanner.serial_reader import ScannerReader
from devices.scanner.virtual_scanner import VirtualScanner, demo_paper_policy
from kiosk.clock import Clock
from kiosk.jobs import Post
from kiosk.scan_reading import read_scan
from kiosk.session.kernel import Session

log = logging.getLogger(__name__)

#: seconds between two keys of one typed code (a scanner types far faster than a person)
KEY_GAP = 0.5
#: the longest typed code kept (a ticket's pass is 61 characters)
MAX_TYPED = 128


class ScannerSession:
    def __init__(self, cfg: ScannerConfig, session: Session, post: Post, clock: Clock, *,
                 ticket_key: bytes | None, reject_expired: bool,
                 scanner_state: Callable[[bool, str], None]) -> None:
        """``scanner_state(available, detail)`` hears the port come and go (the scanner's health
        coordinator, kiosk.health.scanner.scanner_feed), on the reader's thread."""
        self._cfg = cfg
        self._session = session
        self._post = post
        self._clock = clock
        self._ticket_key = ticket_key
        self._reject_expired = reject_expired
        self._report = scanner_state
        self._reader: ScannerReader | None = None
        self._virtual: VirtualScanner | None = None
        self._typed = bytearray()
        self._last_key = float("-inf")

    # -- the reader's thread ----------------------------------------------------------------------

    def _frame(self, frame: Frame) -> None:
        reading = read_scan(frame, today=self._clock.today(), ticket_key=self._ticket_key,
                            reject_expired=self._reject_expired)
        log.info("scan: %s: %s", reading.kind.value, reading.detail)
        self._post(lambda: self._session.scanned(reading))

    # -- a keyboard-style scanner (the UI thread: the app hands over each key) -----------------------

    def key_typed(self, char: str | None, enter: bool) -> None:
        """One key from the window's keyboard: a keyboard-style scanner types its code and Enter. A code
        is read as a serial scan is; keys more than ``KEY_GAP`` s apart start a new code."""
        if not self._cfg.keyboard:
            return
        now = self._clock.monotonic()
        if now - self._last_key > KEY_GAP:
            self._typed.clear()
        self._last_key = now
        if enter:
            typed, self._typed = bytes(self._typed), bytearray()
            if typed:
                reading = read_scan(Frame(typed), today=self._clock.today(), ticket_key=self._ticket_key,
                                    reject_expired=self._reject_expired)
                log.info("typed scan: %s: %s", reading.kind.value, reading.detail)
                self._session.scanned(reading)
        elif char and len(self._typed) < MAX_TYPED:
            self._typed += char.encode("utf-8")

    # -- life cycle -------------------------------------------------------------------------------

    def start(self) -> None:
        if self._cfg.kind == "none" or self._reader is not None:
            return
        port = None
        if self._cfg.kind == "virtual":
            self._virtual = VirtualScanner()
            port = self._virtual.port
        self._reader = ScannerReader(self._cfg, frame=self._frame, state=self._report, port=port).start()

    def stop(self) -> None:
        if self._reader is not None:
            self._reader.stop()
            self._reader = None
        if self._virtual is not None:
            self._virtual.close()
            self._virtual = None

    # -- the demo's scanner (kind = virtual only; runs on a worker thread) ------------------------

    @property
    def has_demo_scanner(self) -> bool:
        return self._cfg.kind == "virtual"

    def scan_demo_policy(self) -> None:
        """"Scan" the demo patient's paper policy: its barcode's bytes go into the pty like a real scanner's."""
        if self._virtual is None:
            raise RuntimeError("the demo scanner exists only with [scanner] kind = virtual, once started")
        self._virtual.scan(demo_paper_policy(), self._cfg.suffix_bytes if self._cfg.framing == "suffix" else b"")
