"""Log records to journald with structured fields, through its native protocol (no libsystemd binding).

One datagram per record on ``/run/systemd/journal/socket``: ``MESSAGE``, ``PRIORITY``,
``SYSLOG_IDENTIFIER=kiosk``, ``LOGGER``, ``CODE_FILE``/``CODE_LINE``/``CODE_FUNC``, and the
context's ``KIOSK_SESSION``, ``KIOSK_ERRAND``, ``KIOSK_STEP``, ``KIOSK_DEVICE`` where set
(``journalctl -u kiosk KIOSK_ERRAND=book``, ``-o verbose`` shows them). Values with a newline use the
protocol's length-prefixed form. A journal that is gone drops the line (``handleError``), it never
blocks the kiosk: the socket is non-blocking.
"""

from __future__ import annotations

import logging
import os
import socket
import struct
import sys
from collections.abc import Mapping
from pathlib import Path

JOURNAL_SOCKET = Path("/run/systemd/journal/socket")
#: datagrams larger than this are cut (journald's default limit is far above; the kiosk logs short lines)
MAX_VALUE_BYTES = 48 * 1024

_PRIORITIES = ((logging.CRITICAL, 2), (logging.ERROR, 3), (logging.WARNING, 4), (logging.INFO, 6))


def priority(level: int) -> int:
    for threshold, value in _PRIORITIES:
        if level >= threshold:
            return value
    return 7


def encode(fields: Mapping[str, str]) -> bytes:
    out = bytearray()
    for key, value in fields.items():
        data = value.encode("utf-8", "replace")[:MAX_VALUE_BYTES]
        if b"\n" in data:
            out += key.encode("ascii") + b"\n" + struct.pack("<Q", len(data)) + data + b"\n"
        else:
            out += key.encode("ascii") + b"=" + data + b"\n"
    return bytes(out)


class JournalHandler(logging.Handler):
    def __init__(self, path: Path = JOURNAL_SOCKET, identifier: str = "kiosk") -> None:
        super().__init__()
        self.path = path
        self.identifier = identifier
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._socket.setblocking(False)
        #: records journald did not take
        self.dropped = 0

    def fields(self, record: logging.LogRecord) -> dict[str, str]:
        message = record.getMessage()
        if record.exc_text:
            message = f"{message}\n{record.exc_text}"
        fields = {
            "MESSAGE": message,
            "PRIORITY": str(priority(record.levelno)),
            "SYSLOG_IDENTIFIER": self.identifier,
            "LOGGER": record.name,
            "CODE_FILE": record.pathname or "",
            "CODE_LINE": str(record.lineno),
            "CODE_FUNC": record.funcName or "",
        }
        for attribute, key in (("kiosk_session", "KIOSK_SESSION"), ("kiosk_errand", "KIOSK_ERRAND"),
                               ("kiosk_step", "KIOSK_STEP"), ("kiosk_device", "KIOSK_DEVICE"),
                               ("kiosk_technician", "KIOSK_TECHNICIAN")):
            value = getattr(record, attribute, "")
            if value:
                fields[key] = str(value)
        return fields

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._socket.sendto(encode(self.fields(record)), str(self.path))
        except OSError:
            self.dropped += 1  # journald gone or full: the line is lost, the kiosk goes on

    def close(self) -> None:
        self._socket.close()
        super().close()


def stderr_is_journal(environ: Mapping[str, str] = os.environ) -> bool:
    """systemd connected stderr to the journal (``JOURNAL_STREAM`` names stderr's device and inode)."""
    stream = environ.get("JOURNAL_STREAM", "")
    device, _, inode = stream.partition(":")
    try:
        info = os.fstat(sys.stderr.fileno())
        return (int(device), int(inode)) == (info.st_dev, info.st_ino)
    except (ValueError, OSError):
        return False
