"""The check-in pass in a ticket's QR code: who the visit is for, sealed so that only our kiosks can read it.

A printed ticket's QR code says which appointment it is and for whom, so that scanning it on the day
checks the patient in without card or typing — with the registry's ordinary ``check_in(key,
appointment_id)``, one call, exactly what a check-in by card sends. Nothing on the paper is readable:
the policy, the birth date, the appointment id and the visit's day are sealed with AES-256-GCM under
the polyclinic's ticket key (``[scanner] ticket_key_file``), so the QR code carries no personal data in
clear, cannot be forged or altered (the tag fails), and another polyclinic's ticket is refused.

Text: ``IT1-`` + base32 (no padding) of nonce(12) ‖ ciphertext(21) ‖ tag(16): 83 characters, all in
QR's alphanumeric set. The sealed 21 bytes: version 1, ENP as u64, birth date and visit day as
16-bit day counts since 01.01.1900, appointment id as u64 (all big-endian).
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
import struct
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from kiosk.domain import PatientKey

PREFIX = "IT1-"
KEY_BYTES = 32
NONCE_BYTES = 12
_VERSION = 1
_LAYOUT = struct.Struct(">BQHQH")
_AAD = b"infomat check-in pass v1"
_EPOCH = date(1900, 1, 1)
_MAX_TEXT = 200


class PassError(Exception):
    """Not a usable pass. ``reason``: ``foreign`` (not our format), ``forged`` (the seal does not open with
    this polyclinic's key: altered, damaged, or another polyclinic's), ``other_day`` (``day`` is set)."""

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
    return text.strip().upper().startswith(PREFIX)


def _days(day: date) -> int:
    return (day - _EPOCH).days


def seal(ticket_key: bytes, key: PatientKey, appointment_id: int, day: date) -> str:
    """The pass for ``appointment_id`` of ``key`` on ``day``."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    plain = _LAYOUT.pack(_VERSION, int(key.policy), _days(key.birth_date), appointment_id, _days(day))
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = nonce + AESGCM(ticket_key).encrypt(nonce, plain, _AAD)
    return PREFIX + base64.b32encode(sealed).decode("ascii").rstrip("=")


def open_pass(ticket_key: bytes, text: str, today: date) -> CheckInPass:
    """The pass's content when it is ours, intact and for ``today``; :class:`PassError` otherwise."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    text = text.strip().upper()
    if not text.startswith(PREFIX) or len(text) > _MAX_TEXT:
        raise PassError("foreign", "not a check-in pass")
    body = text[len(PREFIX):]
    try:
        sealed = base64.b32decode(body + "=" * (-len(body) % 8))
    except (binascii.Error, ValueError):
        raise PassError("forged", "not base32") from None
    if len(sealed) != NONCE_BYTES + _LAYOUT.size + 16:
        raise PassError("forged", f"{len(sealed)} bytes")
    try:
        plain = AESGCM(ticket_key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], _AAD)
    except InvalidTag:
        raise PassError("forged", "the seal does not open with this polyclinic's ticket key") from None
    version, policy, birth, appointment_id, day_number = _LAYOUT.unpack(plain)
    if version != _VERSION or policy >= 10 ** 16:
        raise PassError("forged", f"version {version}")
    day = _EPOCH + timedelta(days=day_number)
    if day != today:
        raise PassError("other_day", "the ticket is for another day", day=day)
    return CheckInPass(PatientKey(f"{policy:016d}", _EPOCH + timedelta(days=birth)), appointment_id, day)


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
