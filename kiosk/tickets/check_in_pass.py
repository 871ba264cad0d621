"""The check-in pass in a ticket's QR code: who the visit is for, sealed so that only our kiosks can read it.

A printed ticket's QR code says which appointment it is and for whom, so that scanning it on the day
checks the patient in without card or typing — with the registry's ordinary ``check_in(key,
appointment_id)``, exactly the call a check-in by card sends. Nothing on the paper is readable: the
policy, the birth date, the appointment id and the visit's day are sealed under the polyclinic's ticket
key (``[scanner] ticket_key_file``), so the QR code carries no personal data in clear, cannot be forged
or altered (the tag fails) and another polyclinic's ticket is refused.

Sealing is deterministic authenticated encryption in the SIV construction (a synthetic IV that is also
the tag) with HMAC-SHA256 as the PRF, keys derived from the ticket key per purpose::

    tag    = HMAC(k_mac, plain)[:8]                  64-bit tag
    sealed = tag ‖ plain XOR HMAC(k_enc, tag)[:17]   25 bytes

``plain`` (17 bytes, big-endian): ENP (7 bytes), birth date and visit day (16-bit day counts since
01.01.1900), appointment id (6 bytes, after the birth date). The pass is ``sealed`` as a 61-digit
decimal number: QR's numeric mode packs it into a version 2 code at level M, the size of the plain
``id;code`` QR it replaces, so image-QR printers spend no longer on it. No other code the kiosk accepts
is 61 digits long. Reprinting the same ticket gives the same pass.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from kiosk.domain import PatientKey

KEY_BYTES = 32
PASS_DIGITS = 61
TAG_BYTES = 8
PLAIN_BYTES = 17
MAX_APPOINTMENT_ID = 2 ** 48 - 1
_EPOCH = date(1900, 1, 1)
_DOMAIN = b"infomat check-in pass v1 "


class PassError(Exception):
    """Not a usable pass. ``reason``: ``forged`` (the seal does not open with this polyclinic's key:
    altered, damaged, made up, or another polyclinic's) or ``other_day`` (``day`` is set)."""

    def __init__(self, reason: str, detail: str, day: date | None = None) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
        self.day = day


@dataclass(frozen=True)
class CheckInPass:
    key: PatientKey
    appointment_id: int
    day: date = field(repr=False)


def looks_like_pass(text: str) -> bool:
    text = text.strip()
    return len(text) == PASS_DIGITS and text.isascii() and text.isdigit()


def _subkey(ticket_key: bytes, purpose: bytes) -> bytes:
    return hmac.new(ticket_key, _DOMAIN + purpose, hashlib.sha256).digest()


def _tag(ticket_key: bytes, plain: bytes) -> bytes:
    return hmac.new(_subkey(ticket_key, b"mac"), plain, hashlib.sha256).digest()[:TAG_BYTES]


def _stream(ticket_key: bytes, tag: bytes) -> bytes:
    return hmac.new(_subkey(ticket_key, b"enc"), tag, hashlib.sha256).digest()[:PLAIN_BYTES]


def _days(day: date) -> bytes:
    return (day - _EPOCH).days.to_bytes(2, "big")


def can_seal(appointment_id: int) -> bool:
    return 0 <= appointment_id <= MAX_APPOINTMENT_ID


def seal(ticket_key: bytes, key: PatientKey, appointment_id: int, day: date) -> str:
    """The pass for ``appointment_id`` of ``key`` on ``day`` (ValueError beyond the layout's ranges)."""
    if not can_seal(appointment_id):
        raise ValueError("the appointment id does not fit a check-in pass")
    plain = (int(key.policy).to_bytes(7, "big") + _days(key.birth_date) + appointment_id.to_bytes(6, "big")
             + _days(day))
    tag = _tag(ticket_key, plain)
    sealed = tag + bytes(a ^ b for a, b in zip(plain, _stream(ticket_key, tag), strict=True))
    return f"{int.from_bytes(sealed, 'big'):0{PASS_DIGITS}d}"


def open_pass(ticket_key: bytes, text: str, today: date) -> CheckInPass:
    """The pass's content when it is ours, intact and for ``today``; :class:`PassError` otherwise."""
    text = text.strip()
    if not looks_like_pass(text):
        raise PassError("forged", "not a 61-digit pass")
    number = int(text)
    if number >= 2 ** ((TAG_BYTES + PLAIN_BYTES) * 8):
        raise PassError("forged", "out of range")
    sealed = number.to_bytes(TAG_BYTES + PLAIN_BYTES, "big")
    tag, hidden = sealed[:TAG_BYTES], sealed[TAG_BYTES:]
    plain = bytes(a ^ b for a, b in zip(hidden, _stream(ticket_key, tag), strict=True))
    if not hmac.compare_digest(tag, _tag(ticket_key, plain)):
        raise PassError("forged", "the seal does not open with this polyclinic's ticket key")
    policy = int.from_bytes(plain[:7], "big")
    birth = _EPOCH + timedelta(days=int.from_bytes(plain[7:9], "big"))
    appointment_id = int.from_bytes(plain[9:15], "big")
    day = _EPOCH + timedelta(days=int.from_bytes(plain[15:17], "big"))
    if policy >= 10 ** 16:
        raise PassError("forged", "no policy number")
    if day != today:
        raise PassError("other_day", "the ticket is for another day", day=day)
    return CheckInPass(PatientKey(f"{policy:016d}", birth), appointment_id, day)


class TicketKeyError(Exception):
    pass


def load_ticket_key(path: Path, *, create: bool) -> bytes:
    """The 32-byte key in ``path`` (raw, or 64 hex digits). ``create``: make one (mode 0600) when missing."""
    if create and not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(secrets.token_bytes(KEY_BYTES))
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise TicketKeyError(f"{path}: cannot read the ticket key: {error.strerror or error}") from None
    if len(raw) == KEY_BYTES:
        return raw
    try:
        decoded = bytes.fromhex(raw.decode("ascii").strip())
    except (UnicodeDecodeError, ValueError):
        decoded = b""
    if len(decoded) != KEY_BYTES:
        raise TicketKeyError(f"{path}: a ticket key is {KEY_BYTES} bytes (or {KEY_BYTES * 2} hex digits), "
                             f"this file has {len(raw)} bytes")
    return decoded
