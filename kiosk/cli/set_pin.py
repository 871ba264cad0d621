"""``kiosk set-pin [--stdin]``: set the service screen's PIN (6 to 12 digits), stored as an scrypt hash
in ``[service] pin_file`` (root-owned, group kiosk, mode 0640: the service reads it, nobody else).

Asks twice without echo; ``--stdin`` reads one line instead (provisioning scripts). Exit 0 = set,
1 = not set (the reason is printed), 2 = a bad kiosk.ini.
"""

from __future__ import annotations

import argparse
import getpass
import grp
import sys

from kiosk.config import load_config
from kiosk.service_mode.pin import PIN_PATTERN, write_pin_file


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("set-pin", help="set the service screen's PIN (stored as an scrypt hash)")
    parser.add_argument("--stdin", action="store_true", help="read the PIN from one line of standard input")
    parser.set_defaults(func=run)


def _kiosk_group() -> int | None:
    try:
        return grp.getgrnam("kiosk").gr_gid
    except KeyError:
        return None


def run(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    path = config.service.pin_file
    if args.stdin:
        pin = sys.stdin.readline().strip()
    else:
        pin = getpass.getpass("New service PIN (6-12 digits): ")
        if getpass.getpass("Again: ") != pin:
            print("kiosk set-pin: the two PINs differ; nothing changed", file=sys.stderr)
            return 1
    if not PIN_PATTERN.fullmatch(pin):
        print("kiosk set-pin: the PIN must be 6 to 12 digits; nothing changed", file=sys.stderr)
        return 1
    try:
        write_pin_file(path, pin, _kiosk_group())
    except OSError as exc:
        print(f"kiosk set-pin: cannot write {path}: {exc.strerror or exc} (run it with sudo)", file=sys.stderr)
        return 1
    print(f"service PIN set in {path}")
    return 0
