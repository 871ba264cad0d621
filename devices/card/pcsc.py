"""PC/SC through pyscard, with every call time-boxed.

pcsc-lite calls can block for a long time (a card that never answers, a pcscd
that is stuck). Each call here runs on a short-lived daemon thread and is given
up after its timeout; a context that had a call given up is never used again.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from smartcard import scard

from devices.card.errors import CardReadError
from devices.card.policy_record import PolicyCard
from devices.card.reader import PolicyReader

log = logging.getLogger(__name__)
T = TypeVar("T")

DEFAULT_CALL_TIMEOUT = 5.0
DEFAULT_APDU_TIMEOUT = 3.0

#: pcsc-lite codes meaning "no pcscd or no such reader"
READER_GONE = frozenset({scard.SCARD_E_NO_SERVICE, scard.SCARD_E_SERVICE_STOPPED, scard.SCARD_E_UNKNOWN_READER,
                         scard.SCARD_E_READER_UNAVAILABLE, scard.SCARD_E_NO_READERS_AVAILABLE,
                         scard.SCARD_E_INVALID_HANDLE, scard.SCARD_E_INVALID_PARAMETER,
                         scard.SCARD_E_NO_MEMORY, scard.SCARD_F_COMM_ERROR})
CARD_GONE = frozenset({scard.SCARD_W_REMOVED_CARD, scard.SCARD_E_NO_SMARTCARD, scard.SCARD_W_RESET_CARD,
                       scard.SCARD_E_NOT_TRANSACTED, scard.SCARD_E_PROTO_MISMATCH})
CARD_MUTE = frozenset({scard.SCARD_W_UNRESPONSIVE_CARD, scard.SCARD_W_UNPOWERED_CARD,
                       scard.SCARD_W_UNSUPPORTED_CARD})


class CallTimeoutError(Exception):
    """A pyscard call did not return in time (its thread is abandoned)."""


class PcscError(Exception):
    def __init__(self, what: str, code: int) -> None:
        super().__init__(f"{what}: {scard.SCardGetErrorMessage(code)} ({code & 0xFFFFFFFF:08X})")
        self.code = code


def time_boxed(call: Callable[..., T], *args: Any, timeout: float) -> T:
    """Run ``call(*args)`` on a daemon thread; raise :class:`CallTimeoutError` if it takes longer."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["result"] = call(*args)
        except BaseException as exc:  # handed back to the caller
            box["error"] = exc

    worker = threading.Thread(target=run, name=f"pcsc-{getattr(call, '__name__', 'call')}", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise CallTimeoutError(f"{getattr(call, '__name__', 'call')} took more than {timeout:.1f} s")
    if "error" in box:
        raise box["error"]
    return box["result"]


def _checked(what: str, result: Any) -> Any:
    """pyscard returns (hresult, value...) tuples; raise on a failed hresult."""
    sequence = isinstance(result, (tuple, list))
    code = int(result[0]) if sequence else int(result)
    if code != scard.SCARD_S_SUCCESS:
        raise PcscError(what, code)
    if sequence:
        return result[1] if len(result) == 2 else tuple(result[1:])
    return None


class PcscContext:
    """One SCARDCONTEXT; ``broken`` once a call on it was given up."""

    def __init__(self, call_timeout: float = DEFAULT_CALL_TIMEOUT) -> None:
        self.call_timeout = call_timeout
        self.broken = False
        self.handle = self._call("SCardEstablishContext", scard.SCardEstablishContext, scard.SCARD_SCOPE_USER)

    def _call(self, what: str, function: Callable[..., Any], *args: Any, timeout: float | None = None) -> Any:
        try:
            return _checked(what, time_boxed(function, *args, timeout=timeout or self.call_timeout))
        except CallTimeoutError:
            self.broken = True
            raise

    def readers(self) -> list[str]:
        try:
            return list(self._call("SCardListReaders", scard.SCardListReaders, self.handle, []))
        except PcscError as exc:
            if exc.code == scard.SCARD_E_NO_READERS_AVAILABLE:
                return []
            raise

    def status_change(self, reader: str, current: int, wait: float) -> int:
        """Wait up to ``wait`` seconds for the reader's state to differ from ``current``; return it."""
        try:
            states = self._call("SCardGetStatusChange", scard.SCardGetStatusChange, self.handle,
                                int(wait * 1000), [(reader, current)], timeout=wait + self.call_timeout)
        except PcscError as exc:
            if exc.code == scard.SCARD_E_TIMEOUT:
                return current
            raise
        return int(states[0][1])

    def connect(self, reader: str) -> PcscCard:
        handle, protocol = self._call("SCardConnect", scard.SCardConnect, self.handle, reader,
                                      scard.SCARD_SHARE_SHARED, scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1)
        return PcscCard(self, handle, protocol)

    def release(self) -> None:
        if self.broken:
            return  # a thread may still be blocked inside it: leave it alone
        with contextlib.suppress(PcscError, CallTimeoutError):
            self._call("SCardReleaseContext", scard.SCardReleaseContext, self.handle, timeout=1.0)


class PcscCard:
    """A connected card; also the :class:`~devices.card.reader.Transport` of the reader."""

    def __init__(self, context: PcscContext, handle: Any, protocol: int, apdu_timeout: float = 0) -> None:
        self.context = context
        self.handle = handle
        self.protocol = protocol
        self.apdu_timeout = apdu_timeout or DEFAULT_APDU_TIMEOUT
        self.apdus_answered = 0

    def atr(self) -> bytes:
        _reader, _state, _protocol, atr = self.context._call("SCardStatus", scard.SCardStatus, self.handle)
        return bytes(atr)

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        response = self.context._call("SCardTransmit", scard.SCardTransmit, self.handle, self.protocol,
                                      list(apdu), timeout=self.apdu_timeout)
        if len(response) < 2:
            # vpcd (and some USB readers) report a card pulled out mid-command as an empty answer
            raise CardReadError("removed", f"answer of {len(response)} bytes: the card is gone")
        self.apdus_answered += 1
        return bytes(response[:-2]), (response[-2] << 8) | response[-1]

    def disconnect(self) -> None:
        if self.context.broken:
            return
        with contextlib.suppress(PcscError, CallTimeoutError):
            self.context._call("SCardDisconnect", scard.SCardDisconnect, self.handle, scard.SCARD_LEAVE_CARD,
                               timeout=1.0)


def pick_reader(readers: list[str], pattern: str) -> str | None:
    """The first reader whose name contains ``pattern`` (case-insensitive); empty = the first reader."""
    for name in readers:
        if pattern.lower() in name.lower():
            return name
    return None


def card_error(exc: Exception, apdus_answered: int) -> CardReadError:
    """Translate a PC/SC failure during a read into a reason code."""
    if isinstance(exc, CardReadError):
        return exc
    if isinstance(exc, CallTimeoutError):
        return CardReadError("mute" if apdus_answered == 0 else "timeout", str(exc))
    if isinstance(exc, PcscError):
        if exc.code in CARD_GONE:
            return CardReadError("removed", str(exc))
        if exc.code in CARD_MUTE:
            return CardReadError("mute", str(exc))
        if exc.code in READER_GONE:
            return CardReadError("no_reader", str(exc))
        return CardReadError("bad_status", str(exc))
    return CardReadError("bad_status", f"{type(exc).__name__}: {exc}")


@dataclass(frozen=True)
class ReadOutcome:
    card: PolicyCard
    reader: str
    atr: bytes
    apdu_count: int
    elapsed: float


def read_card(context: PcscContext, reader: str, *, today: Callable[[], date],
              apdu_timeout: float = DEFAULT_APDU_TIMEOUT, reject_expired: bool = True) -> ReadOutcome:
    """Connect to the card in ``reader`` and read it; raise :class:`CardReadError` with a reason.

    ``today`` gives the kiosk's date (from its clock) for the expiry check.
    """
    started = time.monotonic()
    card: PcscCard | None = None
    policy_reader: PolicyReader | None = None
    try:
        card = context.connect(reader)
        card.apdu_timeout = apdu_timeout
        atr = card.atr()
        policy_reader = PolicyReader(card, atr, reject_expired=reject_expired, today=today)
        policy = policy_reader.read()
        return ReadOutcome(policy, reader, atr, policy_reader.apdu_count, time.monotonic() - started)
    except Exception as exc:
        if card is None and isinstance(exc, PcscError) and exc.code == scard.SCARD_E_NO_SMARTCARD:
            raise CardReadError("no_card", "no card in the reader") from exc
        error = card_error(exc, card.apdus_answered if card else 0)
        log.info("card in %r unreadable: %s (after %d APDUs)", reader, error.reason,
                 policy_reader.apdu_count if policy_reader else 0)
        raise error from exc
    finally:
        if card is not None:
            card.disconnect()
