"""Technician commands for the card reader and the virtual OMS card.

``kiosk card read [--reader PATTERN] [--json] [--show-personal-data]``
    Read the card once: card type, ATR, owner and insurer (policy, SNILS, birth date
    and birth place masked unless --show-personal-data), APDU count, time.
    Exit 0 = read; 1 = card unreadable (reason printed); 2 = no pcscd or no reader; 3 = no card.
``kiosk card readers``
    PC/SC readers and whether a card is in each.
``kiosk virtual-card insert [PROFILE] [--no-start-pcscd]`` / ``kiosk virtual-card remove`` / ``status``
    ``insert`` runs ``python -m devices.card.virtual_card`` in the background (its own session);
    that process keeps the card in vpcd's reader, starts a private pcscd if none runs (root
    needed) and writes ``virtual-card.pid`` in the runtime dir once the card is in. ``remove``
    sends it SIGTERM: the card is pulled out and a pcscd it started is stopped. The runtime dir
    is $KIOSK_RUNTIME_DIR, else $XDG_RUNTIME_DIR/kiosk, else /run/kiosk for root, else
    /tmp/kiosk-<uid>; the card process logs to ``virtual-card.log`` there.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from devices.card.enp import mask_enp
from devices.card.errors import CardReadError
from devices.card.policy_record import PolicyCard, mask_snils
from devices.card.profile import available_profiles
from devices.card.virtual_card import VPCD_PORT
from kiosk.clock import clock_from_environment
from kiosk.config import load_config
from kiosk.config.loader import DEFAULT_LOCATIONS

EXIT_UNREADABLE, EXIT_NO_READER, EXIT_NO_CARD = 1, 2, 3


def register(subparsers: argparse._SubParsersAction) -> None:
    card = subparsers.add_parser("card", help="read the OMS policy card, list readers")
    card_commands = card.add_subparsers(dest="card_command", metavar="ACTION", required=True)
    read = card_commands.add_parser("read", help="read the card in the reader once")
    read.add_argument("--reader", default=None, help="part of the reader name (default: [card_reader] reader)")
    read.add_argument("--json", action="store_true", help="print JSON instead of text")
    read.add_argument("--show-personal-data", action="store_true",
                      help="show policy number, SNILS, birth date and place in full")
    read.add_argument("--timeout", type=float, default=3.0, help="seconds to wait for one card answer")
    read.set_defaults(func=run_read)
    readers = card_commands.add_parser("readers", help="list PC/SC readers and card presence")
    readers.set_defaults(func=run_readers)

    virtual = subparsers.add_parser("virtual-card", help="insert or remove the virtual OMS card (demo, tests)")
    virtual_commands = virtual.add_subparsers(dest="virtual_command", metavar="ACTION", required=True)
    insert = virtual_commands.add_parser("insert", help="insert a virtual card until 'remove'")
    insert.add_argument("profile", nargs="?", default="demo",
                        help=f"profile name ({', '.join(available_profiles())}) or a JSON file")
    insert.add_argument("--no-start-pcscd", action="store_true", help="do not start a private pcscd")
    insert.add_argument("--port", type=int, default=VPCD_PORT, help=f"vpcd's TCP port (default {VPCD_PORT})")
    insert.set_defaults(func=run_insert)
    remove = virtual_commands.add_parser("remove", help="pull the virtual card out")
    remove.set_defaults(func=run_remove)
    status = virtual_commands.add_parser("status", help="is a virtual card inserted?")
    status.set_defaults(func=run_status)


# -- kiosk card read / readers ------------------------------------------------------------------------

def _configured_reader(args: argparse.Namespace) -> str:
    if args.reader is not None:
        return str(args.reader)
    if args.config is None and not any(path.is_file() for path in DEFAULT_LOCATIONS):
        return ""  # no kiosk.ini anywhere: the first reader (a bad kiosk.ini is still reported)
    return load_config(args.config).card_reader.reader


def _shown(value: date | None, personal: bool, masked: str = "**.**.****") -> str:
    if value is None:
        return ""
    return value.strftime("%d.%m.%Y") if personal else masked


def card_fields(card: PolicyCard, personal: bool) -> dict[str, Any]:
    owner, insurer = card.owner, card.insurer
    return {
        "card_type": card.card_type.value,
        "atr": card.atr.hex(" ").upper(),
        "surname": owner.surname,
        "name": owner.name,
        "patronymic": owner.patronymic,
        "birth_date": _shown(owner.birth_date, personal),
        "sex": owner.sex.name.lower() if owner.sex else "",
        "policy": owner.policy if personal else mask_enp(owner.policy),
        "snils": owner.snils if personal else mask_snils(owner.snils),
        "expiry": _shown(owner.expiry, True) or "not limited",
        "issue_date": _shown(owner.issue_date, True),
        "birth_place": owner.birth_place if personal else ("***" if owner.birth_place else ""),
        "citizenship": f"{owner.citizenship_code} {owner.citizenship}".strip(),
        "insurer_ogrn": insurer.ogrn if insurer else "",
        "insurer_okato": insurer.okato if insurer else "",
        "insured_from": _shown(insurer.start if insurer else None, True),
        "insured_until": _shown(insurer.end if insurer else None, True) or "not limited",
    }


def _print(result: dict[str, Any], as_json: bool, stream: Any = sys.stdout) -> None:
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=2), file=stream)
        return
    width = max(len(key) for key in result)
    for key, value in result.items():
        print(f"{key.replace('_', ' '):<{width}}  {value}", file=stream)


def run_read(args: argparse.Namespace) -> int:
    from devices.card.pcsc import CallTimeoutError, PcscContext, PcscError, pick_reader, read_card  # PC/SC on use

    pattern = _configured_reader(args)
    today = clock_from_environment().today
    try:
        context = PcscContext()
    except (PcscError, CallTimeoutError) as exc:
        return _fail(args, "no_reader", f"pcscd is not available: {exc}", EXIT_NO_READER)
    try:
        reader = pick_reader(context.readers(), pattern)
        if reader is None:
            return _fail(args, "no_reader", f"no reader matches {pattern!r}", EXIT_NO_READER)
        try:
            outcome = read_card(context, reader, today=today, apdu_timeout=args.timeout, reject_expired=False)
        except CardReadError as exc:
            code = EXIT_NO_CARD if exc.reason == "no_card" else EXIT_UNREADABLE
            return _fail(args, exc.reason, exc.detail, code, reader=reader)
    except (PcscError, CallTimeoutError) as exc:
        return _fail(args, "no_reader", str(exc), EXIT_NO_READER)
    finally:
        context.release()
    result: dict[str, Any] = {"reader": reader, **card_fields(outcome.card, args.show_personal_data),
                              "expired": outcome.card.is_expired(today()),
                              "apdu_count": outcome.apdu_count, "elapsed_ms": round(outcome.elapsed * 1000, 1)}
    _print(result, args.json)
    return 0


def _fail(args: argparse.Namespace, reason: str, detail: str, code: int, reader: str = "") -> int:
    result = {"error": reason, "detail": detail, **({"reader": reader} if reader else {})}
    if args.json:
        _print(result, True)
    else:
        print(f"kiosk card: {reason}: {detail}", file=sys.stderr)
    return code


def run_readers(args: argparse.Namespace) -> int:
    from smartcard import scard

    from devices.card.pcsc import CallTimeoutError, PcscContext, PcscError  # PC/SC on use
    try:
        context = PcscContext()
        names = context.readers()
    except (PcscError, CallTimeoutError) as exc:
        print(f"kiosk card: pcscd is not available: {exc}", file=sys.stderr)
        return EXIT_NO_READER
    try:
        if not names:
            print("no readers")
        for name in names:
            state = context.status_change(name, scard.SCARD_STATE_UNAWARE, 0)
            if state & scard.SCARD_STATE_MUTE:
                presence = "card present, mute"
            elif state & scard.SCARD_STATE_PRESENT:
                presence = "card present"
            else:
                presence = "empty"
            print(f"{name}: {presence}")
    finally:
        context.release()
    return 0 if names else EXIT_NO_READER


# -- kiosk virtual-card -------------------------------------------------------------------------------

def runtime_dir() -> Path:
    if os.environ.get("KIOSK_RUNTIME_DIR"):
        path = Path(os.environ["KIOSK_RUNTIME_DIR"])
    elif os.environ.get("XDG_RUNTIME_DIR"):
        path = Path(os.environ["XDG_RUNTIME_DIR"]) / "kiosk"
    elif os.geteuid() == 0:
        path = Path("/run/kiosk")
    else:
        path = Path(f"/tmp/kiosk-{os.getuid()}")
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _running_card() -> tuple[int, str] | None:
    pidfile = runtime_dir() / "virtual-card.pid"
    try:
        pid_text, profile = [*pidfile.read_text().splitlines(), ""][:2]
        pid = int(pid_text)
        os.kill(pid, 0)
    except (OSError, ValueError):
        pidfile.unlink(missing_ok=True)
        return None
    return pid, profile


def run_insert(args: argparse.Namespace) -> int:
    running = _running_card()
    if running:
        print(f"kiosk virtual-card: card {running[1]!r} is already inserted (pid {running[0]}); "
              "run 'kiosk virtual-card remove' first", file=sys.stderr)
        return 1
    folder = runtime_dir()
    pidfile, logfile = folder / "virtual-card.pid", folder / "virtual-card.log"
    command = [sys.executable, "-m", "devices.card.virtual_card", args.profile, "--pidfile", str(pidfile),
               "--port", str(args.port)]
    if not args.no_start_pcscd:
        command.append("--start-pcscd")
    root = Path(__file__).resolve().parents[2]
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(root),
                                                                             os.environ.get("PYTHONPATH")]))}
    with open(logfile, "ab") as log:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True, env=environment)
    deadline = time.monotonic() + 20
    while not pidfile.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            if process.poll() is None:
                process.terminate()
            tail = logfile.read_text(errors="replace").splitlines()[-5:]
            print("kiosk virtual-card: the card could not be inserted:\n  " + "\n  ".join(tail), file=sys.stderr)
            return 1
        time.sleep(0.1)
    print(f"virtual card {args.profile!r} inserted (pid {process.pid}); log: {logfile}")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    running = _running_card()
    if running is None:
        print("kiosk virtual-card: no virtual card is inserted", file=sys.stderr)
        return 1
    pid, profile = running
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except OSError:
            break
        time.sleep(0.1)
    else:
        print(f"kiosk virtual-card: card process {pid} did not stop", file=sys.stderr)
        return 1
    print(f"virtual card {profile!r} removed")
    return 0


def run_status(args: argparse.Namespace) -> int:
    running = _running_card()
    if running is None:
        print("no virtual card inserted")
        return 1
    print(f"virtual card {running[1]!r} inserted (pid {running[0]})")
    return 0
