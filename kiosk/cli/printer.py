"""Technician commands for the ticket printer.

``kiosk print-test``
    Prints every Russian letter in both cases, digits, a QR code (and a CODE128
    if [printer] barcode = yes), then shows the printer's status.
    Exit 0 = printed (the printer confirmed it); 1 = not printed (reason shown); 2 = sent, but
    the printer did not confirm it (file printers, or no status reply).
``kiosk printer status [--json]``
    Asks the printer (DLE EOT) within [printer] status_timeout.
    Exit 0 = ready (online or paper near end); 1 = cannot print (paper end, cover open,
    error); 2 = unknown (no answer, or a connection that cannot read status).
``kiosk printer emulate [--tcp] [--seconds N] [--fault FAULT]``
    Runs the ESC/POS printer emulator on a pseudo-terminal (or a loopback TCP port) and
    says which [printer] settings reach it; prints what it received when stopped.
    ``--fault`` starts it broken (e.g. ``mute``: prints, never answers a status request;
    ``stop-reading``: takes no data), to see what the patient is told.
``kiosk ticket render --appointment FILE.json --out PATH [--format escpos|png] [--walk-in]``
    Renders a ticket from an example file (docs/examples/appointment.json) with the
    configured model, code page and columns, without touching the printer.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from devices.printer.atomic_file import write_atomically
from devices.printer.config import PrinterConfig
from devices.printer.factory import open_printer
from devices.printer.models import MODELS
from devices.printer.options import codepage_table, writer_options
from devices.printer.ports import Delivery, PrinterState, PrinterStatus
from kiosk.clock import MOSCOW, clock_from_environment
from kiosk.config import load_config
from kiosk.domain import Appointment
from kiosk.i18n import set_language
from kiosk.tickets.config import TicketConfig
from kiosk.tickets.layout import ticket_document, walkin_document
from kiosk.tickets.model import WalkInTicket, ticket_for
from kiosk.tickets.print_test import print_test_document

EXIT_OK, EXIT_FAILED, EXIT_UNKNOWN = 0, 1, 2
#: ``kiosk printer emulate --fault`` → the emulator's state
EMULATOR_FAULTS: dict[str, dict[str, bool]] = {
    "mute": {"mute": True},
    "stop-reading": {"reading": False},
    "silent": {"silent": True},
    "paper-near-end": {"paper_near_end": True},
    "paper-out": {"paper_out": True},
    "cover-open": {"cover_open": True},
    "error": {"error": True},
}


def register(subparsers: argparse._SubParsersAction) -> None:
    test = subparsers.add_parser("print-test", help="print the Russian alphabet, digits and a QR code")
    test.set_defaults(func=run_print_test)

    printer = subparsers.add_parser("printer", help="ticket printer status and emulator")
    actions = printer.add_subparsers(dest="printer_command", metavar="ACTION", required=True)
    status = actions.add_parser("status", help="ask the printer for its state")
    status.add_argument("--json", action="store_true", help="print JSON instead of text")
    status.set_defaults(func=run_status)
    emulate = actions.add_parser("emulate", help="run an ESC/POS printer emulator on a pseudo-terminal")
    emulate.add_argument("--seconds", type=float, default=0, help="stop after this long (0 = until Ctrl-C)")
    emulate.add_argument("--tcp", action="store_true", help="a network printer on 127.0.0.1 instead of a pty")
    emulate.add_argument("--fault", choices=sorted(EMULATOR_FAULTS), help="start with this fault")
    emulate.set_defaults(func=run_emulate)

    ticket = subparsers.add_parser("ticket", help="render a ticket without printing")
    ticket_actions = ticket.add_subparsers(dest="ticket_command", metavar="ACTION", required=True)
    render = ticket_actions.add_parser("render", help="render a ticket from an appointment JSON file")
    render.add_argument("--appointment", type=Path, required=True, help="JSON file, see docs/examples/")
    render.add_argument("--out", type=Path, required=True, help="file to write")
    render.add_argument("--format", choices=("escpos", "png"), default="png", help="raw printer bytes or PNG")
    render.add_argument(
        "--walk-in", action="store_true", help="render the file's walk_in queue ticket instead"
    )
    render.set_defaults(func=run_render)


def _settings(args: argparse.Namespace) -> tuple[PrinterConfig, TicketConfig, str]:
    """[printer], [ticket] and the kiosk id; defaults when no kiosk.ini is found (ticket render only)."""
    config = load_config(args.config)
    set_language(config.kiosk.language)
    return config.printer, config.ticket, config.kiosk.kiosk_id


def _status_text(status: PrinterStatus) -> str:
    extra = ""
    if status.ticket_in_output is not None:
        extra = "; a ticket is waiting in the output" if status.ticket_in_output else "; output is empty"
    return f"{status.state.value} ({status.detail}{extra})"


def _exit_for(status: PrinterStatus) -> int:
    if status.state is PrinterState.UNKNOWN:
        return EXIT_UNKNOWN
    return EXIT_OK if status.can_print else EXIT_FAILED


def run_print_test(args: argparse.Namespace) -> int:
    printer_cfg, _, kiosk_id = _settings(args)
    clock = clock_from_environment()
    printer = open_printer(printer_cfg, now=clock.now)
    try:
        result = printer.print_document(
            print_test_document(printer_cfg.columns, kiosk_id, clock.now())
        )
        if result.ok:
            print(f"printed: {result.bytes_sent} bytes to {printer_cfg.kind} printer ({printer_cfg.model})")
        elif result.delivery is Delivery.UNKNOWN:
            print(f"sent, NOT confirmed: {result.bytes_sent} bytes to {printer_cfg.kind} printer; {result.reason}")
        else:
            print(f"NOT printed: {result.reason}")
        if result.warning:
            print(f"warning: {result.warning}")
        if result.png_path is not None:
            print(f"picture: {result.png_path}")
        print(f"status: {_status_text(printer.status())}")
    finally:
        printer.close()
    return {Delivery.PRINTED: EXIT_OK, Delivery.UNKNOWN: EXIT_UNKNOWN}.get(result.delivery, EXIT_FAILED)


def run_status(args: argparse.Namespace) -> int:
    printer_cfg, _, _ = _settings(args)
    printer = open_printer(printer_cfg, now=clock_from_environment().now)
    try:
        status = printer.status()
    finally:
        printer.close()
    if args.json:
        print(
            json.dumps(
                {"kind": printer_cfg.kind, "model": printer_cfg.model, **status.as_dict()}, ensure_ascii=False
            )
        )
    else:
        print(f"{printer_cfg.kind} printer ({printer_cfg.model}): {_status_text(status)}")
    return _exit_for(status)


def run_emulate(args: argparse.Namespace) -> int:
    from devices.printer.emulator import EmulatedPrinter, PtyPrinter, TcpPrinter

    emulator: EmulatedPrinter
    if args.tcp:
        tcp = TcpPrinter()
        emulator, where = tcp, f"kind = network, host = {tcp.host}, port = {tcp.port}"
    else:
        pty = PtyPrinter()
        emulator, where = pty, f"kind = serial, serial_port = {pty.port}"
    if args.fault:
        emulator.set(**EMULATOR_FAULTS[args.fault])
        where += f" (fault: {args.fault})"
    with emulator:
        print(f"ESC/POS printer emulator: set [printer] {where} (Ctrl-C to stop)", flush=True)
        end = time.monotonic() + args.seconds if args.seconds > 0 else None
        try:
            while end is None or time.monotonic() < end:
                time.sleep(0.2)
        except KeyboardInterrupt:
            pass
        print(f"received {len(emulator.received)} bytes; printed lines:")
        for line in emulator.rendered().lines:
            print(f"  {line}")
    return EXIT_OK


def _aware(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=MOSCOW)


def appointment_from_json(data: dict[str, Any]) -> Appointment:
    raw = data["appointment"]
    return Appointment(
        appointment_id=int(raw["appointment_id"]),
        kind=str(raw.get("kind", "RECEPTION")),
        start=_aware(raw["start"]),
        end=_aware(raw["end"]) if raw.get("end") else None,
        clinic=str(raw.get("clinic", "")),
        address=str(raw.get("address", "")),
        room=str(raw.get("room", "")),
        specialty_id=raw.get("specialty_id"),
        specialty_name=str(raw.get("specialty_name", "")),
        doctor_name=str(raw.get("doctor_name", "")),
    )


def run_render(args: argparse.Namespace) -> int:
    printer_cfg, ticket_cfg, kiosk_id = _settings(args)
    try:
        data = json.loads(args.appointment.read_text(encoding="utf-8"))
        now = _aware(data["printed_at"]) if data.get("printed_at") else clock_from_environment().now()
        if args.walk_in:
            walk = data["walk_in"]
            doc = walkin_document(
                WalkInTicket(
                    str(walk["queue_number"]),
                    str(walk.get("reason", "")),
                    kiosk_id,
                    now,
                    clinic=str(walk.get("clinic", "")),
                ),
                printer_cfg.columns,
            )
        else:
            ticket = ticket_for(
                appointment_from_json(data),
                str(data["patient_name"]),
                footer=ticket_cfg.footer,
                kiosk_id=kiosk_id,
                now=now,
                building=ticket_cfg.building,
            )
            doc = ticket_document(ticket, printer_cfg.columns)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"{args.appointment}: cannot read the appointment: {exc!r}", file=sys.stderr)
        return EXIT_FAILED

    from devices.printer.escpos_writer import render_escpos
    from devices.printer.preview import render

    escpos = render_escpos(doc, writer_options(printer_cfg))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if args.format == "escpos":
        write_atomically(args.out, escpos)
    else:
        picture = render(
            escpos, paper_dots=MODELS[printer_cfg.model].paper_dots, codepages=codepage_table(printer_cfg)
        )
        picture.save_png(args.out)
    print(
        f"{args.out}: {args.format}, {len(escpos)} bytes of ESC/POS for {printer_cfg.model}, "
        f"{printer_cfg.columns} columns"
    )
    return EXIT_OK
