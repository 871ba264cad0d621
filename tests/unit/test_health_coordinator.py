"""HealthCoordinator: status changes with their times, hysteresis, failing probes, its thread and push reports.

Time comes from a ManualClock at the suite's pinned instant; the coordinator's thread reads the
clock's monotonic time, so a test moves it by advancing the clock. Threads are awaited with
bounded waits on conditions and events, never with a sleep as the assertion.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest

from kiosk.clock import ManualClock, pinned_test_instant
from kiosk.health.card_reader import READER_GONE, READER_PRESENT, card_reader_feed
from kiosk.health.coordinator import HealthCoordinator
from kiosk.health.state import Health, HealthStatus, ProbeResult

AVAILABLE, DEGRADED = HealthStatus.AVAILABLE, HealthStatus.DEGRADED
UNAVAILABLE, UNKNOWN = HealthStatus.UNAVAILABLE, HealthStatus.UNKNOWN
WAIT_S = 5.0  # the longest any wait for a thread may take before the test fails (never reached when it works)

UP = ProbeResult(AVAILABLE, "answers")
DOWN = ProbeResult(UNAVAILABLE, "connection refused")


class ScriptedProbe:
    """Answers from a script (the last entry repeats); an Exception entry is raised. Counts its calls,
    how many run at once, and can be held inside a call with ``gate``."""

    def __init__(self, *outcomes: ProbeResult | Exception) -> None:
        self.outcomes: list[ProbeResult | Exception] = list(outcomes) or [UP]
        self.calls = 0
        self.running = 0
        self.most_at_once = 0
        self.gate: threading.Event | None = None
        self.entered = threading.Event()
        self._lock = threading.Condition()

    def script(self, *outcomes: ProbeResult | Exception) -> None:
        with self._lock:
            self.outcomes = list(outcomes)

    def __call__(self) -> ProbeResult:
        with self._lock:
            self.calls += 1
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
            outcome = self.outcomes.pop(0) if len(self.outcomes) > 1 else self.outcomes[0]
            self._lock.notify_all()
        self.entered.set()
        try:
            if self.gate is not None:
                assert self.gate.wait(WAIT_S), "the test never opened the gate"
            if isinstance(outcome, Exception):
                raise outcome
            return outcome
        finally:
            with self._lock:
                self.running -= 1

    def wait_for_calls(self, count: int) -> None:
        with self._lock:
            assert self._lock.wait_for(lambda: self.calls >= count, WAIT_S), f"{self.calls} probes, not {count}"


class Recorder:
    """A listener that remembers every Health it was given."""

    def __init__(self) -> None:
        self.seen: list[Health] = []
        self._changed = threading.Condition()

    def __call__(self, health: Health) -> None:
        with self._changed:
            self.seen.append(health)
            self._changed.notify_all()

    def statuses(self) -> list[HealthStatus]:
        with self._changed:
            return [health.status for health in self.seen]

    def wait_for(self, wanted: Callable[[Health], bool]) -> Health:
        with self._changed:
            assert self._changed.wait_for(lambda: any(wanted(h) for h in self.seen), WAIT_S), self.seen
            return next(h for h in self.seen if wanted(h))


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(pinned_test_instant())


@pytest.fixture
def stopped() -> Iterator[list[HealthCoordinator]]:
    """Coordinators a test started; stopped at the end whatever happens."""
    started: list[HealthCoordinator] = []
    yield started
    for coordinator in started:
        coordinator.stop()


def test_before_the_first_probe_the_device_is_unknown_never_fine(clock: ManualClock) -> None:
    coordinator = HealthCoordinator("registry", ScriptedProbe(), 15, clock)
    health = coordinator.current
    assert health.status is UNKNOWN and not health.usable
    assert health.since == clock.now() and health.checked_at is None


def test_a_probe_that_fails_then_recovers_is_told_with_its_since_times(clock: ManualClock) -> None:
    t0 = clock.now()
    probe = ScriptedProbe(UP, DOWN, DOWN, UP)
    coordinator = HealthCoordinator("registry", probe, 15, clock)
    heard = Recorder()
    coordinator.subscribe(heard)

    coordinator.probe_once()
    clock.advance(15)
    coordinator.probe_once()
    clock.advance(15)
    second_failure = coordinator.probe_once()
    clock.advance(15)
    coordinator.probe_once()

    assert heard.statuses() == [UNKNOWN, AVAILABLE, UNAVAILABLE, AVAILABLE]  # the repeated failure: no news
    assert [h.since - t0 for h in heard.seen[1:]] == [timedelta(0), timedelta(seconds=15), timedelta(seconds=45)]
    assert heard.seen[2].detail == "connection refused"
    # the second failure kept the status and its start, and moved only the time of the check
    assert second_failure.status is UNAVAILABLE and second_failure.since == t0 + timedelta(seconds=15)
    assert second_failure.checked_at == t0 + timedelta(seconds=30)
    assert coordinator.current.checked_at == t0 + timedelta(seconds=45)


def test_a_new_detail_is_news_but_the_same_status_keeps_its_since(clock: ManualClock) -> None:
    t0 = clock.now()
    probe = ScriptedProbe(DOWN, ProbeResult(UNAVAILABLE, "HTTP 503"))
    coordinator = HealthCoordinator("registry", probe, 15, clock)
    heard = Recorder()
    coordinator.subscribe(heard, replay=False)
    coordinator.probe_once()
    clock.advance(15)
    coordinator.probe_once()
    assert [(h.status, h.detail, h.since) for h in heard.seen] == [
        (UNAVAILABLE, "connection refused", t0),
        (UNAVAILABLE, "HTTP 503", t0),
    ]


def test_available_and_degraded_change_at_once(clock: ManualClock) -> None:
    probe = ScriptedProbe(UP, ProbeResult(DEGRADED, "paper near end"), UP)
    coordinator = HealthCoordinator("printer", probe, 30, clock, failures_to_fail=3, successes_to_recover=3)
    heard = Recorder()
    coordinator.subscribe(heard, replay=False)
    for _ in range(3):
        coordinator.probe_once()
    assert heard.statuses() == [AVAILABLE, DEGRADED, AVAILABLE]


def test_hysteresis_needs_failures_in_a_row_to_fail_and_successes_in_a_row_to_recover(clock: ManualClock) -> None:
    probe = ScriptedProbe(UP, DOWN, DOWN, UP, DOWN, DOWN, DOWN, UP, DOWN, UP, UP)
    coordinator = HealthCoordinator("registry", probe, 15, clock, failures_to_fail=3, successes_to_recover=2)
    heard = Recorder()
    coordinator.subscribe(heard, replay=False)
    seen_after = []
    for _ in range(11):
        clock.advance(15)
        seen_after.append(coordinator.probe_once().status)
    assert seen_after == [
        AVAILABLE,  # UP
        AVAILABLE, AVAILABLE,  # two failures are not yet three
        AVAILABLE,  # a success starts the count again
        AVAILABLE, AVAILABLE, UNAVAILABLE,  # three in a row
        UNAVAILABLE,  # one success is not yet two
        UNAVAILABLE,  # a failure starts that count again
        UNAVAILABLE, AVAILABLE,  # two in a row
    ]
    assert heard.statuses() == [AVAILABLE, UNAVAILABLE, AVAILABLE]
    unavailable = heard.seen[1]
    assert unavailable.since == pinned_test_instant() + timedelta(seconds=15 * 7)  # when the third failure came


def test_the_first_failure_after_unknown_is_taken_at_once_whatever_the_hysteresis(clock: ManualClock) -> None:
    coordinator = HealthCoordinator("registry", ScriptedProbe(DOWN), 15, clock, failures_to_fail=5)
    assert coordinator.probe_once().status is UNAVAILABLE
    assert coordinator.consecutive_failures == 1


def test_an_exception_in_a_probe_is_unavailable_with_its_text(clock: ManualClock) -> None:
    probe = ScriptedProbe(OSError("[Errno 5] Input/output\n error"), UP)
    coordinator = HealthCoordinator("printer", probe, 30, clock)
    health = coordinator.probe_once()
    assert health.status is UNAVAILABLE and health.detail == "[Errno 5] Input/output error"
    assert coordinator.probe_once().status is AVAILABLE  # and the next probe runs as usual


def test_a_probe_may_not_answer_unknown(clock: ManualClock) -> None:
    with pytest.raises(ValueError, match="UNAVAILABLE"):
        ProbeResult(UNKNOWN)

    def undecided() -> ProbeResult:
        return ProbeResult(UNKNOWN, "no idea")

    assert HealthCoordinator("printer", undecided, 30, clock).probe_once().status is UNAVAILABLE


def test_the_thread_probes_at_once_then_every_interval_of_the_clock(
    clock: ManualClock, stopped: list[HealthCoordinator]
) -> None:
    t0 = clock.now()
    probe = ScriptedProbe(UP, OSError("connection refused"), UP)
    coordinator = HealthCoordinator("registry", probe, 15, clock, tick_s=0.01)
    heard = Recorder()
    coordinator.subscribe(heard, replay=False)
    stopped.append(coordinator.start())

    assert heard.wait_for(lambda h: h.status is AVAILABLE).since == t0
    assert probe.calls == 1  # the clock stands still: no second probe before the interval
    clock.advance(15)
    down = heard.wait_for(lambda h: h.status is UNAVAILABLE)
    assert down.since == t0 + timedelta(seconds=15) and down.detail == "connection refused"
    clock.advance(15)
    back = heard.wait_for(lambda h: h.status is AVAILABLE and h.since > t0)
    assert back.since == t0 + timedelta(seconds=30)
    assert heard.statuses() == [AVAILABLE, UNAVAILABLE, AVAILABLE]


def test_refresh_probes_before_the_interval(clock: ManualClock, stopped: list[HealthCoordinator]) -> None:
    probe = ScriptedProbe(UP, DOWN)
    coordinator = HealthCoordinator("registry", probe, 600, clock, tick_s=600)
    heard = Recorder()
    coordinator.subscribe(heard, replay=False)
    stopped.append(coordinator.start())
    heard.wait_for(lambda h: h.status is AVAILABLE)
    coordinator.refresh()
    heard.wait_for(lambda h: h.status is UNAVAILABLE)
    assert probe.calls == 2


def test_stop_is_prompt_even_with_a_long_interval(clock: ManualClock) -> None:
    probe = ScriptedProbe(UP)
    coordinator = HealthCoordinator("printer", probe, 3600, clock, tick_s=3600)  # it would sleep an hour
    coordinator.start()
    probe.wait_for_calls(1)
    assert coordinator.running
    assert coordinator.stop(timeout=WAIT_S) is True  # woken, not left to sleep out its hour
    assert not coordinator.running


def test_no_second_probe_while_one_runs(clock: ManualClock, stopped: list[HealthCoordinator]) -> None:
    probe = ScriptedProbe(UP)
    probe.gate = threading.Event()
    coordinator = HealthCoordinator("registry", probe, 15, clock, tick_s=0.01)
    heard = Recorder()
    coordinator.subscribe(heard, replay=False)
    stopped.append(coordinator.start())
    assert probe.entered.wait(WAIT_S)

    clock.advance(100)  # several intervals pass while the probe hangs in its I/O
    coordinator.refresh()
    coordinator.refresh()
    assert coordinator.probe_once().status is UNKNOWN  # returned at once: no probe started beside it
    assert probe.calls == 1 and probe.most_at_once == 1

    probe.gate.set()
    heard.wait_for(lambda h: h.status is AVAILABLE)
    clock.advance(15)
    probe.wait_for_calls(2)
    assert probe.most_at_once == 1


def test_a_late_answer_after_stop_notifies_nobody(clock: ManualClock) -> None:
    probe = ScriptedProbe(DOWN)
    probe.gate = threading.Event()
    coordinator = HealthCoordinator("registry", probe, 15, clock, tick_s=0.01)
    heard = Recorder()
    coordinator.subscribe(heard, replay=False)
    coordinator.start()
    assert probe.entered.wait(WAIT_S)
    assert coordinator.stop(timeout=0.01) is False  # still inside the probe: left to its own deadline
    probe.gate.set()
    assert coordinator.stop(timeout=WAIT_S) is True
    assert heard.seen == [] and coordinator.current.status is UNKNOWN


def test_a_failing_listener_does_not_stop_the_others_nor_the_thread(
    clock: ManualClock, stopped: list[HealthCoordinator]
) -> None:
    def broken(_health: Health) -> None:
        raise RuntimeError("a screen went away")

    probe = ScriptedProbe(UP, DOWN)
    coordinator = HealthCoordinator("registry", probe, 15, clock, tick_s=0.01)
    heard = Recorder()
    coordinator.subscribe(broken, replay=False)
    coordinator.subscribe(heard, replay=False)
    stopped.append(coordinator.start())
    heard.wait_for(lambda h: h.status is AVAILABLE)
    clock.advance(15)
    heard.wait_for(lambda h: h.status is UNAVAILABLE)
    assert coordinator.running


def test_unsubscribed_listeners_hear_nothing_more(clock: ManualClock) -> None:
    coordinator = HealthCoordinator("registry", ScriptedProbe(UP, DOWN), 15, clock)
    heard = Recorder()
    unsubscribe = coordinator.subscribe(heard, replay=False)
    coordinator.probe_once()
    unsubscribe()
    coordinator.probe_once()
    assert heard.statuses() == [AVAILABLE]


def test_push_reports_from_the_card_monitor(clock: ManualClock) -> None:
    t0 = clock.now()
    reader = HealthCoordinator("card_reader", None, None, clock)
    assert reader.start() is reader and not reader.running  # push-style: no thread
    heard = Recorder()
    reader.subscribe(heard)
    reader_state = card_reader_feed(reader)

    reader_state(True)
    clock.advance(2)
    reader_state(True)  # the same news twice is one notification
    clock.advance(3)
    reader_state(False)
    clock.advance(7)
    reader_state(True)

    assert [(h.status, h.detail, h.since - t0) for h in heard.seen] == [
        (UNKNOWN, "not checked yet", timedelta(0)),
        (AVAILABLE, READER_PRESENT, timedelta(0)),
        (UNAVAILABLE, READER_GONE, timedelta(seconds=5)),
        (AVAILABLE, READER_PRESENT, timedelta(seconds=12)),
    ]
    with pytest.raises(RuntimeError, match="push-style"):
        reader.probe_once()


def test_reports_from_another_thread_reach_the_listener(clock: ManualClock) -> None:
    reader = HealthCoordinator("card_reader", None, None, clock)
    heard = Recorder()
    reader.subscribe(heard, replay=False)
    monitor = threading.Thread(target=card_reader_feed(reader), args=(False,), name="card-monitor")
    monitor.start()
    monitor.join(WAIT_S)
    assert heard.wait_for(lambda h: h.status is UNAVAILABLE).detail == READER_GONE


def test_reports_after_stop_are_ignored(clock: ManualClock) -> None:
    reader = HealthCoordinator("card_reader", None, None, clock)
    reader.report(AVAILABLE, READER_PRESENT)
    reader.stop()
    reader.report(UNAVAILABLE, READER_GONE)
    assert reader.current.status is AVAILABLE


@pytest.mark.parametrize(
    "arguments",
    [
        {"probe": ScriptedProbe(), "interval_s": None},
        {"probe": None, "interval_s": 15},
        {"probe": ScriptedProbe(), "interval_s": 0},
        {"probe": ScriptedProbe(), "interval_s": 15, "failures_to_fail": 0},
    ],
)
def test_bad_arguments_are_refused(clock: ManualClock, arguments: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        HealthCoordinator("registry", clock=clock, **arguments)  # type: ignore[arg-type]
