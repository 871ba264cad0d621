"""The serial adapter against the pty printer emulator: real pyserial, real python-escpos bytes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from devices.printer.config import PrinterConfig
from devices.printer.document import document_text
from devices.printer.emulator import PtyPrinter
from devices.printer.escpos_printer import EscposPrinter
from devices.printer.factory import open_printer
from devices.printer.ports import PrinterState
from kiosk.tickets.layout import ticket_document
from kiosk.tickets.model import Ticket
from tests.pinned import clock_now


@pytest.fixture(autouse=True)
def in_tmp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # fallback pictures of failed tickets go to ./var/tickets


@pytest.fixture
def emulator() -> Iterator[PtyPrinter]:
    with PtyPrinter() as printer:
        yield printer


def _serial(port: str, **extra: object) -> PrinterConfig:
    return PrinterConfig(kind="serial", serial_port=port, baudrate=115200, status_timeout=0.3, **extra)


def _wait_for(condition: object, seconds: float = 5.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.02)
    return False


def test_ticket_reaches_the_printer_and_reads_back(emulator: PtyPrinter, ticket: Ticket) -> None:
    printer = open_printer(_serial(emulator.port), now=clock_now)
    doc = ticket_document(ticket, barcode=False)
    result = printer.print_document(doc)
    assert result.ok, result.reason
    assert result.status_before is not None and result.status_before.state is PrinterState.ONLINE
    assert _wait_for(lambda: emulator.rendered().lines == document_text(doc))
    assert set(emulator.status_queries) >= {1, 4}
    printer.close()


@pytest.mark.parametrize(
    ("fault", "state"),
    [
        ({"paper_near_end": True}, PrinterState.PAPER_NEAR_END),
        ({"paper_out": True}, PrinterState.PAPER_END),
        ({"cover_open": True}, PrinterState.COVER_OPEN),
        ({"error": True}, PrinterState.OFFLINE),
        ({"silent": True}, PrinterState.UNKNOWN),
    ],
)
def test_status_reports_each_fault(emulator: PtyPrinter, fault: dict[str, bool], state: PrinterState) -> None:
    printer = open_printer(_serial(emulator.port), now=clock_now)
    assert printer.status().state is PrinterState.ONLINE
    emulator.set(**fault)
    assert printer.status().state is state
    printer.close()


def test_near_end_prints_with_a_warning(emulator: PtyPrinter, ticket: Ticket) -> None:
    emulator.set(paper_near_end=True)
    printer = open_printer(_serial(emulator.port), now=clock_now)
    result = printer.print_document(ticket_document(ticket))
    assert result.ok and result.warning == "paper near end"
    printer.close()


def test_cover_open_refuses_before_sending(emulator: PtyPrinter, ticket: Ticket) -> None:
    emulator.set(cover_open=True)
    printer = open_printer(_serial(emulator.port), now=clock_now)
    result = printer.print_document(ticket_document(ticket))
    assert not result.ok and "cover open" in result.reason and result.bytes_sent == 0
    assert b"\x1b@" not in emulator.received
    printer.close()


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("paper_out", "paper end"),
        ("cover_open", "cover open"),
        ("error", "error"),
        ("silent", "stopped answering"),
    ],
)
def test_a_fault_mid_job_fails_the_ticket(
    emulator: PtyPrinter, ticket: Ticket, fault: str, reason: str
) -> None:
    emulator.set(fail_after=300, fail_with=fault)
    printer = open_printer(_serial(emulator.port), now=clock_now)
    result = printer.print_document(ticket_document(ticket))
    assert not result.ok and reason in result.reason and "incomplete" in result.reason
    assert result.png_path is not None  # the patient still sees the ticket
    printer.close()


def test_silent_printer_is_unknown_not_plenty_of_paper(emulator: PtyPrinter, ticket: Ticket) -> None:
    emulator.set(silent=True)
    printer = open_printer(_serial(emulator.port), now=clock_now)
    status = printer.status()
    assert (
        status.state is PrinterState.UNKNOWN and status.needs_attention and "does not answer" in status.detail
    )
    printer.close()


def test_stalled_printer_does_not_block_the_caller(ticket: Ticket, tmp_path: Path) -> None:
    stalled = PtyPrinter()  # never started: nobody reads, the pty buffer fills up
    try:
        cfg = _serial(stalled.port, job_timeout=1.0, timeout=3.0, check_status=False, fallback_dir=tmp_path)
        printer = EscposPrinter(cfg, now=clock_now)
        one = printer.render(ticket_document(ticket))
        result = printer.print_bytes(one * (200_000 // len(one) + 1))  # far more than the pty buffer holds
        assert not result.ok and "timed out" in result.reason
        assert result.png_path is not None and result.png_path.is_file()  # shown on screen instead
        printer.close()
    finally:
        stalled.stop()


def test_presenter_collects_an_untaken_ticket(emulator: PtyPrinter, ticket: Ticket) -> None:
    cfg = _serial(emulator.port, model="custom-vkp80ii", present_timeout=1, uncollected="retract")
    printer = open_printer(cfg, now=clock_now)
    assert printer.print_document(ticket_document(ticket)).ok
    assert _wait_for(lambda: b"\x1de\x03\x0c" in emulator.received)  # presented
    assert _wait_for(lambda: emulator.received.endswith(b"\x1de\x02"))  # retracted after the timeout
    printer.close()


def test_custom_full_status_reports_a_waiting_ticket(emulator: PtyPrinter) -> None:
    emulator.set(ticket_in_output=True)
    printer = open_printer(_serial(emulator.port, model="custom-vkp80iii"), now=clock_now)
    status = printer.status()
    assert status.state is PrinterState.ONLINE and status.ticket_in_output is True
    printer.close()


def test_a_forgotten_ticket_is_collected_before_the_next(emulator: PtyPrinter, ticket: Ticket) -> None:
    emulator.set(ticket_in_output=True)
    cfg = _serial(emulator.port, model="custom-vkp80ii", present_timeout=0, uncollected="eject")
    printer = open_printer(cfg, now=clock_now)
    assert printer.print_document(ticket_document(ticket)).ok
    assert _wait_for(lambda: b"\x1b@" in emulator.received)
    received = bytes(emulator.received)
    assert 0 <= received.index(b"\x1de\x05") < received.index(b"\x1b@")  # ejected, then the new ticket
    printer.close()


def test_closing_the_printer_cancels_the_collect(emulator: PtyPrinter, ticket: Ticket) -> None:
    printer = open_printer(_serial(emulator.port, model="custom-vkp80ii", present_timeout=1), now=clock_now)
    assert printer.print_document(ticket_document(ticket)).ok
    printer.close()
    time.sleep(1.5)
    assert b"\x1de\x02" not in emulator.received
