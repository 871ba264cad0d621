"""The ticket desk never turns a made booking into an error, whatever the printer does."""

from __future__ import annotations

import logging
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from devices.printer.config import PrinterConfig
from devices.printer.document import Document
from devices.printer.emulator import PtyPrinter
from devices.printer.factory import open_printer
from devices.printer.ports import Delivery, PrinterStatus, PrintResult
from kiosk.clock import ManualClock
from kiosk.domain import Appointment, Patient, PatientKey
from kiosk.queue_numbers import QueueNumbers
from kiosk.ticket_desk import NO_TICKET, NOT_PRINTED, PREVIEW_NOTE, TAKE_TICKET, UNCONFIRMED, TicketDesk
from kiosk.tickets.config import TicketConfig
from tests.pinned import TEST_NOW, clock_now

MSK = ZoneInfo("Europe/Moscow")
VISIT = Appointment(334455667788, "RECEPTION", datetime(2026, 12, 1, 9, 0, tzinfo=MSK), None, "ГП № 176",
                    "ул. Примерная, 10", "214", "6", "Офтальмолог", "Петров П. П.")
PATIENT = Patient(PatientKey("7700000000000016", date(1985, 4, 12)), "Иванова", "Анна", "Сергеевна")


class BrokenPrinter:
    def print_document(self, doc: Document) -> PrintResult:
        raise OSError("the adapter has a bug")

    def status(self) -> PrinterStatus:
        raise OSError("the adapter has a bug")

    def close(self) -> None:
        pass


def desk(printer: object, tmp_path: Path, preview: bool = False) -> TicketDesk:
    return TicketDesk(printer, TicketConfig(), "test-01", 48, preview_only=preview,  # type: ignore[arg-type]
                      queue=QueueNumbers(tmp_path / "queue.sqlite"), clock=ManualClock(TEST_NOW))


def test_a_failing_printer_gives_an_outcome_not_an_exception(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR):
        outcome = desk(BrokenPrinter(), tmp_path).print_for(VISIT, PATIENT)
    assert not outcome.printed and outcome.image is None and outcome.message == NO_TICKET
    assert "334455667788" in caplog.text and PATIENT.key.policy not in caplog.text
    walk_in = desk(BrokenPrinter(), tmp_path).print_walk_in("Check of the policy data")
    assert walk_in.queue_number == "Р-001" and walk_in.message == NO_TICKET


def test_the_preview_printer_renders_the_ticket(tmp_path: Path) -> None:
    printer = open_printer(PrinterConfig(kind="preview", path=tmp_path / "tickets"), now=clock_now)
    outcome = desk(printer, tmp_path, preview=True).print_for(VISIT, PATIENT)
    assert outcome.message == PREVIEW_NOTE
    assert outcome.image is not None and outcome.image.stat().st_size > 1_000


def _serial(printer: PtyPrinter, tmp_path: Path) -> PrinterConfig:
    return PrinterConfig(kind="serial", serial_port=printer.port, baudrate=115200, status_timeout=0.2,
                         job_timeout=5, fallback_dir=tmp_path / "fallback")


@pytest.mark.parametrize(
    ("fault", "delivery", "message", "on_screen"),
    [
        ({}, Delivery.PRINTED, TAKE_TICKET, False),
        ({"mute": True}, Delivery.UNKNOWN, UNCONFIRMED, True),  # took the bytes, never answered
        ({"paper_out": True}, Delivery.NOT_PRINTED, NOT_PRINTED, True),
    ],
)
def test_the_outcome_says_what_the_printer_confirmed(
    tmp_path: Path, fault: dict[str, bool], delivery: Delivery, message: str, on_screen: bool
) -> None:
    with PtyPrinter() as emulated:
        emulated.set(**fault)
        printer = open_printer(_serial(emulated, tmp_path), now=clock_now)
        try:
            outcome = desk(printer, tmp_path).print_for(VISIT, PATIENT)
        finally:
            printer.close()
    assert outcome.delivery is delivery and outcome.printed is (delivery is Delivery.PRINTED)
    assert outcome.message == message
    assert (outcome.image is not None and outcome.image.is_file()) is on_screen


def test_a_file_printer_ticket_is_unconfirmed_and_shown(tmp_path: Path) -> None:
    printer = open_printer(PrinterConfig(kind="file", path=tmp_path / "lp0.bin", fallback_dir=tmp_path / "fb"),
                           now=clock_now)
    outcome = desk(printer, tmp_path).print_walk_in("Check of the policy data")
    assert outcome.delivery is Delivery.UNKNOWN and outcome.message == UNCONFIRMED
    assert outcome.image is not None and outcome.image.is_file() and outcome.queue_number == "Р-001"
