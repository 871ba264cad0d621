"""Scan benchmark: identification and check-in by the 2D scanner against the card path, in one run.

Real parts: the demo registry on loopback, the EMIAS client, the session, the scanner's reader on a pty.
"scan → menu" is timed from the first byte written to the pty to the menu; the baseline "card → menu"
from a card event (the owner already read from the chip) to the menu. The check-in compares the ticket's
QR code with the card path of «Мои записи» → «Я пришёл». Registry calls are counted on the wire.

    .venv/bin/python bench/scan.py [--rounds 20]

Prints ratios (and the framing gap the scan includes by design); nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import queue
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from devices.printer.config import PrinterConfig
from devices.printer.factory import open_printer
from devices.scanner.config import ScannerConfig
from devices.scanner.virtual_scanner import VirtualScanner, demo_paper_policy
from kiosk.clock import ManualClock, SystemClock
from kiosk.demo_registry import DEMO_PATIENTS, start_demo_registry
from kiosk.domain import PatientKey
from kiosk.jobs import Jobs
from kiosk.queue_numbers import QueueNumbers
from kiosk.registry.emias import EmiasRegistry
from kiosk.scanner_session import ScannerSession
from kiosk.session.kernel import Session
from kiosk.ticket_desk import TicketDesk
from kiosk.tickets.check_in_pass import seal
from kiosk.tickets.config import TicketConfig

SERGEY = DEMO_PATIENTS[1]
KEY = PatientKey(SERGEY.policy, SERGEY.birth_date)
TICKET_KEY = bytes(32)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    rounds = parser.parse_args().rounds
    tmp = Path(tempfile.mkdtemp(prefix="bench-scan-"))
    clock = ManualClock(SystemClock().now())
    with start_demo_registry(tmp / "registry.sqlite", seed=7, clock=clock) as demo:
        inbox: queue.Queue[Callable[[], None]] = queue.Queue()
        jobs = Jobs(post=inbox.put)
        registry = EmiasRegistry(demo.url, connect_timeout=2, read_timeout=5, read_retries=0)
        calls: list[str] = []
        rpc: Any = registry.rpc
        original = rpc.call
        rpc.call = lambda method, params, **kw: (calls.append(method), original(method, params, **kw))[1]
        desk = TicketDesk(open_printer(PrinterConfig(kind="preview", path=tmp / "t"), now=clock.now),
                          TicketConfig(), "bench", 48, preview_only=True, queue=QueueNumbers(tmp / "q.sqlite"),
                          clock=clock, ticket_key=TICKET_KEY)
        session = Session(registry, jobs, desk, clock)
        emulator = VirtualScanner(link=tmp / "ttyACM0")
        cfg = ScannerConfig(kind="serial", port=emulator.port)
        opened = threading.Event()
        scanner = ScannerSession(cfg, session, inbox.put, clock, ticket_key=TICKET_KEY, reject_expired=True,
                                 scanner_state=lambda up, _why: opened.set() if up else None)
        scanner.start()
        opened.wait(10)

        def until(condition: Callable[[], bool]) -> None:
            while not condition():
                inbox.get(timeout=30)()

        def timed(start: Callable[[], None], done: Callable[[], bool]) -> tuple[float, int]:
            session.wipe()
            calls.clear()
            began = time.perf_counter()
            start()
            until(done)
            return time.perf_counter() - began, len(calls)

        on_menu = lambda: session.screen == "menu" and not session.status.busy  # noqa: E731
        by_scan = [timed(lambda: emulator.scan(demo_paper_policy()), on_menu) for _ in range(rounds)]
        by_card = [timed(lambda: session.card_inserted(KEY.policy, KEY.birth_date), on_menu) for _ in range(rounds)]
        scan_s, card_s = statistics.median(t for t, _ in by_scan), statistics.median(t for t, _ in by_card)
        print(f"identify: scan → menu {scan_s * 1000:.1f} ms, card event → menu {card_s * 1000:.1f} ms, "
              f"ratio {scan_s / card_s:.2f} (the scan includes the {cfg.gap * 1000:.0f} ms framing gap); "
              f"registry calls {by_scan[0][1]} vs {by_card[0][1]}")

        visit = registry.appointments(KEY)[0]
        clock.set(visit.start - timedelta(minutes=20))
        qr = seal(TICKET_KEY, KEY, visit.appointment_id, visit.start.date()).encode() + b"\r"
        on_done = lambda: session.screen == "done" and not session.status.busy  # noqa: E731
        ticket = [timed(lambda: emulator.scan(qr), on_done) for _ in range(rounds)]

        def by_card_check_in() -> None:
            session.card_inserted(KEY.policy, KEY.birth_date)
            until(on_menu)
            session.open_visits()
            until(lambda: session.screen == "visits" and not session.status.busy)
            session.visits.check_in(visit.appointment_id)

        card_check_in = [timed(by_card_check_in, on_done) for _ in range(rounds)]
        qr_s, card_ci_s = statistics.median(t for t, _ in ticket), statistics.median(t for t, _ in card_check_in)
        print(f"check-in: ticket QR → done {qr_s * 1000:.1f} ms, card + «Я пришёл» → done {card_ci_s * 1000:.1f} ms "
              f"(taps not counted), ratio {qr_s / card_ci_s:.2f}; registry calls {ticket[0][1]} vs "
              f"{card_check_in[0][1]}")
        scanner.stop()
        emulator.close()
        jobs.shutdown()
        registry.close()


if __name__ == "__main__":
    main()
