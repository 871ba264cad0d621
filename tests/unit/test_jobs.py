"""The jobs bridge: results arrive through post, late ones are dropped."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable

from kiosk.clock import ManualClock
from kiosk.jobs import Jobs, JobsConfig, JobTimedOut
from kiosk.watchdog import STALL_AFTER, WatchdogGate


def make_jobs() -> tuple[Jobs, queue.Queue[Callable[[], None]]]:
    inbox: queue.Queue[Callable[[], None]] = queue.Queue()
    return Jobs(post=inbox.put), inbox


def test_result_is_delivered_through_post_not_on_the_worker() -> None:
    jobs, inbox = make_jobs()
    seen: list[tuple[str, object]] = []
    jobs.submit(lambda: threading.current_thread().name, lambda r: seen.append(("ok", r)), seen.append)
    assert seen == []  # nothing runs until the UI thread drains its queue
    inbox.get(timeout=10)()
    assert seen[0][0] == "ok" and str(seen[0][1]).startswith("kiosk-job")
    assert jobs.pending == 0


def test_error_goes_to_on_err() -> None:
    jobs, inbox = make_jobs()
    errors: list[BaseException] = []

    def boom() -> None:
        raise ValueError("no")

    jobs.submit(boom, lambda _r: None, errors.append)
    inbox.get(timeout=10)()
    assert isinstance(errors[0], ValueError)


def test_invalidate_drops_late_results() -> None:
    jobs, inbox = make_jobs()
    gate = threading.Event()
    seen: list[object] = []
    jobs.submit(lambda: gate.wait(10), seen.append, seen.append)
    jobs.invalidate()  # the patient left the screen
    gate.set()
    inbox.get(timeout=10)()
    assert seen == []
    assert jobs.pending == 0


# -- deadlines, stuck workers, cancel (issue 10: the UI never waits without a way out) ----------------

def pool(clock: ManualClock, workers: int = 2, max_workers: int = 3,
         deadline: float = 10) -> tuple[Jobs, queue.Queue[Callable[[], None]]]:
    inbox: queue.Queue[Callable[[], None]] = queue.Queue()
    config = JobsConfig(workers=workers, max_workers=max_workers, deadline=deadline, write_deadline=deadline)
    return Jobs(post=inbox.put, clock=clock, config=config), inbox


class Blocked:
    """A job that hangs on an Event, as a request on a trickling answer does."""

    def __init__(self, result: object = "late") -> None:
        self.entered = threading.Event()
        self.release = threading.Event()
        self.result = result
        self.ran = False

    def __call__(self) -> object:
        self.ran = True
        self.entered.set()
        self.release.wait(30)
        return self.result


def drain(jobs: Jobs, inbox: queue.Queue[Callable[[], None]]) -> None:
    while jobs.pending:
        inbox.get(timeout=10)()


def test_a_job_past_its_deadline_times_out_and_its_late_result_is_dropped(clock: ManualClock) -> None:
    jobs, inbox = pool(clock)
    seen: list[object] = []
    job = Blocked()
    jobs.submit(job, seen.append, seen.append)
    assert job.entered.wait(10)
    clock.advance(9.9)
    jobs.tick()
    assert jobs.pending == 1 and inbox.empty()  # not yet
    clock.advance(0.1)
    jobs.tick()
    drain(jobs, inbox)
    assert len(seen) == 1 and isinstance(seen[0], JobTimedOut) and seen[0].started
    assert jobs.state().stuck == 1
    job.release.set()  # the hung call returns after all: nothing more reaches the UI
    wait_for(lambda: jobs.state().running == 0)
    assert inbox.empty() and seen[1:] == [] and jobs.pending == 0
    assert jobs.state().stuck == 0


def test_stuck_workers_are_replaced_so_the_next_patients_job_starts(clock: ManualClock) -> None:
    jobs, inbox = pool(clock, workers=2, max_workers=3)
    hung = [Blocked(), Blocked()]
    for job in hung:
        jobs.submit(job, lambda _r: None, lambda _e: None)
        assert job.entered.wait(10)
    clock.advance(11)
    jobs.tick()  # both past their deadline: stuck
    drain(jobs, inbox)
    assert jobs.state().stuck == 2
    seen: list[object] = []
    jobs.submit(lambda: "next patient", seen.append, seen.append)
    drain(jobs, inbox)
    assert seen == ["next patient"]  # a replacement thread ran it while both hang
    state = jobs.state()
    assert state.threads == 3 and state.serving
    for job in hung:
        job.release.set()
    wait_for(lambda: jobs.state().threads == 2)  # the extra thread ends once they are back
    assert jobs.state().stuck == 0


def test_the_pool_stops_serving_only_when_every_thread_it_may_have_is_stuck(clock: ManualClock) -> None:
    jobs, inbox = pool(clock, workers=2, max_workers=3)
    hung = [Blocked(), Blocked(), Blocked()]
    for job in hung[:2]:
        jobs.submit(job, lambda _r: None, lambda _e: None)
        assert job.entered.wait(10)
    assert jobs.serving()  # busy, but within their deadlines
    clock.advance(11)
    jobs.tick()
    assert jobs.serving()  # two stuck, but a third thread may still be started
    jobs.submit(hung[2], lambda _r: None, lambda _e: None)
    assert hung[2].entered.wait(10)
    clock.advance(11)
    jobs.tick()
    drain(jobs, inbox)
    assert not jobs.serving() and jobs.state().stuck == 3
    queued = Blocked()
    jobs.submit(queued, lambda _r: None, lambda _e: None)
    clock.advance(11)
    jobs.tick()  # it waited its whole deadline in the queue: it never runs
    for job in hung:
        job.release.set()
    wait_for(lambda: jobs.state().running == 0)
    drain(jobs, inbox)
    assert not queued.ran and jobs.serving() and jobs.state().queued == 0
    wait_for(lambda: jobs.state().threads == 2)


def test_a_queued_job_past_its_deadline_never_runs_and_says_so(clock: ManualClock) -> None:
    jobs, inbox = pool(clock, workers=1, max_workers=1)
    first, second = Blocked(), Blocked()
    seen: list[BaseException] = []
    jobs.submit(first, lambda _r: None, lambda _e: None)
    assert first.entered.wait(10)
    jobs.submit(second, lambda _r: None, seen.append)
    clock.advance(10)
    jobs.tick()
    drain(jobs, inbox)
    assert isinstance(seen[0], JobTimedOut) and not seen[0].started
    first.release.set()
    wait_for(lambda: jobs.state().running == 0)
    assert not second.ran and jobs.state().queued == 0


def test_cancel_drops_a_running_job_and_a_queued_one_never_runs(clock: ManualClock) -> None:
    jobs, inbox = pool(clock, workers=1, max_workers=1)
    running, waiting = Blocked(), Blocked()
    seen: list[object] = []
    handle = jobs.submit(running, seen.append, seen.append)
    assert running.entered.wait(10)
    queued = jobs.submit(waiting, seen.append, seen.append)
    assert jobs.cancel(queued) and not queued.started  # never sent anywhere
    assert jobs.cancel(handle) and handle.started  # it had started: a write may have happened
    assert not jobs.cancel(handle)  # once
    running.release.set()
    wait_for(lambda: jobs.state().running == 0)
    drain(jobs, inbox)
    assert seen == [] and not waiting.ran and jobs.pending == 0
    jobs.submit(lambda: "after", seen.append, seen.append)
    drain(jobs, inbox)
    assert seen == ["after"]


def test_cancel_is_too_late_once_the_outcome_is_on_its_way(clock: ManualClock) -> None:
    jobs, inbox = pool(clock)
    seen: list[object] = []
    handle = jobs.submit(lambda: "answer", seen.append, seen.append)
    deliver = inbox.get(timeout=10)  # done on the worker, not yet on the UI thread
    assert jobs.cancel(handle) is False
    deliver()
    assert seen == ["answer"] and jobs.pending == 0


def test_the_watchdog_is_withheld_when_no_job_can_start_or_the_ui_tick_stalls(clock: ManualClock) -> None:
    jobs, inbox = pool(clock, workers=1, max_workers=2)
    gate = WatchdogGate(jobs.state, clock)
    assert gate.withheld() is None
    hung = [Blocked(), Blocked()]
    for job in hung:  # each hangs past its deadline; the second runs on the first one's replacement
        jobs.submit(job, lambda _r: None, lambda _e: None)
        assert job.entered.wait(10)
        clock.advance(4)
        gate.beat()
        assert gate.withheld() is None  # busy within the deadline is serving
        clock.advance(7)
        gate.beat()
        jobs.tick()
    drain(jobs, inbox)
    assert gate.withheld() == "all 2 job threads are stuck past their deadline"
    for job in hung:
        job.release.set()
    wait_for(lambda: jobs.state().running == 0)
    assert gate.withheld() is None  # back: the pings resume
    clock.advance(STALL_AFTER)
    assert gate.withheld() == "the UI tick has not run for 10 s"
    gate.beat()
    assert gate.withheld() is None


def wait_for(condition: Callable[[], bool]) -> None:
    """Real threads finish in their own time: wait for them (the limit only stops a hung run)."""
    for _ in range(2000):
        if condition():
            return
        time.sleep(0.005)
    raise AssertionError("the worker threads did not get there")


def test_a_cancelled_job_does_not_hold_the_worker_the_next_patient_needs(clock: ManualClock) -> None:
    jobs, inbox = pool(clock, workers=1, max_workers=2)
    abandoned = Blocked()
    first = jobs.submit(abandoned, lambda _r: None, lambda _e: None)
    assert abandoned.entered.wait(10)
    seen: list[object] = []
    handle = jobs.submit(lambda: "next patient", seen.append, seen.append)
    assert jobs.state().queued == 1  # the only worker is busy, within its deadline: it waits
    jobs.cancel(first)  # the first patient tapped «Отменить»
    drain(jobs, inbox)
    assert seen == ["next patient"] and handle.settled  # a replacement ran it, no clock moved
    assert jobs.state().abandoned == 1 and jobs.state().stuck == 0 and jobs.serving()
    abandoned.release.set()
    wait_for(lambda: jobs.state().threads == 1)
