"""The patient never waits without a way out (issue 10), in the real window, driven by taps.

The demo registry is made slow through its admin endpoint (a real HTTP POST to /_admin/faults);
the kiosk talks to it over HTTP as to a production registry. Kiosk time moves on the ManualClock;
the slow answers take real seconds on the registry's side, and the test never waits for them.
"""

from __future__ import annotations

import json
import os
import socket
import tempfile
import threading
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.app.pilot import open_pilot
from kiosk.clock import ManualClock
from kiosk.demo_registry import DEMO_PATIENTS, DemoRegistryHandle, start_demo_registry
from screens.pilot import Pilot
from screens.walkthrough import start_booking, type_identity
from tests.ui.conftest import demo_config

pytestmark = pytest.mark.ui
PATIENT = next(p for p in DEMO_PATIENTS if p.kind == "attached")


@pytest.fixture
def registry(tmp_path: Path, clock: ManualClock) -> Iterator[DemoRegistryHandle]:
    with start_demo_registry(tmp_path / "registry.sqlite", 2026, clock=clock) as handle:
        yield handle


#: where to save the busy screen and its aftermath when asked (KIOSK_SCREENSHOTS=docs/screenshots)
SHOTS = Path(os.environ["KIOSK_SCREENSHOTS"]) if os.environ.get("KIOSK_SCREENSHOTS") else None

#: how long the registry takes to answer a slowed method (real seconds, on its side): longer than any
#: test waits, and the kiosk's own timeouts are longer still, so only «Отменить» or a deadline ends a wait
SLOW = 60


@pytest.fixture
def kiosk(tmp_path: Path, window_ready: None, registry: DemoRegistryHandle,
          clock: ManualClock) -> Iterator[Callable[..., Pilot]]:
    """The kiosk as in production (kind = emias) on the registry above; ``kiosk(**ini_overrides)``."""
    opened: list[Pilot] = []

    def open_kiosk(**overrides: str) -> Pilot:
        values = {"registry__kind": "emias", "registry__url": registry.url, "registry__retry_backoff": "0",
                  "registry__read_timeout": "100", "registry__call_deadline": "110", "jobs__deadline": "120",
                  "jobs__write_deadline": "150", **overrides}
        opened.append(open_pilot(demo_config(tmp_path, **values), clock))
        return opened[-1]

    yield open_kiosk
    for pilot in opened:
        pilot.close()


def faults(registry: DemoRegistryHandle, **changes: Any) -> None:
    """Through the registry's loopback admin endpoint, as a technician's script would."""
    request = urllib.request.Request(registry.admin_url, data=json.dumps(changes).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as answer:
        assert answer.status == 200


def wait_on_busy_screen(pilot: Pilot, clock: ManualClock) -> Any:
    """The busy overlay is up; the patient waits until it offers «Отменить»."""
    overlay = pilot.app._busy
    pilot.wait_until(lambda: overlay.parent is not None, "the busy overlay")
    assert not overlay.cancellable and overlay.ids["cancel"].disabled  # not at once
    clock.advance(pilot.app.services.jobs.config.offer_cancel_after)
    pilot.app.check_idle()  # the UI tick the Kivy clock runs twice a second
    pilot.wait_until(lambda: overlay.cancellable, "«Отменить» on the busy screen")
    pilot.pump(3)  # laid out where the finger will go
    assert overlay.ids["cancel"].text == "Отменить" and "больше времени" in overlay.ids["slow"].text
    return overlay


def test_a_slow_registry_can_be_cancelled_and_the_screen_works_again(
        kiosk: Callable[..., Pilot], registry: DemoRegistryHandle, clock: ManualClock) -> None:
    pilot = kiosk()
    start_booking(pilot, PATIENT.policy, PATIENT.birth_date)
    code = pilot.app.session.book.state.specialties[0].code
    faults(registry, latency=SLOW, methods=["getDoctorsInfo"])
    pilot.tap(pilot.screen("specialty").choice(f"specialty-{code}"))
    overlay = wait_on_busy_screen(pilot, clock)
    pilot.tap(overlay.ids["cancel"])
    pilot.wait_step("specialty")
    assert overlay.parent is None
    assert "Запрос отменён" in pilot.screen("specialty").error_text
    assert pilot.app.session.patient is not None  # nothing lost: the same patient, the same list
    faults(registry, reset=True)
    pilot.tap(pilot.screen("specialty").choice(f"specialty-{code}"))  # and it works again
    pilot.wait_step("doctor")
    assert pilot.app.session.book.state.doctors


def test_abandoned_slow_requests_do_not_keep_the_next_patient_waiting(
        kiosk: Callable[..., Pilot], registry: DemoRegistryHandle, clock: ManualClock) -> None:
    """The tester's report: four hanging requests filled the four workers and nobody got served."""
    pilot = kiosk()
    jobs = pilot.app.services.jobs
    assert jobs.config.workers == 4
    type_identity(pilot, PATIENT.policy, PATIENT.birth_date)
    faults(registry, latency=SLOW, methods=["getPatientInfo3"])
    for _ in range(jobs.config.workers):  # every one of them hangs, and the patient gives up
        pilot.tap_id("next", "identify")
        overlay = wait_on_busy_screen(pilot, clock)
        pilot.tap(overlay.ids["cancel"])
        pilot.wait_step("identify")
        assert "Запрос отменён" in pilot.screen("identify").error_text
        assert not pilot.screen("identify").ids["walk_in"].disabled  # the queue ticket is offered
    state = jobs.state()
    assert (state.threads, state.abandoned, state.stuck) == (4, 4, 0)  # all four hang, none past its deadline
    assert pilot.app.watchdog.withheld() is None
    faults(registry, reset=True)
    pilot.tap_id("next", "identify")  # the registry is quick again: served at once, on a fifth thread
    pilot.wait_step("specialty")  # «Записаться к врачу» lands on the specialties
    assert pilot.app.session.patient is not None and jobs.state().threads == 5


def test_the_idle_countdown_and_wipe_run_over_a_hanging_request(
        kiosk: Callable[..., Pilot], registry: DemoRegistryHandle, clock: ManualClock) -> None:
    pilot = kiosk(ui__idle_timeout="10", ui__idle_warning="20")
    start_booking(pilot, PATIENT.policy, PATIENT.birth_date)
    code = pilot.app.session.book.state.specialties[0].code
    faults(registry, latency=SLOW, methods=["getDoctorsInfo"])
    pilot.tap(pilot.screen("specialty").choice(f"specialty-{code}"))
    pilot.wait_until(lambda: pilot.app._busy.parent is not None, "the busy overlay")
    ui = pilot.app.ui_settings
    clock.advance(ui.idle_timeout + 1)
    pilot.app.check_idle()
    dialog = pilot.app._idle
    pilot.wait_until(lambda: dialog.parent is not None, "the idle countdown over the busy screen")
    assert pilot.app.session.status.busy  # the request still hangs
    clock.advance(ui.idle_warning)
    pilot.app.check_idle()
    pilot.wait_step("welcome")
    assert pilot.app.session.patient is None and pilot.app._busy.parent is None and dialog.parent is None


class NotifySocket:
    """systemd's end of $NOTIFY_SOCKET: a real unix datagram socket, read as it arrives (as systemd does)."""

    def __init__(self) -> None:
        self.path = Path(tempfile.mkdtemp(prefix="notify-")) / "sd"
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(self.path))
        self.sock.settimeout(0.1)
        self._lock = threading.Lock()
        self._inbox: list[str] = []
        self._stop = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while not self._stop.is_set():
            try:
                message = self.sock.recv(4096).decode()
            except TimeoutError:
                continue
            with self._lock:
                self._inbox.append(message)

    def received(self) -> list[str]:
        """What arrived since the last call."""
        with self._lock:
            messages, self._inbox = self._inbox, []
        return messages

    def close(self) -> None:
        self._stop.set()
        self._reader.join(5)
        self.sock.close()
        self.path.unlink()
        self.path.parent.rmdir()


def test_the_watchdog_ping_stops_while_every_worker_is_stuck_and_resumes_after(
        kiosk: Callable[..., Pilot], registry: DemoRegistryHandle, clock: ManualClock,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """systemd's side, for real: $NOTIFY_SOCKET and WATCHDOG_USEC as the unit sets them, the pings sent
    by the Kivy clock's own interval."""
    systemd = NotifySocket()
    monkeypatch.setenv("NOTIFY_SOCKET", str(systemd.path))
    monkeypatch.setenv("WATCHDOG_USEC", "200000")  # a ping every 0.1 s
    monkeypatch.delenv("WATCHDOG_PID", raising=False)
    heard: list[str] = []

    def hears(message: str) -> bool:
        heard.extend(systemd.received())
        return any(m.startswith(message) for m in heard)

    try:
        pilot = kiosk(jobs__workers="1", jobs__max_workers="1", registry__read_timeout="5",
                      registry__call_deadline="6", registry__read_retries="0", jobs__deadline="10")
        pilot.wait_until(lambda: hears("WATCHDOG=1"), "the first watchdog ping")
        start_booking(pilot, PATIENT.policy, PATIENT.birth_date)
        code = pilot.app.session.book.state.specialties[0].code
        faults(registry, latency=SLOW, methods=["getDoctorsInfo"])
        pilot.tap(pilot.screen("specialty").choice(f"specialty-{code}"))
        pilot.wait_until(lambda: pilot.app._busy.parent is not None, "the busy overlay")
        clock.advance(10)  # the only worker there may be is past its deadline
        pilot.app.check_idle()
        pilot.wait_until(lambda: hears("STATUS=not serving: all 1 job threads are stuck"), "the reason, to systemd")
        heard.clear()
        pilot.wait_step("specialty")  # the patient was told (the deadline), the screen is usable
        assert pilot.app.session.status.error is not None
        pilot.pump(10)
        assert pilot.app.services.jobs.state().stuck == 1 and not hears("WATCHDOG=1")  # no pings meanwhile
        # the registry call ends at its own deadline (real seconds): the worker is back, the pings resume
        pilot.wait_until(lambda: pilot.app.services.jobs.state().running == 0, "the worker to come back")
        pilot.wait_until(lambda: hears("STATUS=serving patients") and hears("WATCHDOG=1"), "the pings again")
    finally:
        systemd.close()


class TricklingRegistry:
    """A registry that answers "200 OK" and then one byte at a time, never the end (the tester's report).

    A real TCP server on loopback; every connection gets the same treatment until ``stop()``."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self._server.getsockname()[1]}/api/emc/appointment-eip/v1/"
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _address = self._server.accept()
            except TimeoutError:
                continue
            except OSError:  # closed by stop()
                return
            self.connections += 1
            threading.Thread(target=self._trickle, args=(conn,), daemon=True).start()

    def _trickle(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{")
                while not self._stop.wait(0.1):
                    conn.sendall(b" ")
            except OSError:
                return

    def stop(self) -> None:
        self._stop.set()
        self._server.close()


def test_a_trickling_answer_is_cancelled_and_the_patient_leaves_with_a_queue_ticket(
        tmp_path: Path, window_ready: None, clock: ManualClock) -> None:
    trickling = TricklingRegistry()
    pilot = None
    try:
        config = demo_config(tmp_path, registry__kind="emias", registry__url=trickling.url,
                             registry__retry_backoff="0", registry__read_timeout="100",
                             registry__call_deadline="110", jobs__deadline="120", jobs__write_deadline="150",
                             cache__enabled="no")  # the answer itself is waited for (no cache to fall back on)
        pilot = open_pilot(config, clock)
        type_identity(pilot, PATIENT.policy, PATIENT.birth_date)
        pilot.tap_id("next", "identify")
        overlay = wait_on_busy_screen(pilot, clock)
        assert trickling.connections >= 1
        if SHOTS:
            pilot.shot(SHOTS / "busy-cancel.png")
        pilot.tap(overlay.ids["cancel"])
        pilot.wait_step("identify")
        screen = pilot.screen("identify")
        if SHOTS:
            pilot.shot(SHOTS / "cancelled-walk-in.png")
        assert "Запрос отменён" in screen.error_text and not screen.ids["walk_in"].disabled
        pilot.tap_id("walk_in", "identify")  # the next step the screen offers: a queue ticket to the desk
        pilot.wait_step("done")
        receipt = pilot.app.session.receipt
        assert receipt is not None and receipt.walk_in_number is not None
        assert receipt.walk_in_number in pilot.screen("done").title
    finally:
        if pilot is not None:
            pilot.close()
        trickling.stop()
