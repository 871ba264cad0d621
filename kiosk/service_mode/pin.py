"""The service PIN: stored as an scrypt hash (never the PIN), checked in constant time, and a gate that
locks after ``max_tries`` wrong PINs in a row for ``lockout`` seconds of the clock's monotonic time.

File format, one line: ``scrypt$<log2 n>$<r>$<p>$<salt, base64>$<hash, base64>``. A file that is
missing, unreadable or malformed means "no PIN set": the service screen cannot be opened (never open
without a PIN), and the reason goes to the log.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import re
import secrets
import tempfile
import threading
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from kiosk.clock import Clock

log = logging.getLogger("kiosk.service_mode")

PIN_PATTERN = re.compile(r"[0-9]{6,12}", re.ASCII)
LOG2_N, R, P = 15, 8, 1  # ~32 MiB and ~0.1 s per check on a panel PC: slow for a guesser, fine for a person
_LINE = re.compile(r"scrypt\$(\d{1,2})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9+/=]{16,88})\$([A-Za-z0-9+/=]{32,88})",
                   re.ASCII)


class PinFileError(ValueError):
    pass


@dataclass(frozen=True)
class PinHash:
    log2_n: int
    r: int
    p: int
    salt: bytes
    digest: bytes

    def line(self) -> str:
        b64 = base64.b64encode
        return f"scrypt${self.log2_n}${self.r}${self.p}${b64(self.salt).decode()}${b64(self.digest).decode()}\n"

    def matches(self, pin: str) -> bool:
        candidate = _scrypt(pin, self.salt, self.log2_n, self.r, self.p, len(self.digest))
        return hmac.compare_digest(candidate, self.digest)


def _scrypt(pin: str, salt: bytes, log2_n: int, r: int, p: int, length: int = 32) -> bytes:
    n = 1 << log2_n
    return hashlib.scrypt(pin.encode("ascii"), salt=salt, n=n, r=r, p=p, maxmem=256 * n * r + 1024 * 1024,
                          dklen=length)


def hash_pin(pin: str) -> PinHash:
    if not PIN_PATTERN.fullmatch(pin):
        raise ValueError("the PIN is 6 to 12 digits")
    salt = secrets.token_bytes(16)
    return PinHash(LOG2_N, R, P, salt, _scrypt(pin, salt, LOG2_N, R, P))


def parse_pin_line(text: str) -> PinHash:
    match = _LINE.fullmatch(text.strip())
    if match is None:
        raise PinFileError("not a line written by `kiosk set-pin`")
    log2_n, r, p = (int(match.group(i)) for i in (1, 2, 3))
    if not (10 <= log2_n <= 20 and 1 <= r <= 32 and 1 <= p <= 4):
        raise PinFileError("scrypt parameters out of range")
    return PinHash(log2_n, r, p, base64.b64decode(match.group(4)), base64.b64decode(match.group(5)))


def read_pin_file(path: Path) -> PinHash | None:
    try:
        return parse_pin_line(path.read_text(encoding="ascii"))
    except FileNotFoundError:
        log.warning("no service PIN set (%s missing): run `kiosk set-pin`", path)
    except (OSError, UnicodeDecodeError, PinFileError, ValueError) as exc:
        log.error("service PIN file %s unusable (%s): run `kiosk set-pin`", path, type(exc).__name__)
    return None


def write_pin_file(path: Path, pin: str, group_id: int | None = None) -> None:
    """Atomically: a temporary file (0640, group ``group_id``) beside ``path``, fsynced, renamed over it."""
    line = hash_pin(pin).line()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".service-pin-")
    try:
        with os.fdopen(handle, "w", encoding="ascii") as out:
            os.fchmod(out.fileno(), 0o640)
            if group_id is not None:
                os.fchown(out.fileno(), -1, group_id)
            out.write(line)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class Verdict(StrEnum):
    OPEN = "open"
    WRONG = "wrong"
    LOCKED = "locked"
    NO_PIN = "no_pin"


class PinGate:
    """``try_pin(pin)`` → OPEN, WRONG, LOCKED (also for the right PIN while locked) or NO_PIN."""

    def __init__(self, path: Path, clock: Clock, *, max_tries: int = 5, lockout_s: float = 300) -> None:
        self._path = path
        self._clock = clock
        self.max_tries = max_tries
        self.lockout_s = lockout_s
        self._wrong = 0
        self._locked_until: float | None = None
        self._lock = threading.Lock()

    def locked_for(self) -> float:
        """Seconds left of a lockout (0 when open to tries)."""
        with self._lock:
            return self._left()

    def _left(self) -> float:
        if self._locked_until is None:
            return 0.0
        left = self._locked_until - self._clock.monotonic()
        if left <= 0:
            self._locked_until, self._wrong = None, 0
            return 0.0
        return left

    def try_pin(self, pin: str) -> Verdict:
        with self._lock:
            if self._left() > 0:
                log.warning("service PIN tried while locked")
                return Verdict.LOCKED
            stored = read_pin_file(self._path)
            if stored is None:
                return Verdict.NO_PIN
            if PIN_PATTERN.fullmatch(pin) and stored.matches(pin):
                self._wrong = 0
                return Verdict.OPEN
            self._wrong += 1
            log.warning("wrong service PIN (%d of %d)", self._wrong, self.max_tries)
            if self._wrong >= self.max_tries:
                self._locked_until = self._clock.monotonic() + self.lockout_s
                log.warning("service entry locked for %g s after %d wrong PINs", self.lockout_s, self._wrong)
                return Verdict.LOCKED
            return Verdict.WRONG
