"""Open a python-escpos connection from the [printer] section (keyword arguments only).

python-escpos silently ignores unknown keyword arguments, so every argument is
named here once and checked against its constructor. Settings python-escpos
does not expose (RTS/CTS, serial write timeout) are applied to the pyserial
port after opening.
"""

from __future__ import annotations

import logging
from typing import Any

from devices.printer.config import PrinterConfig
from devices.printer.escpos_writer import import_escpos, make_profile  # also pins python-escpos' capabilities dir
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
    if cfg.kind == "file":
        return "File", {"devfile": str(cfg.path), "auto_flush": True}
    raise ValueError(f"no python-escpos connection for printer kind {cfg.kind!r}")


def open_connection(cfg: PrinterConfig) -> Any:
    """An opened python-escpos printer for ``cfg``; raises PrinterConnectionError when it cannot be opened."""
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
