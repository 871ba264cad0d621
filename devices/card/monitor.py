"""Card events from a PC/SC reader: inserted(PolicyCard), removed(), unreadable(reason), reader_state(bool).

One daemon thread owns the adapter. It waits on ``SCardGetStatusChange`` (the
call pyscard's own CardMonitor is built on) with a short timeout, reads a new
card with :func:`devices.card.pcsc.read_card` on a fresh context, and turns
pcscd or reader loss into ``reader_state(False)``. It then retries with an
exponential backoff until the reader is back; no call can hang it, because every
pyscard call is time-boxed. pyscard's ``CardMonitor`` singleton is not used: it
stops for good when pcscd goes away and cannot watch one chosen reader.

Callbacks run on the adapter's thread; the app hops to its UI thread itself.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import date

from smartcard import scard

from devices.card.config import CardReaderConfig
from devices.card.errors import CardReadError
from devices.card.pcsc import (
    DEFAULT_APDU_TIMEOUT,
    DEFAULT_CALL_TIMEOUT,
    CallTimeoutError,
    PcscContext,
    PcscError,
    pick_reader,
    read_card,
)
from devices.card.policy_record import PolicyCard

log = logging.getLogger(__name__)

EVENT_COUNTER_MASK = 0xFFFF0000


class _ReaderGoneError(Exception):
    pass


def _ignore(*_args: object) -> None:
    return None


class CardMonitor:
    """Watches one reader (the first whose name contains ``reader_pattern``; empty = the first reader)."""

    def __init__(self, *, today: Callable[[], date], inserted: Callable[[PolicyCard], None],
                 removed: Callable[[], None] = _ignore,
                 unreadable: Callable[[str], None] = _ignore, reader_state: Callable[[bool], None] = _ignore,
                 reader_pattern: str = "", poll_interval: float = 0.5, call_timeout: float = DEFAULT_CALL_TIMEOUT,
                 apdu_timeout: float = DEFAULT_APDU_TIMEOUT, max_backoff: float = 5.0,
                 reject_expired: bool = True) -> None:
        self._inserted, self._removed = inserted, removed
        self._unreadable, self._reader_state = unreadable, reader_state
        self.reader_pattern = reader_pattern
        self.poll_interval = poll_interval
        self.call_timeout = call_timeout
        self.apdu_timeout = apdu_timeout
        self.max_backoff = max_backoff
        self.reject_expired = reject_expired
        self.today = today
        self.reader: str | None = None
        self.available: bool | None = None
        self.card_present = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @classmethod
    def from_config(cls, config: CardReaderConfig, *, today: Callable[[], date],
                    inserted: Callable[[PolicyCard], None],
                    removed: Callable[[], None] = _ignore, unreadable: Callable[[str], None] = _ignore,
                    reader_state: Callable[[bool], None] = _ignore) -> CardMonitor:
        """A monitor set up from the ``[card_reader]`` section."""
        return cls(today=today, inserted=inserted, removed=removed, unreadable=unreadable, reader_state=reader_state,
                   reader_pattern=config.reader, poll_interval=config.poll_interval,
                   apdu_timeout=config.apdu_timeout, reject_expired=config.reject_expired)

    def start(self) -> CardMonitor:
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="card-monitor", daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)
        self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def __enter__(self) -> CardMonitor:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- the adapter thread ------------------------------------------------------------------------

    def _run(self) -> None:
        backoff = self.poll_interval
        while not self._stop.is_set():
            context: PcscContext | None = None
            try:
                context = PcscContext(self.call_timeout)
                reader = pick_reader(context.readers(), self.reader_pattern)
                if reader is None:
                    raise _ReaderGoneError(f"no reader matching {self.reader_pattern!r}")
                self.reader = reader
                self._set_available(True)
                backoff = self.poll_interval
                self._watch(context, reader)
            except (PcscError, CallTimeoutError, _ReaderGoneError) as exc:
                log.info("card reader unavailable: %s", exc)
            except Exception:
                log.exception("card monitor error")
            finally:
                if context is not None:
                    context.release()
            if self._stop.is_set():
                break
            if self.card_present:
                self.card_present = False
                self._call(self._removed)
            self._set_available(False)
            self._stop.wait(backoff)
            backoff = min(backoff * 2, self.max_backoff)

    def _watch(self, context: PcscContext, reader: str) -> None:
        state = scard.SCARD_STATE_UNAWARE
        while not self._stop.is_set():
            new = context.status_change(reader, state, self.poll_interval)
            if new & (scard.SCARD_STATE_UNKNOWN | scard.SCARD_STATE_UNAVAILABLE | scard.SCARD_STATE_IGNORE):
                raise _ReaderGoneError(f"reader {reader!r} went away")
            if new == state:
                continue
            swapped = (state & EVENT_COUNTER_MASK) != (new & EVENT_COUNTER_MASK) and state != 0
            state = new & ~scard.SCARD_STATE_CHANGED
            present = bool(new & scard.SCARD_STATE_PRESENT)
            if self.card_present and (not present or swapped):
                self.card_present = False
                self._call(self._removed)
            if present and not self.card_present:
                self.card_present = True
                if new & scard.SCARD_STATE_MUTE:
                    self._call(self._unreadable, "mute")
                else:
                    self._read(reader)

    def _read(self, reader: str) -> None:
        context: PcscContext | None = None
        try:
            context = PcscContext(self.call_timeout)  # its own: a given-up call must not block our waits
            outcome = read_card(context, reader, today=self.today, apdu_timeout=self.apdu_timeout,
                                reject_expired=self.reject_expired)
        except CardReadError as exc:
            self._call(self._unreadable, exc.reason)
            return
        except (PcscError, CallTimeoutError) as exc:
            log.info("card could not be read: %s", exc)
            self._call(self._unreadable, "no_reader")
            return
        finally:
            if context is not None:
                context.release()
        log.info("policy card read: %s, %d APDUs, %.0f ms", outcome.card.masked_policy, outcome.apdu_count,
                 outcome.elapsed * 1000)
        self._call(self._inserted, outcome.card)

    def _set_available(self, available: bool) -> None:
        if self.available is not available:
            self.available = available
            log.info("card reader %s", "available" if available else "unavailable")
            self._call(self._reader_state, available)

    @staticmethod
    def _call(callback: Callable[..., None], *args: object) -> None:
        try:
            callback(*args)
        except Exception:
            log.exception("card event callback failed")
