"""Personal data at rest: AES-GCM with a key kept in a 0600 file, and a keyed hash to find a record.

The key file holds 64 random bytes as hex: the first 32 are the AES-256-GCM key, the last 32 the
HMAC-SHA256 key of the lookup hash. It is made on first start (``O_EXCL``, mode 0600) and refused
when its mode lets anyone but the owner read it, or when it is not a key. A record is found by
``lookup(policy, birth_date)``, never by the number itself; every sealed blob carries, as associated
data, where it belongs (table and lookup), so a blob moved to another row does not open.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import stat
from datetime import date
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 64
NONCE_BYTES = 12


class KeyFileError(Exception):
    """The key file cannot be used (named with the path and what is wrong)."""


class SealError(Exception):
    """A sealed blob does not open with this key (another key, or changed bytes)."""


def load_or_create_key(path: Path) -> bytes:
    """The key from ``path``, made (0600, parents 0700) when the file does not exist yet."""
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it meanwhile: read theirs
            return load_or_create_key(path)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_bytes(KEY_BYTES).hex() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise KeyFileError(f"{path}: the cache key file must be readable by its owner only (mode 0600), "
                           f"not {mode:04o}; run: chmod 600 {path}")
    text = path.read_text(encoding="ascii", errors="replace").strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise KeyFileError(f"{path}: not a cache key ({KEY_BYTES * 2} hex digits expected); "
                           "move it away to have a new one made (the personal part of the cache is then lost)")
    return key


class Sealer:
    """Seals JSON values with AES-GCM and makes the keyed lookup hash."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError(f"a cache key has {KEY_BYTES} bytes")
        self._aead = AESGCM(key[:32])
        self._mac_key = key[32:]

    @classmethod
    def from_key_file(cls, path: Path) -> Sealer:
        return cls(load_or_create_key(path))

    def lookup(self, policy: str, birth_date: date) -> str:
        """Keyed hash of policy + birth date (hex): the only way a personal record is found."""
        message = f"{policy.strip()}|{birth_date.isoformat()}".encode()
        return hmac.new(self._mac_key, message, hashlib.sha256).hexdigest()

    def item(self, lookup: str, name: str) -> str:
        """Keyed hash of one item of a person's record (e.g. an appointment id), so ids stay out of sight."""
        return hmac.new(self._mac_key, f"{lookup}|{name}".encode(), hashlib.sha256).hexdigest()

    def seal(self, value: Any, where: str) -> bytes:
        nonce = secrets.token_bytes(NONCE_BYTES)
        data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
        return nonce + self._aead.encrypt(nonce, data, where.encode())

    def open(self, blob: bytes, where: str) -> Any:
        if len(blob) <= NONCE_BYTES:
            raise SealError("sealed value too short")
        try:
            data = self._aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], where.encode())
        except InvalidTag:
            raise SealError("sealed value does not open with this key") from None
        return json.loads(data)
