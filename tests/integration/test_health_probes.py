"""The health coordinators against real parts: the demo registry over loopback HTTP through the EMIAS
client, and the printer emulator on a pty (serial) and on TCP (network) through python-escpos.

The kiosk's clock is a ManualClock at the suite's pinned instant, shared with the demo registry.
The coordinators' threads wait on that clock, so "one probe interval later" is ``clock.advance``;
the tests wait for the threads with bounded waits, never with sleeps as assertions.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from devices.printer.config import PrinterConfig
from devices.printer.emulator import EmulatedPrinter, PtyPrinter, TcpPrinter
from devices.printer.factory import open_printer
from devices.printer.ports import Printer
from kiosk.clock import ManualClock, ShiftedClock, pinned_test_instant
from kiosk.demo_registry import DemoRegistryHandle, start_demo_registry
from kiosk.health.board import HealthBoard
from kiosk.health.config import HealthConfig
from kiosk.health.coordinator import HealthCoordinator
from kiosk.health.factory import printer_health, registry_health
from kiosk.health.notices import PRINTER_DOWN, REGISTRY_DOWN
from kiosk.health.state import Health, HealthStatus
from kiosk.registry.emias import EmiasRegistry

AVAILABLE, DEGRADED, UNAVAILABLE = HealthStatus.AVAILABLE, HealthStatus.DEGRADED, HealthStatus.UNAVAILABLE
WAIT_S = 10.0  # the longest a wait for a coordinator's thread may take before the test fails
CONFIG = HealthConfig(registry_interval=15, registry_timeout=2, printer_interval=30)
TICK_S = 0.02  # the threads look at the moved clock this often


class Watch:
    """A listener: every Health it heard, and a bounded wait for the next one that fits."""

    def __init__(self) -> None:
        self.seen: list[Health] = []
        self._read = 0  # how many of them next() has looked at
        self._changed = threading.Condition()

    def __call__(self, health: Health) -> None:
        with self._changed:
            self.seen.append(health)
            self._changed.notify_all()

    def next(self, wanted: Callable[[Health], bool]) -> Health:
        """The first Health after the one the previous call returned that fits ``wanted`` (waits for it)."""

        def found() -> int | None:
            return next((i for i in range(self._read, len(self.seen)) if wanted(self.seen[i])), None)

        with self._changed:
            assert self._changed.wait_for(lambda: found() is not None, WAIT_S), self.seen
            index = found()
            assert index is not None
            self._read = index + 1
            return self.seen[index]


def status_is(status: HealthStatus, device: str | None = None) -> Callable[[Health], bool]:
    return lambda health: health.status is status and device in (None, health.device)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(pinned_test_instant())


@pytest.fixture
def registry_db(tmp_path: Path) -> Path:
    return tmp_path / "registry.sqlite"


@pytest.fixture
def demo(registry_db: Path, clock: ManualClock) -> Iterator[DemoRegistryHandle]:
    handle = start_demo_registry(registry_db, seed=7, clock=clock)
    yield handle
    handle.stop()


@pytest.fixture
def client(demo: DemoRegistryHandle) -> Iterator[EmiasRegistry]:
    registry = EmiasRegistry(demo.url, connect_timeout=2, read_timeout=5, read_retries=0)
    yield registry
    registry.close()


@pytest.fixture
def coordinators() -> Iterator[list[HealthCoordinator]]:
    """Coordinators a test starts; stopped at the end whatever happens."""
    started: list[HealthCoordinator] = []
    yield started
    for coordinator in started:
        coordinator.stop()


def test_the_demo_registry_answers_the_probe(client: EmiasRegistry) -> None:
    client.probe(timeout=2)  # PATIENT_NOT_FOUND for the probe identity: it answers


def test_registry_stopped_then_started_again_on_the_same_port(
    demo: DemoRegistryHandle, client: EmiasRegistry, registry_db: Path, clock: ManualClock,
    coordinators: list[HealthCoordinator],
) -> None:
    t0 = clock.now()
    coordinator = registry_health(client, CONFIG, clock, tick_s=TICK_S)
    watch = Watch()
    coordinator.subscribe(watch, replay=False)
    coordinators.append(coordinator.start())
    assert watch.next(status_is(AVAILABLE)).since == t0

    demo.stop()
    clock.advance(CONFIG.registry_interval)  # one probe interval
    down = watch.next(status_is(UNAVAILABLE))
    assert down.since == clock.now() and "getSpecialitiesInfo" in down.detail

    again = start_demo_registry(registry_db, seed=7, port=demo.port, clock=clock)
    try:
        clock.advance(CONFIG.registry_interval)
        back = watch.next(status_is(AVAILABLE))
        assert back.since == clock.now()
    finally:
        coordinator.stop()
        again.stop()
    assert [h.status for h in watch.seen] == [AVAILABLE, UNAVAILABLE, AVAILABLE]


def test_registry_in_maintenance_is_unavailable(
    demo: DemoRegistryHandle, client: EmiasRegistry, clock: ManualClock, coordinators: list[HealthCoordinator]
) -> None:
    coordinator = registry_health(client, CONFIG, clock, tick_s=TICK_S)
    watch = Watch()
    coordinator.subscribe(watch, replay=False)
    coordinators.append(coordinator.start())
    watch.next(status_is(AVAILABLE))

    demo.set_faults(down=True)  # every request: HTTP 503
    clock.advance(CONFIG.registry_interval)
    assert "HTTP 503" in watch.next(status_is(UNAVAILABLE)).detail
    demo.set_faults(down=False)
    clock.advance(CONFIG.registry_interval)
    watch.next(status_is(AVAILABLE))


def test_a_slow_registry_is_degraded(demo: DemoRegistryHandle, client: EmiasRegistry) -> None:
    # the probe is timed on the clock's monotonic time, and the demo registry's latency is real time:
    # a clock pinned at the test instant that then runs like the real one sees it
    clock = ShiftedClock(pinned_test_instant())
    config = HealthConfig(registry_slow=0.1)
    demo.set_faults(latency=0.3)  # answers, but later than registry_slow
    assert registry_health(client, config, clock).probe_once().status is DEGRADED
    demo.set_faults(latency=0.0)
    assert registry_health(client, config, clock).probe_once().status is AVAILABLE


# -- the printer ------------------------------------------------------------------------------------


@pytest.fixture(params=["serial", "network"])
def emulated(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[EmulatedPrinter, PrinterConfig]]:
    emulator: EmulatedPrinter
    if request.param == "serial":
        emulator = PtyPrinter()
        cfg = PrinterConfig(kind="serial", serial_port=emulator.port, baudrate=115200, status_timeout=0.3,
                            fallback_dir=tmp_path)
    else:
        emulator = TcpPrinter()
        cfg = PrinterConfig(kind="network", host=emulator.host, port=emulator.port, status_timeout=0.3,
                            fallback_dir=tmp_path)
    with emulator:
        yield emulator, cfg


@pytest.fixture
def printer(emulated: tuple[EmulatedPrinter, PrinterConfig], clock: ManualClock) -> Iterator[Printer]:
    adapter = open_printer(emulated[1], now=clock.now)
    yield adapter
    adapter.close()


@pytest.mark.parametrize(
    ("fault", "status", "detail"),
    [
        ({"paper_out": True}, UNAVAILABLE, "paper end"),
        ({"silent": True}, UNAVAILABLE, "printer does not answer"),  # switched off
        ({"cover_open": True}, UNAVAILABLE, "cover open"),
        ({"paper_near_end": True}, DEGRADED, "paper near end"),
    ],
)
def test_printer_fault_and_back(
    emulated: tuple[EmulatedPrinter, PrinterConfig], printer: Printer, clock: ManualClock,
    coordinators: list[HealthCoordinator], fault: dict[str, bool], status: HealthStatus, detail: str,
) -> None:
    emulator, cfg = emulated
    coordinator = printer_health(printer, cfg, CONFIG, clock, tick_s=TICK_S)
    watch = Watch()
    coordinator.subscribe(watch, replay=False)
    coordinators.append(coordinator.start())
    watch.next(status_is(AVAILABLE))

    emulator.set(**fault)
    clock.advance(CONFIG.printer_interval)
    broken = watch.next(status_is(status))
    assert broken.detail == detail and broken.since == clock.now()

    emulator.set(**{name: False for name in fault})
    clock.advance(CONFIG.printer_interval)
    assert watch.next(status_is(AVAILABLE)).since == clock.now()


def test_a_file_printer_is_available_without_a_status(tmp_path: Path, clock: ManualClock) -> None:
    cfg = PrinterConfig(kind="file", path=tmp_path / "lp0", fallback_dir=tmp_path)
    printer = open_printer(cfg, now=clock.now)
    try:
        assert printer_health(printer, cfg, CONFIG, clock, tick_s=TICK_S).probe_once().status is AVAILABLE
    finally:
        printer.close()


# -- the scenario: switched off while the kiosk waits on its start screen ---------------------


def test_start_screen_notices_come_and_go_by_themselves(
    demo: DemoRegistryHandle, client: EmiasRegistry, registry_db: Path, clock: ManualClock,
    emulated: tuple[EmulatedPrinter, PrinterConfig], printer: Printer,
) -> None:
    emulator, printer_cfg = emulated
    board = HealthBoard([
        registry_health(client, CONFIG, clock, tick_s=TICK_S),
        printer_health(printer, printer_cfg, CONFIG, clock, tick_s=TICK_S),
    ])
    shown: list[tuple[str, ...]] = []
    changed = threading.Condition()

    def start_screen(_health: Health) -> None:  # what the composition root would post to the UI thread
        with changed:
            shown.append(board.notices())
            changed.notify_all()

    def wait_shown(notices: tuple[str, ...]) -> None:
        with changed:
            assert changed.wait_for(lambda: bool(shown) and shown[-1] == notices, WAIT_S), shown

    board.subscribe(start_screen)
    board.start()
    again: DemoRegistryHandle | None = None
    try:
        with changed:
            assert changed.wait_for(lambda: all(h.status is AVAILABLE for h in board.snapshot()), WAIT_S)
        assert board.notices() == ()

        demo.stop()
        emulator.set(silent=True)
        clock.advance(CONFIG.registry_interval)  # within the registry's interval: its notice
        wait_shown((REGISTRY_DOWN,))
        clock.advance(CONFIG.printer_interval - CONFIG.registry_interval)  # within the printer's: both
        wait_shown((REGISTRY_DOWN, PRINTER_DOWN))

        again = start_demo_registry(registry_db, seed=7, port=demo.port, clock=clock)
        emulator.set(silent=False)
        clock.advance(CONFIG.printer_interval)  # both probe again: the notices go away by themselves
        wait_shown(())
    finally:
        assert board.stop()
        if again is not None:
            again.stop()
