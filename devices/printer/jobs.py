"""Run printer I/O on a worker thread so the caller never waits longer than a timeout."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class JobTimeoutError(Exception):
    pass


class SerialWorker:
    """One device, one job at a time; callers wait at most ``timeout`` seconds in total."""

    def __init__(self, name: str) -> None:
        self._lock = threading.Lock()
        self._name = name

    def run(self, job: Callable[[], T], timeout: float) -> T:
        deadline = time.monotonic() + timeout
        box: dict[str, object] = {}
        done = threading.Event()

        def target() -> None:
            try:
                if not self._lock.acquire(timeout=max(deadline - time.monotonic(), 0.0)):
                    box["error"] = JobTimeoutError("printer busy with an earlier job")
                    return
                try:
                    box["value"] = job()
                finally:
                    self._lock.release()
            except BaseException as exc:
                box["error"] = exc
            finally:
                done.set()

        threading.Thread(target=target, name=f"printer-{self._name}", daemon=True).start()
        if not done.wait(max(deadline - time.monotonic(), 0.0)):
            raise JobTimeoutError(f"no answer within {timeout:g} s")
        if "error" in box:
            raise box["error"]  # type: ignore[misc]
        return box["value"]  # type: ignore[return-value]
