"""``kiosk run`` (the default): start the kiosk.

With a display, the interactive kiosk. Without one (no DISPLAY or
WAYLAND_DISPLAY), or with ``--walkthrough``, it still does the main job: a demo
patient books a visit by tapping through a real offscreen window, and the
screenshots and the ticket are saved and their place printed.

This module is the composition root's entry: the one place in ``kiosk`` that
imports ``screens`` (declared as the single exception in the import contract).
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import signal
import sys
from pathlib import Path

from kiosk.clock import clock_from_environment
from kiosk.config import KioskConfig, load_config
from kiosk.logs import configure_logging

log = logging.getLogger(__name__)

AUTO = "auto"  # --walkthrough without DIR: DATA_DIR/walkthrough


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("run", help="start the kiosk (the default command)")
    parser.add_argument("--walkthrough", nargs="?", const=AUTO, default=None, metavar="DIR",
                        help="book a visit as a demo patient by scripted taps and save screenshots to DIR "
                             "(default without a display: DATA_DIR/walkthrough)")
    parser.set_defaults(func=run)


def has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    configure_logging(config.logging.level)
    walkthrough: str | None = args.walkthrough
    if walkthrough is None and not has_display():
        print("kiosk: no display found (DISPLAY is not set): running the scripted walk-through offscreen",
              file=sys.stderr)
        walkthrough = AUTO
    if walkthrough is not None:
        out_dir = config.kiosk.data_dir / "walkthrough" if walkthrough == AUTO else Path(walkthrough)
        return run_walkthrough(config, out_dir)
    return run_interactive(config)


def _prepare_kivy(config: KioskConfig, offscreen: bool) -> None:
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_CONFIG", "1")
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    if offscreen:
        os.environ["SDL_VIDEODRIVER"] = "offscreen"
    from kivy.config import Config

    Config.set("graphics", "width", str(config.ui.width))
    Config.set("graphics", "height", str(config.ui.height))
    Config.set("graphics", "fullscreen", "auto" if config.ui.fullscreen else "0")
    Config.set("kivy", "exit_on_escape", "0")


def run_interactive(config: KioskConfig) -> int:
    _prepare_kivy(config, offscreen=False)
    from kivy.clock import Clock

    from kiosk.app.services import build_services
    from screens.app import KioskApp, on_ui_thread

    services = build_services(config, post=on_ui_thread, clock=clock_from_environment())
    app = KioskApp(services, config.ui)
    # systemctl stop sends SIGTERM: stop the app on its own thread so every service is closed
    signal.signal(signal.SIGTERM, lambda _sig, _frame: Clock.schedule_once(lambda _dt: app.stop()))
    app.run()
    log.info("kiosk stopped")
    return 0


def run_walkthrough(config: KioskConfig, out_dir: Path) -> int:
    _prepare_kivy(config, offscreen=not has_display())
    from kiosk.demo_registry import DEMO_PATIENTS
    from screens.pilot import Pilot, configure_window
    from screens.walkthrough import book_first_free_slot, contact_sheet

    configure_window(config.ui)
    out_dir.mkdir(parents=True, exist_ok=True)
    if config.registry.kind == "demo":
        # a fresh demo polyclinic for every walk-through, so it can be run again and again
        fresh_db = out_dir.resolve() / "demo-registry.sqlite"
        fresh_db.unlink(missing_ok=True)
        config = dataclasses.replace(config, registry=dataclasses.replace(config.registry, demo_db=fresh_db))
    patient = next(p for p in DEMO_PATIENTS if p.kind == "attached")
    pilot = Pilot.for_config(config, clock_from_environment())
    try:
        result = book_first_free_slot(pilot, patient.policy, patient.birth_date, out_dir.resolve())
    finally:
        pilot.close()
    booked = result.appointment
    print(f"Booked: appointment {booked.appointment_id}, {booked.specialty_name}, "
          f"{booked.start:%d.%m.%Y %H:%M}, cabinet {booked.room}")
    print(f"Screenshots of every screen: {out_dir.resolve()}")
    if result.ticket is not None:
        print(f"Ticket: {result.ticket}")
    sheet = contact_sheet([*result.screenshots, *([result.ticket] if result.ticket else [])],
                          out_dir.resolve() / "walkthrough.png")
    print(f"All on one page: {sheet}")
    return 0
