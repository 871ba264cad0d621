"""Card events → the patient's session. The reader's thread never touches the session.

The monitor (devices.card.monitor) calls back on its own thread; every event is
handed to the UI thread with ``post`` before it reaches the session. For
``[card_reader] kind = virtual`` a private pcscd with the vpcd driver is started
when none is running (demo), and a virtual card can be inserted from the screen.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from devices.card.config import CardReaderConfig
from kiosk.card_messages import CARD_MESSAGES, CARD_WALK_IN
from kiosk.clock import Clock
from kiosk.jobs import Post
from kiosk.session.kernel import Session

if TYPE_CHECKING:  # the PC/SC stack loads when a reader is configured, in start(), not with the kiosk
    from devices.card.monitor import CardMonitor
    from devices.card.pcscd import PcscdProcess
    from devices.card.policy_record import PolicyCard
    from devices.card.virtual_card import VirtualCard

log = logging.getLogger(__name__)

#: seconds a stop waits for a start still under way (pcscd's own start is bounded well below this)
START_LIMIT = 30.0


class _TestRead:
    def __init__(self) -> None:
        self.done = threading.Event()
        self.outcome = ""


class CardSession:
    def __init__(self, cfg: CardReaderConfig, session: Session, post: Post, clock: Clock,
                 reader_state: Callable[[bool], None]) -> None:
        """``reader_state(available)`` is told whenever the reader comes or goes (the card reader's
        health coordinator, kiosk.health.card_reader.card_reader_feed), on the monitor's thread."""
        self._cfg = cfg
        self._clock = clock
        self._session = session
        self._post = post
        self._report_reader = reader_state
        self._monitor: CardMonitor | None = None
        self._pcscd: PcscdProcess | None = None
        self._virtual: VirtualCard | None = None
        self._starter: threading.Thread | None = None
        self._reader_available: bool | None = None  # None: the monitor has not said yet
        self._test_lock = threading.Lock()
        self._test: _TestRead | None = None

    # -- the reader's thread ----------------------------------------------------------------------

    def _inserted(self, card: PolicyCard) -> None:
        log.info("policy card read: %s", card.masked_policy)
        expired = " (expired)" if card.is_expired(self._clock.today()) else ""
        if self._answer_test(f"card read: {card.masked_policy}, {card.card_type.value}{expired}"):
            return
        owner = card.owner
        self._post(lambda: self._session.card_inserted(owner.policy, owner.birth_date))

    def _removed(self) -> None:
        self._post(self._session.card_removed)

    def _unreadable(self, reason: str) -> None:
        log.warning("card unreadable: %s", reason)
        if self._answer_test(f"card not readable: {reason}"):
            return
        message = CARD_MESSAGES.get(reason, CARD_MESSAGES["bad_status"])
        walk_in = CARD_WALK_IN.get(reason)
        self._post(lambda: self._session.card_unreadable(message, walk_in))

    def _reader_state(self, available: bool) -> None:
        self._reader_available = available
        log.log(logging.INFO if available else logging.WARNING, "card reader %s",
                "available" if available else "unavailable")
        self._report_reader(available)

    # -- the service screen's test read --------------------------------------------------------------

    def _answer_test(self, outcome: str) -> bool:
        """On the monitor's thread: hand this card event to a waiting test read (True), if there is one."""
        with self._test_lock:
            test, self._test = self._test, None
        if test is None:
            return False
        test.outcome = outcome
        test.done.set()
        return True

    def test_read(self, timeout_s: float) -> str:
        """The next card the monitor reads (or cannot read) within ``timeout_s``, masked; that card does not
        start a patient's session. Blocks: call it on a worker thread. The reader is the monitor's alone,
        so this asks the monitor rather than opening the reader a second time."""
        if self._cfg.kind == "none":
            return "no card reader here ([card_reader] kind = none)"
        if self._monitor is None:
            return "the card monitor is not running (see the journal: card reader)"
        if self._reader_available is False:
            return "card reader unavailable (not connected, or pcscd does not see it)"
        test = _TestRead()
        with self._test_lock:
            self._test = test
        if test.done.wait(timeout_s):
            return test.outcome
        with self._test_lock:
            if self._test is test:
                self._test = None
        return test.outcome or f"no card within {timeout_s:g} s (insert one after tapping; take out one already in)"

    # -- life cycle -------------------------------------------------------------------------------

    def start_in_background(self) -> None:
        """:meth:`start` on a thread of its own (a private pcscd takes a while to come up)."""
        self._starter = threading.Thread(target=self.start, name="card-session-start", daemon=True)
        self._starter.start()

    def start(self) -> None:
        if self._cfg.kind == "none":
            return
        from devices.card.monitor import CardMonitor
        from devices.card.pcscd import PcscdError, ensure_pcscd

        if self._cfg.kind == "virtual" and self._cfg.start_pcscd:
            try:
                self._pcscd = ensure_pcscd()
            except PcscdError as error:
                log.warning("no pcscd for the virtual card: %s", error)
        monitor = CardMonitor.from_config(self._cfg, today=self._clock.today, inserted=self._inserted,
                                          removed=self._removed, unreadable=self._unreadable,
                                          reader_state=self._reader_state)
        self._monitor = monitor.start()

    # -- the demo's on-screen card (kind = virtual only; runs on a worker thread) -------------------

    @property
    def has_demo_card(self) -> bool:
        return self._cfg.kind == "virtual"

    def toggle_demo_card(self) -> bool:
        """Insert the demo profile's virtual card, or take it out; True when it is now inserted."""
        if not self.has_demo_card:
            raise RuntimeError("the on-screen card exists only with [card_reader] kind = virtual")
        if self._virtual is not None and self._virtual.inserted:
            self._virtual.remove()
            return False
        from devices.card.virtual_card import VirtualCard, VirtualCardError

        self._virtual = VirtualCard(self._cfg.virtual_profile)
        try:
            self._virtual.insert()
        except VirtualCardError as error:
            log.warning("demo card not inserted: %s", error)
            return False
        return True

    def stop(self) -> None:
        if self._starter is not None:  # never stop half-way through a start: it would leave a monitor behind
            self._starter.join(START_LIMIT)
            self._starter = None
        if self._virtual is not None:
            self._virtual.remove()
            self._virtual = None
        if self._monitor is not None:
            self._monitor.stop()
            self._monitor = None
        if self._pcscd is not None:
            self._pcscd.stop()
            self._pcscd = None
