"""``kiosk check-config [PATH]``: validate a kiosk.ini without starting anything."""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk.config import load_config


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("check-config", help="check a kiosk.ini and exit (0 = good)")
    parser.add_argument("path", nargs="?", type=Path, default=None, help="file to check (default: --config)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    config = load_config(args.path or args.config)  # a ConfigError is reported by kiosk.cli.main
    print(f"{config.path}: OK; data in {config.kiosk.data_dir}")
    return 0
