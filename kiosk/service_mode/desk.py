"""What the service screen does, in plain Python: the PIN gate, the technician's session, the state of
every device, recent errors, and the actions (test print, probe the devices again, restart).

Every action is logged as ``service <session>: <action>: <outcome>`` with the technician session's id
(8 random hex digits, a new one per opening) in the ``KIOSK_TECHNICIAN`` journal field. The offline
cache's part is ``cache`` (``kiosk.service_mode.cache_desk``: freshness and outbox lines, sync, retry,
discard) and the card test asks the card monitor through ``card_test`` (``CardSession.test_read``).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from devices.printer.ports import Printer
from kiosk.clock import Clock
from kiosk.health.board import HealthBoard
from kiosk.service_mode.config import ServiceConfig
from kiosk.service_mode.pin import PinGate, Verdict
from kiosk.service_mode.recent_errors import RecentErrors
from kiosk.tickets.print_test import print_test_document

if TYPE_CHECKING:
    from kiosk.service_mode.cache_desk import CacheDesk

log = logging.getLogger("kiosk.service_mode")

#: seconds the test card read waits for a card
CARD_TEST_S = 20.0


@dataclass(frozen=True)
class PrintTarget:
    printer: Printer
    columns: int
    kiosk_id: str


class ServiceDesk:
    def __init__(self, cfg: ServiceConfig, health: HealthBoard, target: PrintTarget, clock: Clock,
                 recent: RecentErrors, restart: Callable[[], None] | None = None) -> None:
        self.cfg = cfg
        self.gate = PinGate(cfg.pin_file, clock, max_tries=cfg.max_tries, lockout_s=cfg.lockout)
        self._health = health
        self._target = target
        self._clock = clock
        self.recent = recent
        self.restart_kiosk = restart
        self.technician: str | None = None
        self._lines: list[Callable[[], tuple[str, str]]] = []
        #: the offline cache's part (freshness, sync, the outbox), when there is a cache
        self.cache: CacheDesk | None = None
        #: asks the card monitor for the next card (``CardSession.test_read``), when there is a reader
        self.card_test: Callable[[float], str] | None = None

    # -- the technician's session -------------------------------------------------------------------

    def begin(self, pin: str) -> Verdict:
        verdict = self.gate.try_pin(pin)
        if verdict is Verdict.OPEN:
            self.technician = secrets.token_hex(4)
            self._log("open", "PIN accepted")
        else:
            log.warning("service entry refused: %s", verdict.value)
        return verdict

    def end(self, reason: str) -> None:
        if self.technician is not None:
            self._log("close", reason)
        self.technician = None

    def _log(self, action: str, outcome: str) -> None:
        log.info("service %s: %s: %s", self.technician or "-", action, outcome,
                 extra={"kiosk_technician": self.technician or ""})

    def _need_session(self) -> None:
        if self.technician is None:
            raise PermissionError("the service screen is not open")

    def act(self, action: str, work: Callable[[], str]) -> str:
        """Run one more action (the offline cache's, the card test) in the technician's session and log
        its outcome (or its failure) as every built-in action is logged."""
        self._need_session()
        try:
            outcome = work()
        except Exception as error:
            self._log(action, f"failed: {type(error).__name__}: {error}")
            raise
        self._log(action, outcome)
        return outcome

    # -- what it shows ------------------------------------------------------------------------------

    def add_line(self, line: Callable[[], tuple[str, str]]) -> None:
        """One more ``(name, text)`` line on the status list (the offline cache: freshness, outbox)."""
        self._lines.append(line)

    def status(self) -> list[tuple[str, str]]:
        self._need_session()
        now = self._clock.now()
        rows = []
        for health in self._health.snapshot():
            since = f"{health.since:%d.%m %H:%M}" if health.since else ""
            minutes = int((now - health.since).total_seconds() // 60)
            rows.append((health.device, f"{health.status.value} since {since} ({minutes} min) {health.detail}".strip()))
        rows += [line() for line in self._lines]
        return rows

    # -- actions ------------------------------------------------------------------------------------

    def test_print(self) -> str:
        """Print the test page (blocks up to the printer's job timeout: call it off the UI thread)."""
        self._need_session()
        target = self._target
        result = target.printer.print_document(print_test_document(target.columns, target.kiosk_id, self._clock.now()))
        outcome = f"printed {result.bytes_sent} bytes" if result.ok else f"not printed: {result.reason}"
        if result.warning:
            outcome += f" ({result.warning})"
        self._log("test print", outcome)
        return outcome

    def probe_devices(self) -> str:
        """Ask every polling coordinator for a probe now (the card reader reports by itself)."""
        self._need_session()
        for name in ("registry", "printer"):
            if name in self._health:
                self._health[name].refresh()
        self._log("probe devices", "asked")
        return "probes asked"

    def test_card(self, timeout_s: float = CARD_TEST_S) -> str:
        """Wait for the next card and say what the reader made of it (masked); blocks up to ``timeout_s``."""
        card_test = self.card_test
        return self.act("test card read",
                        lambda: card_test(timeout_s) if card_test is not None else "no card reader here")

    def restart(self) -> None:
        self._need_session()
        self._log("restart", "the kiosk stops; systemd starts it again (Restart=always)")
        self.end("restart")
        if self.restart_kiosk is not None:
            self.restart_kiosk()
