"""A small ESC/POS printer on a pseudo-terminal, for tests and for trying the kiosk without hardware.

It reads what the kiosk sends through the pty, keeps the print data, and
answers real-time status requests (DLE EOT 1..4, Custom DLE EOT 0x14) from a
state that tests can change at any moment: paper near end, paper out, cover
open, an error, or silence (printer off). ``fail_after`` bytes of print data
into a job, the fault named in ``fail_with`` appears (mid-job failures). For fault
tests it can also print without ever answering a status request (``mute``), answer
with bytes of the test's choosing (``reply_with``), or stop reading altogether
(``reading = False``), so the kiosk's writes block once the buffers are full.

    with PtyPrinter() as printer:           # printer.port is e.g. /dev/pts/7
        ... point [printer] serial_port at printer.port ...
        printer.set(paper_near_end=True)

``TcpPrinter`` is the same printer on a loopback TCP port (a "network" printer).
"""

from __future__ import annotations

import contextlib
import os
import pty
import select
import socket
import threading
import tty
from dataclasses import dataclass

from devices.printer.escpos_parser import next_token
from devices.printer.preview import Rendered, render


@dataclass
class EmulatorState:
    paper_near_end: bool = False
    paper_out: bool = False
    cover_open: bool = False
    error: bool = False
    silent: bool = False  # answers nothing (switched off, or some printers with the cover open)
    ticket_in_output: bool = False  # presenter: a ticket waits in the mouth
    fail_after: int | None = None  # bytes of print data before the ``fail_with`` fault appears
    fail_with: str = "paper_out"  # paper_out, cover_open, error or silent
    mute: bool = False  # prints what it gets, never answers a status request (no status line)
    reply_with: bytes | None = None  # answers every status request with these bytes (a confused printer)
    reading: bool = True  # False: takes nothing more from the line, so the sender's writes block


class EmulatedPrinter:
    """The printer itself; subclasses connect it to a pty or a TCP socket."""

    def __init__(self) -> None:
        self.state = EmulatorState()
        self.received = bytearray()  # every byte that arrived
        self.printed = bytearray()  # the bytes that would have reached paper
        self.status_queries: list[int] = []
        self._lock = threading.Lock()
        self._pending = b""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=type(self).__name__, daemon=True)

    def start(self) -> EmulatedPrinter:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2)
        self._close()

    def __enter__(self) -> EmulatedPrinter:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def set(self, **changes: object) -> None:
        with self._lock:
            for name, value in changes.items():
                if not hasattr(self.state, name):
                    raise AttributeError(name)
                setattr(self.state, name, value)

    def rendered(self, paper_dots: int = 576) -> Rendered:
        with self._lock:
            data = bytes(self.printed)
        return render(data, paper_dots=paper_dots)

    # ---- transport hooks --------------------------------------------------------------------------
    def _run(self) -> None:
        raise NotImplementedError

    def _send(self, reply: bytes) -> None:
        raise NotImplementedError

    def _close(self) -> None:
        pass

    def _feed(self, chunk: bytes) -> None:
        with self._lock:
            self.received += chunk
            data = self._pending + chunk
            pos = 0
            while pos < len(data):
                token = next_token(data, pos)
                if token is None:
                    break
                pos += len(token.raw)
                if token.name == "DLE EOT":
                    self.status_queries.append(token.args[0])
                    reply = self._reply(token.args[0])
                    if reply:
                        self._send(reply)
                else:
                    self._print(token.raw)
            self._pending = data[pos:]

    def _print(self, raw: bytes) -> None:
        state = self.state
        if state.silent or state.paper_out or state.cover_open or state.error:
            return  # a real printer drops (or holds) data it cannot print
        if state.fail_after is not None and len(self.printed) + len(raw) > state.fail_after:
            setattr(state, state.fail_with, True)
            state.fail_after = None
            return
        self.printed += raw

    def _reply(self, n: int) -> bytes:
        s = self.state
        if s.silent or s.mute:
            return b""
        if s.reply_with is not None:
            return s.reply_with
        offline = s.paper_out or s.cover_open or s.error
        if n == 1:
            return bytes([0x1A if offline else 0x12])
        if n == 2:
            return bytes(
                [
                    0x12
                    | (0x04 if s.cover_open else 0)
                    | (0x20 if s.paper_out else 0)
                    | (0x40 if s.error else 0)
                ]
            )
        if n == 3:
            return bytes([0x12 | (0x20 if s.error else 0)])
        if n == 4:
            return bytes([0x12 | (0x60 if s.paper_out else 0) | (0x0C if s.paper_near_end else 0)])
        if n == 0x14:  # Custom full status: 10 0F P U R E
            paper = (
                (0x01 if s.paper_out else 0)
                | (0x04 if s.paper_near_end else 0)
                | (0x20 if s.ticket_in_output else 0)
            )
            user = 0x02 if s.cover_open else 0
            return bytes([0x10, 0x0F, paper, user, 0, 0x01 if s.error else 0])
        return b""


class PtyPrinter(EmulatedPrinter):
    """A serial printer: open ``port`` with pyserial (any baud rate works)."""

    def __init__(self) -> None:
        super().__init__()
        self._master, self._slave = pty.openpty()
        tty.setraw(self._slave)
        tty.setraw(self._master)
        self.port = os.ttyname(self._slave)

    def __enter__(self) -> PtyPrinter:
        self.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            if not self.state.reading:
                self._stop.wait(0.05)
                continue
            ready, _, _ = select.select([self._master], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(self._master, 4096)
            except OSError:
                return
            if chunk:
                self._feed(chunk)

    def _send(self, reply: bytes) -> None:
        os.write(self._master, reply)

    def _close(self) -> None:
        for fd in (self._master, self._slave):
            with contextlib.suppress(OSError):
                os.close(fd)


class TcpPrinter(EmulatedPrinter):
    """A network printer on 127.0.0.1:``port`` (one client at a time, like port 9100 printers)."""

    def __init__(self) -> None:
        super().__init__()
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.05)
        self.host, self.port = self._server.getsockname()[:2]
        self._client: socket.socket | None = None

    def __enter__(self) -> TcpPrinter:
        self.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            if self._client is None:
                try:
                    self._client, _ = self._server.accept()
                    self._client.settimeout(0.05)
                except OSError:
                    continue
            if not self.state.reading:
                self._stop.wait(0.05)
                continue
            try:
                chunk = self._client.recv(4096)
            except TimeoutError:
                continue
            except OSError:
                chunk = b""
            if chunk:
                self._feed(chunk)
            else:
                self._client.close()
                self._client = None

    def _send(self, reply: bytes) -> None:
        if self._client is not None:
            with contextlib.suppress(OSError):
                self._client.sendall(reply)

    def _close(self) -> None:
        for sock in (self._client, self._server):
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.close()
