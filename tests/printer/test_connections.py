"""Connections from [printer]: keyword arguments python-escpos really knows, and a network printer."""

from __future__ import annotations

import inspect
import time
from collections.abc import Iterator
from pathlib import Path

import escpos.printer as escpos_printer
import pytest

from devices.printer.config import PrinterConfig
from devices.printer.connections import connection_kwargs, open_connection
from devices.printer.document import document_text
from devices.printer.emulator import TcpPrinter
from devices.printer.factory import open_printer
from devices.printer.ports import PrinterState
from kiosk.tickets.layout import ticket_document
from kiosk.tickets.model import Ticket
from tests.pinned import clock_now

CONFIGS = {
    "usb": PrinterConfig(
        kind="usb",
        usb_vendor="0x04b8",
        usb_product="0x0e15",
        usb_in_ep="0x82",
        usb_out_ep="0x01",
        timeout=2.5,
    ),
    "serial": PrinterConfig(
        kind="serial",
        serial_port="/dev/ttyS3",
        baudrate=38400,
        parity="E",
        flow_control="xonxoff",
        status_timeout=0.4,
    ),
    "network": PrinterConfig(kind="network", host="10.0.0.7", port=9101, timeout=3.0),
}


@pytest.mark.parametrize("kind", sorted(CONFIGS))
def test_every_argument_is_one_the_constructor_names(kind: str) -> None:
    class_name, kwargs = connection_kwargs(CONFIGS[kind])
    accepted = inspect.signature(getattr(escpos_printer, class_name).__init__).parameters
    assert set(kwargs) <= set(accepted), set(kwargs) - set(accepted)  # python-escpos would ignore the rest


def test_values_are_converted_for_python_escpos() -> None:
    assert connection_kwargs(CONFIGS["usb"])[1] == {
        "idVendor": 0x04B8,
        "idProduct": 0x0E15,
        "timeout": 2500,
        "in_ep": 0x82,
        "out_ep": 0x01,
    }
    serial = connection_kwargs(CONFIGS["serial"])[1]
    assert serial["baudrate"] == 38400 and serial["parity"] == "E" and serial["xonxoff"] is True
    assert serial["timeout"] == 0.4 and serial["dsrdtr"] is False
    assert connection_kwargs(CONFIGS["network"]) == (
        "Network",
        {"host": "10.0.0.7", "port": 9101, "timeout": 3.0},
    )


@pytest.fixture
def network() -> Iterator[TcpPrinter]:
    with TcpPrinter() as printer:
        yield printer


def _network_cfg(emulator: TcpPrinter, tmp_path: Path) -> PrinterConfig:
    return PrinterConfig(
        kind="network",
        host=emulator.host,
        port=emulator.port,
        timeout=5.0,
        status_timeout=0.3,
        fallback_dir=tmp_path,
    )


def test_network_printer_prints_and_reads_status(network: TcpPrinter, ticket: Ticket, tmp_path: Path) -> None:
    printer = open_printer(_network_cfg(network, tmp_path), now=clock_now)
    doc = ticket_document(ticket, barcode=False)
    result = printer.print_document(doc)
    assert result.ok and result.status_after is not None and result.status_after.state is PrinterState.ONLINE
    deadline = time.monotonic() + 5
    while network.rendered().lines != document_text(doc) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert network.rendered().lines == document_text(doc)
    printer.close()


def test_silent_network_printer_is_unknown_within_the_status_timeout(
    network: TcpPrinter, tmp_path: Path
) -> None:
    network.set(silent=True)
    printer = open_printer(_network_cfg(network, tmp_path), now=clock_now)  # socket timeout 5 s, status_timeout 0.3 s
    status = printer.status()
    # read with status_timeout; a 5 s socket wait would have hit the status job's own deadline instead
    assert status.state is PrinterState.UNKNOWN and status.detail == "printer does not answer"
    printer.close()


def test_serial_settings_python_escpos_lacks_are_applied(tmp_path: Path) -> None:
    from devices.printer.emulator import PtyPrinter

    with PtyPrinter() as emulator:
        cfg = PrinterConfig(kind="serial", serial_port=emulator.port, flow_control="rtscts", timeout=4.0)
        connection = open_connection(cfg)
        try:
            assert connection.device.rtscts is True and connection.device.write_timeout == 4.0
            assert connection.device.xonxoff is False and connection.device.baudrate == 19200
        finally:
            connection.close()


def test_absent_usb_printer_is_a_failed_result_not_an_exception(ticket: Ticket, tmp_path: Path) -> None:
    pytest.importorskip("usb.core", reason="pyusb (python-escpos[usb]) not installed")
    cfg = PrinterConfig(kind="usb", usb_vendor="0x0dd4", usb_product="0x7fff", fallback_dir=tmp_path)
    printer = open_printer(cfg, now=clock_now)
    result = printer.print_document(ticket_document(ticket))
    assert not result.ok and "cannot open usb printer" in result.reason and result.png_path is not None
    assert printer.status().state is PrinterState.UNKNOWN
    printer.close()
