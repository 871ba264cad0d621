"""Open a python-escpos connection from the [printer] section (keyword arguments only).

python-escpos silently ignores unknown keyword arguments, so every argument is
named here once and checked against its constructor. Settings python-escpos
does not expose (RTS/CTS, serial write timeout) are applied to the pyserial
port after opening.
"""

from __future__ import annotations

import errno
import logging
from pathlib import Path
from typing import Any

from devices.printer.config import PrinterConfig
from devices.printer.escpos_writer import import_escpos, make_profile  # also pins python-escpos' capabilities dir
from devices.printer.file_connection import FileConnection
from devices.printer.models import MODELS

log = logging.getLogger(__name__)


class PrinterConnectionError(Exception):
    """The printer connection could not be opened or used (reason phrased for the technician)."""


def _int(text: str) -> int:
    return int(text, 0)


def connection_kwargs(cfg: PrinterConfig) -> tuple[str, dict[str, Any]]:
    """(python-escpos class name, constructor keyword arguments) for ``cfg``."""
    if cfg.kind == "usb":
        return "Usb", {
            "idVendor": _int(cfg.usb_vendor),
            "idProduct": _int(cfg.usb_product),
            "timeout": int(cfg.timeout * 1000),
            "in_ep": _int(cfg.usb_in_ep),
            "out_ep": _int(cfg.usb_out_ep),
        }
    if cfg.kind == "serial":
        return "Serial", {
            "devfile": cfg.serial_port,
            "baudrate": cfg.baudrate,
            "bytesize": 8,
            "parity": cfg.parity,
            "stopbits": 1,
            "timeout": cfg.status_timeout,
            "xonxoff": cfg.flow_control == "xonxoff",
            "dsrdtr": False,
        }
    if cfg.kind == "network":
        return "Network", {"host": cfg.host, "port": cfg.port, "timeout": cfg.timeout}
    raise ValueError(f"no python-escpos connection for printer kind {cfg.kind!r}")


def open_connection(cfg: PrinterConfig) -> Any:
    """An opened python-escpos printer for ``cfg`` (our own FileConnection for ``kind = file``).

    Raises PrinterConnectionError when it cannot be opened.
    """
    if cfg.kind == "file":
        return _open_file(cfg)
    escpos_printer = import_escpos().printer  # imported on the first job, with the root logger guarded

    class_name, kwargs = connection_kwargs(cfg)
    model = MODELS[cfg.model]
    profile = make_profile(model, cfg.cp866_slot if cfg.cp866_slot is not None else model.cp866_slot)
    cls = getattr(escpos_printer, class_name)
    if not cls.is_usable():
        extra = {"Usb": "pyusb (pip install 'python-escpos[usb]')", "Serial": "pyserial"}.get(class_name, "")
        raise PrinterConnectionError(f"{class_name} printing needs {extra}")
    try:
        connection = cls(profile=profile, **kwargs)
        connection.open(raise_not_found=True)
    except Exception as exc:
        raise PrinterConnectionError(
            " ".join(f"cannot open {class_name.lower()} printer: {exc}".split())
        ) from exc
    if class_name == "Serial":
        device = connection.device
        device.rtscts = cfg.flow_control == "rtscts"
        device.write_timeout = cfg.timeout
    return connection


def _open_file(cfg: PrinterConfig) -> FileConnection:
    connection = FileConnection(Path(cfg.path), write_timeout=cfg.timeout)
    try:
        connection.open()
    except OSError as exc:
        reason = "nothing reads it" if exc.errno == errno.ENXIO else exc.strerror or str(exc)
        raise PrinterConnectionError(f"cannot open file printer {cfg.path}: {reason}") from exc
    return connection


def limit_writes(connection: Any, seconds: float) -> None:
    """Let the next write to the printer take at most ``seconds`` (the rest of the job's time)."""
    device: Any = getattr(connection, "device", None)
    if isinstance(connection, FileConnection):
        connection.write_timeout = seconds
    elif hasattr(device, "write_timeout"):  # pyserial: only reconfigure the port when it changes
        if device.write_timeout != seconds:
            device.write_timeout = seconds
    elif hasattr(device, "settimeout"):  # a socket: sendall's whole send within the timeout
        device.settimeout(seconds)
    elif hasattr(connection, "out_ep"):  # python-escpos Usb passes its timeout (ms) to every write
        connection.timeout = max(int(seconds * 1000), 1)


def drain_input(connection: Any) -> None:
    """Drop stale bytes (late replies, ASB) so the next status read gets its own answer."""
    device = getattr(connection, "device", None)
    reset = getattr(device, "reset_input_buffer", None)
    if callable(reset):
        reset()


def read_reply(connection: Any) -> bytes:
    """One read within the connection's read timeout; b"" when nothing came (or reading is impossible)."""
    try:
        return bytes(connection._read() or b"")
    except NotImplementedError:
        raise
    except Exception as exc:
        log.debug("status read failed: %s", exc)
        return b""


def can_read(cfg: PrinterConfig) -> bool:
    return cfg.kind in ("usb", "serial", "network")
