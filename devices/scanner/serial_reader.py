"""The scanner's own thread: open the serial port, read, frame, hand each scan on; survive unplugging.

    reader = ScannerReader(cfg, frame=on_frame, state=on_state).start()
    ...
    reader.stop()

``frame(Frame)`` and ``state(available, detail)`` are called on the reader's thread (never the UI's).
``state`` is told on every change: True once the port is open, False when it cannot be opened or is
lost (the device node went away, a read failed); the reader then closes it and tries again every
``reopen_interval`` seconds, so a replugged scanner comes back by itself. Every read waits at most
``READ_SLICE`` seconds, and a scan under way ends by its framing's deadline, so ``stop()`` returns
within about ``READ_SLICE`` and no scan waits for a byte that never comes.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from devices.scanner.config import ScannerConfig
from devices.scanner.framing import Frame, Framer

log = logging.getLogger(__name__)

#: the longest single wait for bytes (also how soon stop() and an unplug are noticed)
READ_SLICE = 0.25
#: how often an idle open port checks that its device node is still there
PRESENCE_EVERY = 1.0


class Port(Protocol):
    def read(self, size: int = 1) -> bytes: ...

    @property
    def in_waiting(self) -> int: ...

    timeout: float | None

    def close(self) -> None: ...


def open_serial(cfg: ScannerConfig, port: str) -> Port:
    """pyserial's port with the ini's speed and framing (imported here: only a kiosk with a scanner needs it)."""
    import serial

    parity = {"none": serial.PARITY_NONE, "even": serial.PARITY_EVEN, "odd": serial.PARITY_ODD}[cfg.parity]
    handle: Any = serial.Serial(port, baudrate=cfg.baudrate, bytesize=int(cfg.bytesize), parity=parity,
                                stopbits=int(cfg.stopbits), timeout=READ_SLICE, exclusive=True)
    return handle


class ScannerReader:
    def __init__(
        self,
        cfg: ScannerConfig,
        *,
        frame: Callable[[Frame], None],
        state: Callable[[bool, str], None],
        port: str | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        """``port`` overrides ``cfg.port`` (the virtual scanner's pty). ``monotonic`` only paces reads and
        the framing's gaps (the injected clock's is the same function in production)."""
        self._cfg = cfg
        self._port_name = port or cfg.port
        self._frame = frame
        self._state = state
        self._monotonic = monotonic
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._port: Port | None = None
        self._available: bool | None = None
        self._framer = Framer(suffix=cfg.suffix_bytes if cfg.framing == "suffix" else None, gap=cfg.gap,
                              max_length=cfg.max_length)

    @property
    def port_name(self) -> str:
        return self._port_name

    def start(self) -> ScannerReader:
        self._thread = threading.Thread(target=self._run, name="scanner-reader", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> bool:
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout)
            return not thread.is_alive()
        return True

    # -- the thread -------------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                if self._port is None and not self._open():
                    self._stop.wait(self._cfg.reopen_interval)
                    continue
                try:
                    self._read_once()
                except Exception as error:  # whatever the port does, the reader goes on (and reopens it)
                    log.exception("scanner read failed")
                    self._lost(f"{self._port_name}: {type(error).__name__}: {error}")
        finally:
            self._close()

    def _open(self) -> bool:
        try:
            self._port = open_serial(self._cfg, self._port_name)
        except (OSError, ValueError) as error:  # serial.SerialException is an OSError
            self._tell(False, f"cannot open {self._port_name}: {error}")
            return False
        self._tell(True, f"open on {self._port_name}")
        self._last_presence = self._monotonic()
        return True

    def _read_once(self) -> None:
        port = self._port
        assert port is not None
        now = self._monotonic()
        due = self._framer.deadline()
        wait = READ_SLICE if due is None else round(min(READ_SLICE, max(due - now, 0.005)), 3)
        try:
            if port.timeout != wait:  # pyserial reconfigures the port on every change: only when it changes
                port.timeout = wait
            data = port.read(max(port.in_waiting, 1))
        except (OSError, ValueError, TypeError) as error:  # unplugged: EIO, "returned no data", a closed fd
            self._lost(f"{self._port_name} lost: {error}")
            return
        now = self._monotonic()
        frames = self._framer.feed(data, now) if data else self._framer.poll(now)
        for frame in frames:
            self._deliver(frame)
        if not data and now - self._last_presence >= PRESENCE_EVERY:
            self._last_presence = now
            if self._port_name.startswith("/") and not os.path.exists(self._port_name):
                self._lost(f"{self._port_name} is gone")

    def _deliver(self, frame: Frame) -> None:
        try:
            self._frame(frame)
        except Exception:  # the app's handler must not end the reader
            log.exception("scan handler failed")

    def _lost(self, detail: str) -> None:
        self._framer.reset()
        self._close()
        self._tell(False, detail)

    def _close(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            with contextlib.suppress(OSError, ValueError):
                port.close()

    def _tell(self, available: bool, detail: str) -> None:
        if available is self._available:
            return
        self._available = available
        log.log(logging.INFO if available else logging.WARNING, "scanner %s: %s",
                "available" if available else "unavailable", detail)
        try:
            self._state(available, detail)
        except Exception:
            log.exception("scanner state handler failed")
