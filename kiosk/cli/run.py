"""``kiosk run`` (the default): start the kiosk.

With a display, the interactive kiosk. Without one (no DISPLAY or
WAYLAND_DISPLAY), or with ``--walkthrough``, it still does the main job: a demo
patient books a visit by tapping through a real offscreen window, and the
screenshots and the ticket are saved and their place printed.

Only the arguments are read here; starting the kiosk is the composition root's
(``kiosk.app.launch``), imported when the command runs, so ``kiosk --help`` and
the other subcommands never import Kivy.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from kiosk.config import load_config
from kiosk.logs import configure_logging

AUTO = "auto"  # --walkthrough without DIR: DATA_DIR/walkthrough


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("run", help="start the kiosk (the default command)")
    parser.add_argument("--walkthrough", nargs="?", const=AUTO, default=None, metavar="DIR",
                        help="book a visit as a demo patient by scripted taps and save screenshots to DIR "
                             "(default without a display: DATA_DIR/walkthrough)")
    parser.add_argument("--offline", action="store_true",
                        help="the offline walk-through: the registry goes down while a demo patient uses the "
                             "kiosk, and comes back (screenshots to DIR, default DATA_DIR/walkthrough-offline)")
    parser.set_defaults(func=run)


def has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    configure_logging(config.logging.level, config.logging.target)
    walkthrough: str | None = args.walkthrough
    if getattr(args, "offline", False):
        out_dir = config.kiosk.data_dir / "walkthrough-offline" if walkthrough in (None, AUTO) else Path(walkthrough)
        from kiosk.app.launch import run_offline_walkthrough

        return run_offline_walkthrough(config, out_dir, offscreen=not has_display())
    if walkthrough is None and not has_display():
        print("kiosk: no display found (DISPLAY is not set): running the scripted walk-through offscreen",
              file=sys.stderr)
        walkthrough = AUTO
    if walkthrough is not None:
        out_dir = config.kiosk.data_dir / "walkthrough" if walkthrough == AUTO else Path(walkthrough)
        from kiosk.app.launch import run_walkthrough

        return run_walkthrough(config, out_dir, offscreen=not has_display())
    from kiosk.app.launch import run_interactive

    return run_interactive(config)
