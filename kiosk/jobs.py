"""The one bridge between worker threads and the UI thread (DESIGN §4).

``Jobs.submit`` runs a blocking call on a bounded pool and hands the result to
``on_ok`` or ``on_err`` through ``post``, a function that runs a callback on the
UI thread (the Kivy app passes one built on ``Clock.schedule_once``). Every job
remembers the generation it was started in; ``invalidate()`` starts a new
generation, so a late answer for a screen the patient has left is dropped.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
Post = Callable[[Callable[[], None]], None]


class Jobs:
    def __init__(self, post: Post, workers: int = 4) -> None:
        self._post = post
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kiosk-job")
        self._generation = 0
        self._lock = threading.Lock()
        self._pending = 0

    @property
    def generation(self) -> int:
        return self._generation

    @property
    def pending(self) -> int:
        """Jobs started and not yet delivered (or dropped)."""
        return self._pending

    def invalidate(self) -> None:
        """Drop the results of every job started before now."""
        with self._lock:
            self._generation += 1

    def submit(
        self,
        fn: Callable[[], T],
        on_ok: Callable[[T], Any],
        on_err: Callable[[BaseException], Any],
    ) -> None:
        generation = self._generation
        with self._lock:
            self._pending += 1
        future = self._pool.submit(fn)

        def deliver(done: Future[T]) -> None:
            def on_ui_thread() -> None:
                with self._lock:
                    self._pending -= 1
                    stale = generation != self._generation
                if stale:
                    log.debug("dropped a late result of %s", getattr(fn, "__name__", fn))
                    return
                error = done.exception()
                if error is not None:
                    on_err(error)
                else:
                    on_ok(done.result())

            self._post(on_ui_thread)

        future.add_done_callback(deliver)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
