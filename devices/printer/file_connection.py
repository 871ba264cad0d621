"""``kind = file``: ESC/POS bytes to a device node (``/dev/usb/lp0``, a FIFO) or to a regular file.

python-escpos' ``File`` opens and writes with blocking calls: a printer that stops
taking data (or a FIFO nobody reads) would hold the printing thread for ever. Here a
device is opened and written without blocking, each write taking at most
``write_timeout`` seconds; a regular file is replaced whole when the ticket is complete
(temporary file + rename), so whatever reads it never sees half a ticket.
"""

from __future__ import annotations

import errno
import os
import select
import stat
import time
from pathlib import Path

from devices.printer.atomic_file import write_atomically


class FileStalledError(TimeoutError):
    """The device took no data within the write timeout."""


class FileConnection:
    """The connection object ``EscposPrinter`` drives: ``_raw``, ``commit``, ``close``."""

    def __init__(self, path: Path, write_timeout: float) -> None:
        self.path = path
        self.write_timeout = write_timeout
        self._fd: int | None = None
        self._pending = bytearray()  # regular file: the ticket so far
        self._device = True  # what close_quietly() resets, as on python-escpos connections

    def open(self) -> None:
        """Open a device without blocking (a FIFO nobody reads fails at once with ENXIO)."""
        try:
            mode = self.path.stat().st_mode
        except FileNotFoundError:
            if not self.path.parent.is_dir() or Path("/dev") in self.path.parents:
                raise  # an unplugged device is not a new file
            return  # a new regular file, written by commit()
        if stat.S_ISREG(mode):
            return
        self._fd = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)

    def _raw(self, data: bytes) -> None:
        if self._fd is None:
            self._pending += data
            return
        view = memoryview(data)
        give_up = time.monotonic() + self.write_timeout
        while view:
            try:
                written = os.write(self._fd, view)
            except BlockingIOError:
                written = 0
            except InterruptedError:
                continue
            if written:
                view = view[written:]
                continue
            wait = give_up - time.monotonic()
            ready = select.select([], [self._fd], [], max(wait, 0.0))[1] if wait > 0 else []
            if not ready:
                raise FileStalledError(errno.ETIMEDOUT, f"{self.path} took no data for {self.write_timeout:g} s")

    def commit(self) -> None:
        """The ticket is complete: a regular file gets it whole."""
        if self._fd is None:
            write_atomically(self.path, bytes(self._pending))
            self._pending.clear()

    def close(self) -> None:
        fd, self._fd = self._fd, None
        self._pending.clear()
        if fd is not None:
            os.close(fd)
