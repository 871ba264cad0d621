"""Paper runs out in the middle of a ticket on a serial printer (a pty emulator): the patient gets the
ticket on screen with a message, and the kiosk goes on serving the next patient."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from devices.printer.emulator import PtyPrinter
from devices.printer.ports import Delivery
from devices.printer.preview import render
from kiosk.app.pilot import open_pilot
from kiosk.clock import ManualClock
from kiosk.demo_registry import DEMO_PATIENTS
from kiosk.ticket_desk import NOT_PRINTED, TAKE_TICKET, UNCONFIRMED
from screens.pilot import Pilot
from screens.walkthrough import book_first_free_slot
from tests.ui.conftest import demo_config

pytestmark = pytest.mark.ui


def wait_until(condition: Callable[[], bool], seconds: float = 5.0) -> bool:
    end = time.monotonic() + seconds
    while not condition() and time.monotonic() < end:
        time.sleep(0.05)
    return condition()


@pytest.fixture
def printer() -> Iterator[PtyPrinter]:
    with PtyPrinter() as emulated:
        yield emulated


@pytest.fixture
def serial_pilot(tmp_path: Path, window_ready: None, printer: PtyPrinter, clock: ManualClock) -> Iterator[Pilot]:
    config = demo_config(tmp_path, printer__kind="serial", printer__serial_port=printer.port,
                         printer__baudrate="115200", printer__fallback_dir=str(tmp_path / "fallback"))
    pilot = open_pilot(config, clock)
    yield pilot
    pilot.close()


def test_paper_out_mid_job_shows_the_ticket_and_serves_the_next_patient(
        serial_pilot: Pilot, printer: PtyPrinter) -> None:
    pilot = serial_pilot
    printer.set(fail_after=150, fail_with="paper_out")
    first = book_first_free_slot(pilot, DEMO_PATIENTS[2].policy, DEMO_PATIENTS[2].birth_date, None)
    done = pilot.screen("done")
    state = pilot.app.session.receipt
    assert state is not None and state.ticket is not None and not state.ticket.printed
    assert state.ticket.message == NOT_PRINTED
    assert done.ticket_message.startswith("Принтер сейчас не может печатать")
    assert done.ticket_state == "Талон не напечатан."
    assert done.ticket_image and Path(done.ticket_image).stat().st_size > 1_000
    assert 0 < len(printer.printed) < 1_000  # the printer really got part of the ticket

    printed_before = len(printer.printed)
    pilot.tap_id("finish", "done")
    pilot.wait_step("welcome")
    printer.set(fail_after=None, paper_out=False)
    second = book_first_free_slot(pilot, DEMO_PATIENTS[3].policy, DEMO_PATIENTS[3].birth_date, None)
    assert second.appointment.appointment_id != first.appointment.appointment_id
    state = pilot.app.session.receipt
    assert state is not None and state.ticket is not None and state.ticket.printed
    assert state.ticket.message == TAKE_TICKET and pilot.screen("done").ticket_message == "Заберите талон."
    assert pilot.screen("done").ticket_state == "Талон напечатан."
    second_ticket = render(bytes(printer.printed[printed_before:])).lines
    assert any("ТАЛОН НА ПРИЁМ" in line for line in second_ticket)
    assert any(DEMO_PATIENTS[3].last_name in line for line in second_ticket)


def test_paper_near_end_prints_and_warns_the_technician(serial_pilot: Pilot, printer: PtyPrinter,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    from devices.printer.ports import PrinterState

    printer.set(paper_near_end=True)
    with caplog.at_level("WARNING", logger="kiosk.ticket_desk"):
        book_first_free_slot(serial_pilot, DEMO_PATIENTS[2].policy, DEMO_PATIENTS[2].birth_date, None)
    state = serial_pilot.app.session.receipt
    assert state is not None and state.ticket is not None and state.ticket.printed
    assert any("needs attention" in record.getMessage() for record in caplog.records)
    desk_status = serial_pilot.app.services.ticket_desk.last_status
    assert desk_status is not None and desk_status.state is PrinterState.PAPER_NEAR_END


@pytest.mark.parametrize("fault", [
    {"mute": True},  # takes and prints every byte, never answers a status request
    {"reading": False},  # takes nothing more from the line: the ticket sits in the port's buffer
])
def test_a_printer_that_never_answers_shows_the_ticket_and_does_not_claim_it_printed(
        serial_pilot: Pilot, printer: PtyPrinter, fault: dict[str, bool]) -> None:
    printer.set(**fault)
    booked = book_first_free_slot(serial_pilot, DEMO_PATIENTS[2].policy, DEMO_PATIENTS[2].birth_date, None)
    receipt = serial_pilot.app.session.receipt
    assert receipt is not None and receipt.ticket is not None and receipt.appointment is not None
    assert receipt.appointment.appointment_id == booked.appointment.appointment_id  # the booking stands
    assert receipt.ticket.delivery is Delivery.UNKNOWN and receipt.ticket.message == UNCONFIRMED
    done = serial_pilot.screen("done")
    assert done.title == "Вы записаны"
    assert done.ticket_state == "Принтер не подтвердил, что талон напечатан."
    assert done.ticket_message == "Заберите талон. Если талон не вышел, сфотографируйте его."
    assert done.ticket_image and Path(done.ticket_image).stat().st_size > 1_000
    assert done.ids.ticket.opacity == 1  # the picture is on screen
    printer.set(reading=True)  # what the printer got (or gets now, from the port's buffer):
    assert wait_until(lambda: any("ТАЛОН НА ПРИЁМ" in line for line in printer.rendered().lines))
    assert not any("Напечатано" in line for line in printer.rendered().lines)  # the ticket never claims it
