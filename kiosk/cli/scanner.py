"""Technician commands for the 2D scanner.

``kiosk scanner decode --hex HEX [--json] [--show-personal-data]``
    Decode one payload without a scanner, as the kiosk reads it: a paper policy's barcode (the
    fields of ``kiosk card read --json``; policy and birth date masked unless --show-personal-data),
    a policy number, a ticket's check-in pass (checked with this kiosk's ticket key, for today),
    or why the kiosk refuses it. Exit 0 = the kiosk would accept it; 1 = refused; 2 = bad hex.
``kiosk scanner listen [--port DEVICE] [--seconds N] [--count N] [--show-personal-data]``
    Open the configured scanner ([scanner] port, or --port) through the kiosk's own reader and print
    each scan as it comes: its length and what it reads as (masked), and when the port opens or is
    lost. Ctrl-C, --seconds or --count ends it. Exit 0; 2 = no serial scanner configured and no --port.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import queue
import sys
import time
from datetime import date
from typing import Any

from devices.card.enp import mask_enp
from devices.scanner import oms_barcode
from devices.scanner.config import ScannerConfig
from devices.scanner.framing import Frame
from kiosk.clock import clock_from_environment
from kiosk.config import load_config
from kiosk.config.loader import DEFAULT_LOCATIONS
from kiosk.scan_reading import ScanKind, ScanReading, read_scan
from kiosk.tickets.check_in_pass import TicketKeyError, load_ticket_key

EXIT_REFUSED, EXIT_USAGE = 1, 2


def register(subparsers: argparse._SubParsersAction) -> None:
    scanner = subparsers.add_parser("scanner", help="decode a scanned payload, listen to the 2D scanner")
    commands = scanner.add_subparsers(dest="scanner_command", metavar="ACTION", required=True)
    decode = commands.add_parser("decode", help="decode one payload as the kiosk reads a scan")
    decode.add_argument("--hex", required=True, help="the payload's bytes in hex (spaces allowed)")
    decode.add_argument("--json", action="store_true", help="print JSON instead of text")
    decode.add_argument("--show-personal-data", action="store_true", help="show policy number and birth date")
    decode.set_defaults(func=run_decode)
    listen = commands.add_parser("listen", help="print what the scanner sends, scan by scan")
    listen.add_argument("--port", default=None, help="device to open (default: [scanner] port)")
    listen.add_argument("--seconds", type=float, default=None, help="stop after this many seconds")
    listen.add_argument("--count", type=int, default=None, help="stop after this many scans")
    listen.add_argument("--show-personal-data", action="store_true", help="show policy number, birth date, hex")
    listen.set_defaults(func=run_listen)


# -- what the kiosk needs to read a scan ---------------------------------------------------------------

def _config_parts(args: argparse.Namespace) -> tuple[ScannerConfig, bytes | None, bool]:
    """[scanner], the ticket key (None when there is none to read) and [card_reader] reject_expired."""
    if args.config is None and not any(path.is_file() for path in DEFAULT_LOCATIONS):
        return ScannerConfig(), None, True
    config = load_config(args.config)
    key_file = config.scanner.ticket_key_file or config.kiosk.data_dir / "ticket-pass.key"
    try:
        key: bytes | None = load_ticket_key(key_file, create=False)
    except TicketKeyError:
        key = None
    return config.scanner, key, config.card_reader.reject_expired


def _shown(value: date | None, personal: bool) -> str:
    if value is None:
        return ""
    return value.strftime("%d.%m.%Y") if personal else "**.**.****"


def masked_text(data: bytes) -> str:
    """The text with its digits starred but for the first and last four of 16 or more (as a masked policy),
    however they are grouped: a mistyped policy or a SNILS is not shown."""
    text = data.decode("utf-8", errors="replace")
    places = [index for index, char in enumerate(text) if char.isdigit()]
    kept = set(places[:4] + places[-4:]) if len(places) >= 16 else set()
    return "".join("*" if index in set(places) - kept else char for index, char in enumerate(text))


def describe(data: bytes, reading: ScanReading, personal: bool) -> dict[str, Any]:
    """What a technician sees of one scan: the kiosk's verdict, and a paper policy's fields."""
    result: dict[str, Any] = {"bytes": len(data), "kind": reading.kind.value, "detail": reading.detail}
    if reading.kind is ScanKind.REFUSED:
        result["patient_message"] = reading.message or ""
    if oms_barcode.looks_like_paper_policy(data):
        try:
            card = oms_barcode.decode(data)
        except oms_barcode.BarcodeError as error:
            result["error"] = error.reason
        else:
            result |= paper_policy_fields(card, personal)
    elif reading.kind is ScanKind.POLICY_NUMBER and reading.policy:
        result["policy"] = reading.policy if personal else mask_enp(reading.policy)
    elif reading.kind is ScanKind.TICKET and reading.ticket is not None:
        result["appointment_id"] = reading.ticket.appointment_id
        result["policy"] = reading.ticket.key.policy if personal else mask_enp(reading.ticket.key.policy)
    else:
        result["text"] = data.decode("utf-8", errors="replace") if personal else masked_text(data)
    if personal:
        result["hex"] = data.hex(" ").upper()
    return result


def paper_policy_fields(card: oms_barcode.PaperPolicy, personal: bool) -> dict[str, Any]:
    """The fields of ``kiosk card read --json`` that a paper policy's barcode has."""
    return {
        "card_type": f"paper_policy_{card.barcode_type:02d}",
        "surname": card.surname,
        "name": card.name,
        "patronymic": card.patronymic,
        "birth_date": _shown(card.birth_date, personal),
        "sex": card.sex.name.lower(),
        "policy": card.policy if personal else mask_enp(card.policy),
        "expiry": _shown(card.expiry, True) or "not limited",
        "insurer_ogrn": card.insurer_ogrn,
        "insurer_okato": card.insurer_okato,
    }


def _print(result: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    width = max(len(key) for key in result)
    for key, value in result.items():
        print(f"{key.replace('_', ' '):<{width}}  {value}")


# -- kiosk scanner decode --------------------------------------------------------------------------------

def run_decode(args: argparse.Namespace) -> int:
    try:
        data = bytes.fromhex(args.hex.replace(":", " "))
    except ValueError:
        print("kiosk scanner: --hex: not hex bytes (e.g. '01 00 16 E9 …')", file=sys.stderr)
        return EXIT_USAGE
    _cfg, key, reject_expired = _config_parts(args)
    reading = read_scan(Frame(data), today=clock_from_environment().today(), ticket_key=key,
                        reject_expired=reject_expired)
    _print(describe(data, reading, args.show_personal_data), args.json)
    return EXIT_REFUSED if reading.kind is ScanKind.REFUSED else 0


# -- kiosk scanner listen --------------------------------------------------------------------------------

def run_listen(args: argparse.Namespace) -> int:
    from devices.scanner.serial_reader import ScannerReader  # pyserial on use

    cfg, key, reject_expired = _config_parts(args)
    if args.port is None and cfg.kind != "serial":
        print(f"kiosk scanner: [scanner] kind = {cfg.kind}: give the device with --port", file=sys.stderr)
        return EXIT_USAGE
    if args.port is not None:
        cfg = dataclasses.replace(cfg, kind="serial", port=args.port)
    events: queue.Queue[tuple[str, Any]] = queue.Queue()
    reader = ScannerReader(cfg, frame=lambda frame: events.put(("scan", frame)),
                           state=lambda available, detail: events.put(("state", (available, detail))))
    clock = clock_from_environment()
    print(f"listening on {cfg.port} ({cfg.framing} framing); Ctrl-C ends", flush=True)
    reader.start()
    deadline = None if args.seconds is None else time.monotonic() + args.seconds
    scans = 0
    try:
        while deadline is None or time.monotonic() < deadline:
            try:
                kind, value = events.get(timeout=0.2)
            except queue.Empty:
                continue
            if kind == "state":
                available, detail = value
                print(f"scanner {'available' if available else 'unavailable'}: {detail}", flush=True)
                continue
            scans += 1
            frame: Frame = value
            reading = read_scan(frame, today=clock.today(), ticket_key=key, reject_expired=reject_expired)
            shown = describe(frame.data, reading, args.show_personal_data)
            print(f"scan {scans}: " + "; ".join(f"{k}={v}" for k, v in shown.items()), flush=True)
            if args.count is not None and scans >= args.count:
                break
    except KeyboardInterrupt:
        pass
    finally:
        reader.stop()
    return 0
