"""The jobs bridge: results arrive through post, late ones are dropped."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

from kiosk.jobs import Jobs


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
