"""Prepare Kivy and start the kiosk: the interactive app, or the scripted walk-through.

``kiosk.cli.run`` decides which (arguments, display) and calls in here; Kivy is
imported only inside these functions, after its environment and config are set.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import signal
from pathlib import Path

from kiosk.app.services import build_services
from kiosk.clock import clock_from_environment
from kiosk.config import KioskConfig

log = logging.getLogger(__name__)


def prepare_kivy(config: KioskConfig, offscreen: bool) -> None:
    """Kivy's environment and window settings; call before anything imports kivy's window."""
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
    from kiosk.app.lockdown_config import lock_config

    lock_config(config.ui.fullscreen)  # borderless, no cursor, no Esc, no inspector, no screen saver


def run_interactive(config: KioskConfig) -> int:
    prepare_kivy(config, offscreen=False)
    from kivy.clock import Clock

    from screens.app import KioskApp, on_ui_thread

    services = build_services(config, post=on_ui_thread, clock=clock_from_environment())
    app = KioskApp(services, config.ui)
    # systemctl stop sends SIGTERM: stop the app on its own thread so every service is closed
    signal.signal(signal.SIGTERM, lambda _sig, _frame: Clock.schedule_once(lambda _dt: app.stop()))
    app.run()
    log.info("kiosk stopped")
    return 0


def run_walkthrough(config: KioskConfig, out_dir: Path, offscreen: bool) -> int:
    prepare_kivy(config, offscreen=offscreen)
    from screens.pilot import configure_window

    configure_window(config.ui)  # before the app's modules come in
    from kiosk.app.pilot import open_pilot
    from kiosk.demo_registry import DEMO_PATIENTS
    from screens.walkthrough import contact_sheet, walk_through_errands

    out_dir.mkdir(parents=True, exist_ok=True)
    if config.registry.kind == "demo":
        # a fresh demo polyclinic for every walk-through, so it can be run again and again; beside the
        # demo registry's own file, outside the data directory (the registry's patients are in clear there)
        demo_db = config.registry.demo_db
        demo_db = demo_db if demo_db.is_absolute() else config.kiosk.data_dir / demo_db
        fresh_db = demo_db.resolve().with_name("walkthrough-" + demo_db.name)
        fresh_db.parent.mkdir(parents=True, exist_ok=True)
        fresh_db.unlink(missing_ok=True)
        config = dataclasses.replace(config, registry=dataclasses.replace(config.registry, demo_db=fresh_db))
    patient = next(p for p in DEMO_PATIENTS if p.kind == "attached")
    arriving = DEMO_PATIENTS[1]  # has a visit today (check-in)
    pilot = open_pilot(config, clock_from_environment())
    try:
        result = walk_through_errands(pilot, (patient.policy, patient.birth_date),
                                      (arriving.policy, arriving.birth_date), out_dir.resolve())
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


def run_offline_walkthrough(config: KioskConfig, out_dir: Path, offscreen: bool) -> int:
    """``bash .ci/demo --offline``: the registry goes down while a demo patient uses the kiosk.

    The walk-through starts its own demo registry on loopback (a fresh polyclinic beside the demo
    registry's file, outside the data directory) and runs the kiosk against it as a real registry
    (``kind = emias``, its own cache and sync), so it can take the registry down and bring it back."""
    prepare_kivy(config, offscreen=offscreen)
    from screens.pilot import configure_window

    configure_window(config.ui)  # before the app's modules come in
    from kiosk.app.pilot import open_pilot
    from kiosk.demo_registry import DEMO_PATIENTS, start_demo_registry
    from kiosk.offline.source import demo_sync_identity
    from screens.walkthrough import contact_sheet
    from screens.walkthrough_offline import walk_through_offline

    out_dir.mkdir(parents=True, exist_ok=True)
    demo_db = config.registry.demo_db
    demo_db = demo_db if demo_db.is_absolute() else config.kiosk.data_dir / demo_db
    fresh_db = demo_db.resolve().with_name("walkthrough-offline-" + demo_db.name)
    fresh_db.parent.mkdir(parents=True, exist_ok=True)
    for stale in (fresh_db, fresh_db.with_name(fresh_db.name + "-wal"), fresh_db.with_name(fresh_db.name + "-shm")):
        stale.unlink(missing_ok=True)
    data_dir = config.kiosk.data_dir / "walkthrough-offline-data"  # a cache of its own, made afresh
    for stale in (data_dir / "cache.sqlite", data_dir / "cache.sqlite-wal", data_dir / "cache.sqlite-shm"):
        stale.unlink(missing_ok=True)
    identity = fresh_db.with_name("walkthrough-offline-sync-identity")
    service = demo_sync_identity()
    identity.write_text(f"{service.policy} {service.birth_date.isoformat()}\n", encoding="utf-8")
    identity.chmod(0o600)
    clock = clock_from_environment()
    registry = start_demo_registry(fresh_db, config.registry.demo_seed, clock=clock)
    config = dataclasses.replace(
        config,
        kiosk=dataclasses.replace(config.kiosk, data_dir=data_dir),
        registry=dataclasses.replace(config.registry, kind="emias", url=registry.url),
        cache=dataclasses.replace(config.cache, enabled=True, file=Path("cache.sqlite"), key_file=Path("cache.key"),
                                  sync_identity_file=identity, offline_cancel="queue", offline_check_in="queue"),
    )
    patient = DEMO_PATIENTS[1]  # has a visit today and appointments to cancel
    pilot = open_pilot(config, clock)
    try:
        result = walk_through_offline(pilot, (patient.policy, patient.birth_date), registry.down, registry.up,
                                      out_dir.resolve())
    finally:
        pilot.close()
        registry.stop()
    for line in result.lines:
        print(line)
    print(f"Screenshots of every screen: {out_dir.resolve()}")
    if result.screenshots:
        print(f"All on one page: {contact_sheet(result.screenshots, out_dir.resolve() / 'walkthrough-offline.png')}")
    return 0
