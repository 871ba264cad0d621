"""Printers that never answer, stop reading or answer nonsense: every ticket ends in a domain outcome
("unknown" or "not printed", with the ticket as a picture for the screen) within its job's deadline.

Real parts only: pyserial on a pty and sockets on loopback against our ESC/POS emulator, a FIFO for
``kind = file``, python-escpos bytes of a real ticket.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devices.printer.config import PrinterConfig
from devices.printer.document import document_text
from devices.printer.emulator import EmulatedPrinter, PtyPrinter, TcpPrinter
from devices.printer.escpos_printer import EscposPrinter
from devices.printer.ports import Delivery, PrinterState, PrintResult
from devices.printer.status import interpret
from kiosk.tickets.layout import ticket_document
from kiosk.tickets.model import Ticket
from tests.pinned import clock_now

T = TypeVar("T")
#: a job that has not returned this long after its own deadline is hung (not slow: nothing here waits)
HANG = 10.0


def finishes(call: Callable[[], T], deadline: float) -> T:
    """``call()``'s value; fails the test if it has not returned ``HANG`` seconds after ``deadline``."""
    box: list[T] = []
    worker = threading.Thread(target=lambda: box.append(call()), daemon=True)
    worker.start()
    worker.join(deadline + HANG)
    assert not worker.is_alive() and box, f"hung: no outcome {HANG:g} s after its {deadline:g} s deadline"
    return box[0]


def wait_for(condition: Callable[[], bool], seconds: float = 5.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def _settle(emulator: EmulatedPrinter, quiet: float = 0.5, limit: float = 60.0) -> None:
    """Wait until the emulator has taken no byte for ``quiet`` seconds."""
    end = time.monotonic() + limit
    seen = -1
    while time.monotonic() < end and len(emulator.received) != seen:
        seen = len(emulator.received)
        time.sleep(quiet)


@pytest.fixture
def pty_printer() -> Iterator[PtyPrinter]:
    with PtyPrinter() as printer:
        yield printer


@pytest.fixture
def tcp_printer() -> Iterator[TcpPrinter]:
    with TcpPrinter() as printer:
        yield printer


def _config(emulator: EmulatedPrinter, tmp_path: Path, **extra: object) -> PrinterConfig:
    if isinstance(emulator, PtyPrinter):
        where: dict[str, object] = {"kind": "serial", "serial_port": emulator.port, "baudrate": 115200,
                                    "flow_control": "none"}
    else:
        assert isinstance(emulator, TcpPrinter)
        where = {"kind": "network", "host": emulator.host, "port": emulator.port}
    settings_: dict[str, object] = {"status_timeout": 0.2, "fallback_dir": tmp_path / "fallback", **where}
    settings_.update(extra)
    return PrinterConfig(**settings_)  # type: ignore[arg-type]


def _shown_on_screen(result: PrintResult) -> None:
    assert result.png_path is not None and result.png_path.stat().st_size > 1_000, result


@pytest.mark.parametrize("transport", ["pty", "tcp"])
def test_a_printer_that_never_answers_is_unknown_and_the_ticket_is_on_screen(
    transport: str, pty_printer: PtyPrinter, tcp_printer: TcpPrinter, ticket: Ticket, tmp_path: Path
) -> None:
    emulator: EmulatedPrinter = pty_printer if transport == "pty" else tcp_printer
    emulator.set(mute=True)  # takes and prints every byte, answers no status request
    printer = EscposPrinter(_config(emulator, tmp_path, job_timeout=5), now=clock_now)
    doc = ticket_document(ticket, barcode=False)
    result = finishes(lambda: printer.print_document(doc), 5)
    assert result.delivery is Delivery.UNKNOWN and not result.ok  # never "printed" on silence
    assert "did not confirm" in result.reason
    assert result.status_before is not None and result.status_before.state is PrinterState.UNKNOWN
    _shown_on_screen(result)
    assert wait_for(lambda: emulator.rendered().lines == document_text(doc))  # it did get the whole ticket
    assert set(emulator.status_queries) >= {1}  # it was asked, and said nothing
    printer.close()


def _huge_job(printer: EscposPrinter, ticket: Ticket, size: int) -> bytes:
    one = printer.render(ticket_document(ticket, barcode=False))
    return one * (size // len(one) + 1)


@pytest.mark.parametrize(("transport", "size"), [("pty", 200_000), ("tcp", 8_000_000)])
def test_a_printer_that_stops_reading_times_out_and_frees_the_printer(
    transport: str, size: int, pty_printer: PtyPrinter, tcp_printer: TcpPrinter, ticket: Ticket,
    tmp_path: Path,
) -> None:
    emulator: EmulatedPrinter = pty_printer if transport == "pty" else tcp_printer
    # one write may take 30 s, the whole job 1.5 s: the job's deadline must cut the write short
    cfg = _config(emulator, tmp_path, job_timeout=1.5, timeout=30)
    printer = EscposPrinter(cfg, now=clock_now)
    assert printer.print_document(ticket_document(ticket, barcode=False)).ok  # connected and well
    emulator.set(reading=False)  # the line is full from now on: writes block
    data = _huge_job(printer, ticket, size)  # far more than the pty or the loopback socket buffers hold
    result = finishes(lambda: printer.print_bytes(data), cfg.job_timeout)
    assert result.delivery is Delivery.NOT_PRINTED and "timed out" in result.reason
    _shown_on_screen(result)
    # the printing thread let go at the deadline: once the printer reads again, the next ticket prints
    emulator.set(reading=True)
    _settle(emulator)  # it first reads what the buffers held (over TCP it serves one client at a time)
    again = finishes(lambda: printer.print_document(ticket_document(ticket, barcode=False)), cfg.job_timeout)
    assert again.ok, again.reason
    printer.close()


def test_a_fifo_nobody_reads_is_not_printed_at_once(ticket: Ticket, tmp_path: Path) -> None:
    fifo = tmp_path / "lp0"
    os.mkfifo(fifo)
    printer = EscposPrinter(
        PrinterConfig(kind="file", path=fifo, job_timeout=2, fallback_dir=tmp_path / "fallback"), now=clock_now
    )
    result = finishes(lambda: printer.print_document(ticket_document(ticket)), 2)
    assert result.delivery is Delivery.NOT_PRINTED and "nothing reads it" in result.reason
    _shown_on_screen(result)
    printer.close()


def test_a_device_file_that_stops_reading_times_out(ticket: Ticket, tmp_path: Path) -> None:
    fifo = tmp_path / "lp0"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a device that is there, but takes nothing
    try:
        cfg = PrinterConfig(kind="file", path=fifo, job_timeout=1.5, timeout=30, fallback_dir=tmp_path / "fb")
        printer = EscposPrinter(cfg, now=clock_now)
        result = finishes(lambda: printer.print_bytes(_huge_job(printer, ticket, 1_000_000)), cfg.job_timeout)
        assert result.delivery is Delivery.NOT_PRINTED and "timed out" in result.reason
        assert 0 < result.bytes_sent < 1_000_000  # the pipe took what it holds, then stalled
        _shown_on_screen(result)
        with contextlib.suppress(BlockingIOError):  # the device takes data again
            while os.read(reader, 1 << 16):
                pass
        again = finishes(lambda: printer.print_document(ticket_document(ticket)), cfg.job_timeout)
        assert again.delivery is Delivery.UNKNOWN, again.reason  # written (the thread let go); unconfirmed
        printer.close()
    finally:
        os.close(reader)


def test_a_regular_file_gets_the_whole_ticket_or_nothing(ticket: Ticket, tmp_path: Path) -> None:
    target = tmp_path / "ticket.bin"
    target.write_bytes(b"the previous ticket")
    printer = EscposPrinter(PrinterConfig(kind="file", path=target, fallback_dir=tmp_path / "fb"), now=clock_now)
    result = printer.print_document(ticket_document(ticket))
    assert result.delivery is Delivery.UNKNOWN and "did not confirm" in result.reason  # a file cannot tell
    assert target.read_bytes() == printer.render(ticket_document(ticket))
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary left behind
    _shown_on_screen(result)


def _expected(reply: bytes) -> Delivery:
    """What an honest adapter must say about a printer answering ``reply`` to every status request."""
    state = interpret(lambda _n: reply[0] if reply else None).state
    if state in (PrinterState.ONLINE, PrinterState.PAPER_NEAR_END):
        return Delivery.PRINTED
    return Delivery.UNKNOWN if state is PrinterState.UNKNOWN else Delivery.NOT_PRINTED


def _print_once(emulator: PtyPrinter, ticket: Ticket, tmp_path: Path) -> PrintResult:
    printer = EscposPrinter(_config(emulator, tmp_path, job_timeout=5), now=clock_now)
    try:
        return finishes(lambda: printer.print_document(ticket_document(ticket, barcode=False)), 5)
    finally:
        printer.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(reply=st.binary(max_size=8))
def test_any_status_reply_gives_an_honest_outcome(reply: bytes, ticket: Ticket, tmp_path: Path) -> None:
    with PtyPrinter() as emulator:
        emulator.set(reply_with=reply)
        result = _print_once(emulator, ticket, tmp_path)
    assert result.delivery is _expected(reply), (reply, result)
    if not result.ok:
        _shown_on_screen(result)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fail_after=st.integers(min_value=0, max_value=3_000),
       fail_with=st.sampled_from(["paper_out", "cover_open", "error", "silent"]))
def test_a_fault_at_any_byte_is_never_printed(fail_after: int, fail_with: str, ticket: Ticket, tmp_path: Path) -> None:
    with PtyPrinter() as emulator:
        emulator.set(fail_after=fail_after, fail_with=fail_with)
        result = _print_once(emulator, ticket, tmp_path)
        fault_came = emulator.state.fail_after is None  # the emulator clears it when the fault appears
    assert result.ok is not fault_came, (fail_after, fail_with, result)
    if fault_came:
        expected = Delivery.UNKNOWN if fail_with == "silent" else Delivery.NOT_PRINTED
        assert result.delivery is expected and "incomplete" in result.reason
        _shown_on_screen(result)


@settings(max_examples=500, deadline=None)
@given(replies=st.lists(st.one_of(st.none(), st.integers(min_value=0, max_value=255)), max_size=6))
def test_status_interpretation_never_raises_and_needs_a_valid_first_reply(replies: list[int | None]) -> None:
    answers = iter(replies)
    status = interpret(lambda _n: next(answers, None))
    first = replies[0] if replies else None
    if first is None or first & 0x93 != 0x12:
        assert status.state is PrinterState.UNKNOWN
    if status.state in (PrinterState.ONLINE, PrinterState.PAPER_NEAR_END):
        assert len(replies) >= 2 and replies[1] is not None  # "ready" needs the paper sensor's word too
