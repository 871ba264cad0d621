"""A scanner emulator on a pty pair: the demo's virtual scanner and the tests' serial scanner.

The kiosk opens the pty's slave end as its serial port (through the same :class:`ScannerReader` as a
real scanner); :meth:`scan` writes a scan into the master end, whole or in pieces. With ``link`` the
port is a symlink to the slave (as udev names a USB scanner): :meth:`unplug` closes the pty and
removes the link, :meth:`replug` makes a new pty behind the same name.
"""

from __future__ import annotations

import os
import pty
import time
import tty
from collections.abc import Iterable
from pathlib import Path


class VirtualScanner:
    def __init__(self, link: Path | None = None) -> None:
        self._link = link
        self._master: int | None = None
        self._slave: int | None = None
        self.replug()

    @property
    def port(self) -> str:
        """What to configure as ``[scanner] port``."""
        if self._link is not None:
            return str(self._link)
        if self._slave is None:
            raise RuntimeError("the virtual scanner is unplugged")
        return os.ttyname(self._slave)

    @property
    def plugged(self) -> bool:
        return self._master is not None

    def replug(self) -> None:
        if self._master is not None:
            return
        master, slave = pty.openpty()
        tty.setraw(slave)  # no echo, no line discipline before the reader's own set-up
        self._master, self._slave = master, slave
        if self._link is not None:
            tmp = self._link.with_name(self._link.name + ".new")
            tmp.unlink(missing_ok=True)
            tmp.symlink_to(os.ttyname(slave))
            tmp.replace(self._link)

    def scan(self, payload: bytes, suffix: bytes = b"", *, pieces: Iterable[int] = (), pause: float = 0.0) -> None:
        """Send ``payload + suffix``; ``pieces`` = sizes of the first writes (the rest goes last), with
        ``pause`` seconds between writes (a slow scanner, or a USB packet boundary)."""
        if self._master is None:
            raise RuntimeError("the virtual scanner is unplugged")
        data = payload + suffix
        start = 0
        for size in pieces:
            self._write(data[start:start + size])
            start += size
            if pause:
                time.sleep(pause)
        self._write(data[start:])

    def _write(self, data: bytes) -> None:
        assert self._master is not None
        view = memoryview(data)
        while view:
            view = view[os.write(self._master, view):]

    def unplug(self) -> None:
        """The cable is pulled: the reader's next read fails and the port's name goes away."""
        for fd in (self._master, self._slave):
            if fd is not None:
                os.close(fd)
        self._master = self._slave = None
        if self._link is not None:
            self._link.unlink(missing_ok=True)

    close = unplug


def demo_paper_policy() -> bytes:
    """The demo's paper policy (a type 02 barcode): Петров Сергей Николаевич of the demo registry."""
    from datetime import date

    from devices.scanner.oms_barcode import BarcodeType, PaperPolicy, Sex, encode

    return encode(PaperPolicy(BarcodeType.SHORT, "7700000000000024", "ПЕТРОВ", "СЕРГЕЙ", "НИКОЛАЕВИЧ", Sex.MALE,
                              date(1960, 11, 3), None))
