"""The ``kiosk`` command: run the kiosk, or a technician subcommand.

Each subcommand lives in its own module under ``kiosk.cli`` and exposes
``register(subparsers)``, which adds its parser and sets ``func`` to a callable
``(args) -> int`` (the exit code). Modules are listed in ``COMMAND_MODULES``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

# Kivy parses sys.argv on import unless told not to; no subcommand may let it.
os.environ.setdefault("KIVY_NO_ARGS", "1")

from kiosk.config.loader import ConfigError

EXIT_BAD_CONFIG = 2

COMMAND_MODULES = (
    "kiosk.cli.run",
    "kiosk.cli.check_config",
    "kiosk.cli.registry",
    "kiosk.cli.card",
    "kiosk.cli.printer",
    "kiosk.cli.scanner",
    "kiosk.cli.cache",
    "kiosk.cli.outbox",
    "kiosk.cli.speech",
    "kiosk.cli.doctor",
    "kiosk.cli.set_pin",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="Инфомат: polyclinic self-service kiosk")
    parser.add_argument("--config", type=Path, default=None,
                        help="kiosk.ini to use (default: ./kiosk.ini, then /etc/kiosk/kiosk.ini)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:  # plain `kiosk [--config PATH]` starts the kiosk
        from kiosk.cli import run

        args.walkthrough = None
        args.func = run.run
    try:
        return int(args.func(args))
    except ConfigError as error:  # every subcommand: one line naming file, section, key and what is allowed
        print(f"kiosk: {error}", file=sys.stderr)
        return EXIT_BAD_CONFIG
