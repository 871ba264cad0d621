"""Fixtures for the real PC/SC stack: a private pcscd with vpcd, virtual cards, event recorders."""

from __future__ import annotations

import os
import queue
import shutil
import time
from collections.abc import Iterator
from typing import Any

import pytest
from smartcard import scard

from devices.card.pcsc import PcscContext
from devices.card.pcscd import VPCD_DRIVER, PcscdProcess, pcscd_running
from devices.card.profile import CardProfile, load_profile
from devices.card.virtual_card import VirtualCard

READER = "Virtual PCD 00 00"  # vpcd's first slot, where VirtualCard plugs in
#: the tests' pcscd listens for virtual cards on its own port, so a demo card someone inserts
#: on the default port (35963) can never land in a test's reader
TEST_VPCD_PORT = 35971


def new_card(profile: CardProfile | str = "demo") -> VirtualCard:
    """A virtual card for the tests' vpcd port."""
    return VirtualCard(profile, port=TEST_VPCD_PORT)


class PcscdControl:
    """The tests' own pcscd, which tests may stop and start again."""

    def __init__(self) -> None:
        self.process: PcscdProcess | None = None

    def start(self, with_vpcd: bool = True) -> None:
        self.stop()
        self.process = PcscdProcess(TEST_VPCD_PORT, with_vpcd=with_vpcd).start()

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()
            self.process = None


@pytest.fixture(scope="session")
def pcscd() -> Iterator[PcscdControl]:
    if shutil.which("pcscd") is None or not VPCD_DRIVER.exists():
        pytest.skip("pcscd or the vpcd driver is not installed (apt-get install pcscd vsmartcard-vpcd)")
    if os.geteuid() != 0:
        pytest.skip("starting pcscd needs root (/run/pcscd)")
    if pcscd_running():
        pytest.skip("another pcscd is running; these tests start and stop their own")
    control = PcscdControl()
    control.start()
    yield control
    control.stop()


@pytest.fixture
def stack(pcscd: PcscdControl) -> PcscdControl:
    """A running pcscd with vpcd (restarted if an earlier test left it stopped)."""
    if pcscd.process is None or not pcscd.process.with_vpcd or not pcscd_running():
        pcscd.start()
    return pcscd


@pytest.fixture
def insert_card(stack: PcscdControl) -> Iterator[Any]:
    """``insert_card(profile or name, **faults)`` → an inserted VirtualCard, removed after the test."""
    cards: list[VirtualCard] = []

    def insert(profile: CardProfile | str = "demo", **faults: Any) -> VirtualCard:
        chosen = load_profile(profile) if isinstance(profile, str) else profile
        card = new_card(chosen.with_faults(**faults) if faults else chosen)
        card.insert()
        cards.append(card)
        wait_for_reader_state(scard.SCARD_STATE_PRESENT)
        return card

    yield insert
    for card in cards:
        card.remove()
    if cards and pcscd_running():
        wait_for_reader_state(scard.SCARD_STATE_EMPTY)  # the next test starts with an empty reader


def wait_for_reader_state(flag: int, timeout: float = 5.0) -> None:
    """Wait until pcscd reports ``flag`` for the virtual reader (it polls vpcd, so it lags a little)."""
    context = PcscContext()
    try:
        deadline = time.monotonic() + timeout
        state = context.status_change(READER, scard.SCARD_STATE_UNAWARE, 0)
        while not state & flag:
            if time.monotonic() > deadline:
                raise AssertionError(f"reader state {state:#x} never got {flag:#x}")
            state = context.status_change(READER, state & ~scard.SCARD_STATE_CHANGED, 0.2)
    finally:
        context.release()


class EventRecorder:
    """Collects monitor callbacks from the adapter thread."""

    def __init__(self) -> None:
        self.events: queue.Queue[tuple[str, Any]] = queue.Queue()
        self.seen: list[tuple[str, Any]] = []

    def inserted(self, card: Any) -> None:
        self.events.put(("inserted", card))

    def removed(self) -> None:
        self.events.put(("removed", None))

    def unreadable(self, reason: str) -> None:
        self.events.put(("unreadable", reason))

    def reader_state(self, available: bool) -> None:
        self.events.put(("reader_state", available))

    def callbacks(self) -> dict[str, Any]:
        return {"inserted": self.inserted, "removed": self.removed, "unreadable": self.unreadable,
                "reader_state": self.reader_state}

    def next(self, timeout: float = 15.0) -> tuple[str, Any]:
        try:
            event = self.events.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no card event within {timeout} s; seen so far: {self.seen}") from None
        self.seen.append(event)
        return event

    def expect(self, kind: str, timeout: float = 15.0) -> Any:
        """Skip other events until ``kind`` arrives; return its argument."""
        while True:
            got, argument = self.next(timeout)
            if got == kind:
                return argument


@pytest.fixture
def recorder() -> EventRecorder:
    return EventRecorder()
