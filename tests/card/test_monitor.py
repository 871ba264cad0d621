"""Card events over the real stack: insert, remove, faults, removal mid-read, reader and pcscd loss."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from devices.card.config import CardReaderConfig
from devices.card.enp import mask_enp
from devices.card.monitor import CardMonitor
from devices.card.policy_record import Owner, PolicyCard, decode_owner
from devices.card.profile import load_profile, owner_record
from devices.card.virtual_card import VirtualCard
from tests.card.conftest import READER, EventRecorder, PcscdControl, new_card
from tests.pinned import TODAY

pytestmark = pytest.mark.pcsc


def rec_owner(card: VirtualCard) -> Owner:
    """What the card's profile says the owner record holds."""
    return decode_owner(owner_record(card.profile))


@pytest.fixture
def monitor(stack: PcscdControl, recorder: EventRecorder) -> Iterator[CardMonitor]:
    adapter = CardMonitor(**recorder.callbacks(), today=TODAY, reader_pattern="PCD 00 00", poll_interval=0.2,
                          apdu_timeout=1.0, call_timeout=3.0, max_backoff=0.5)
    adapter.start()
    assert recorder.next() == ("reader_state", True)
    yield adapter
    adapter.stop()
    assert not adapter.running


def test_insert_and_remove(monitor: CardMonitor, recorder: EventRecorder) -> None:
    card = new_card("demo")
    card.insert()
    kind, policy = recorder.next()
    assert kind == "inserted" and isinstance(policy, PolicyCard)
    assert policy.owner == rec_owner(card) and monitor.reader == READER
    card.remove()
    assert recorder.next() == ("removed", None)
    card.insert()
    assert recorder.next()[0] == "inserted"
    card.remove()
    assert recorder.next() == ("removed", None)


@pytest.mark.parametrize("profile, faults, reason", [
    ("bank-card", {}, "not_oms"),
    ("expired", {}, "expired"),
    ("bad-check-digit", {}, "check_digit"),
    ("damaged", {}, "malformed"),
    ("demo", {"status_word": "6581"}, "bad_status"),
    ("demo", {"mute": True}, "mute"),
    ("demo", {"remove_after_apdus": 4}, "removed"),
])
def test_unreadable_cards_then_a_good_one(monitor: CardMonitor, recorder: EventRecorder,
                                          insert_card: Any, profile: str, faults: dict[str, Any],
                                          reason: str) -> None:
    bad = insert_card(profile, **faults)
    assert recorder.next() == ("unreadable", reason)
    bad.remove()
    assert recorder.next() == ("removed", None)
    good = insert_card("demo")
    assert recorder.next()[0] == "inserted"
    good.remove()
    assert recorder.next() == ("removed", None)


def test_pcscd_restart_is_survived(monitor: CardMonitor, recorder: EventRecorder, stack: PcscdControl) -> None:
    card = new_card("demo")
    card.insert()
    assert recorder.next()[0] == "inserted"
    stack.stop()
    assert recorder.next() == ("removed", None)
    assert recorder.next() == ("reader_state", False)
    card.remove()
    stack.start()
    assert recorder.next() == ("reader_state", True)
    card.insert()
    assert recorder.next()[0] == "inserted"
    card.remove()
    assert recorder.next() == ("removed", None)


def test_reader_gone_and_back(monitor: CardMonitor, recorder: EventRecorder, stack: PcscdControl) -> None:
    stack.start(with_vpcd=False)  # pcscd keeps running, but the reader is gone
    assert recorder.next() == ("reader_state", False)
    assert monitor.available is False
    stack.start()
    assert recorder.next() == ("reader_state", True)
    with new_card("demo"):
        assert recorder.next()[0] == "inserted"
    assert recorder.next() == ("removed", None)


def test_no_pcscd_at_start_then_it_comes(pcscd: PcscdControl, recorder: EventRecorder) -> None:
    pcscd.stop()
    adapter = CardMonitor(**recorder.callbacks(), today=TODAY, poll_interval=0.2, max_backoff=0.4)
    with adapter:
        assert recorder.next() == ("reader_state", False)
        pcscd.start()
        assert recorder.next() == ("reader_state", True)
    assert not adapter.running


def test_monitor_from_config(stack: PcscdControl, recorder: EventRecorder, insert_card: Any) -> None:
    config = CardReaderConfig(reader="pcd 00 00", poll_interval=0.2, apdu_timeout=1.0, reject_expired=False)
    with CardMonitor.from_config(config, **recorder.callbacks(), today=TODAY) as adapter:
        assert recorder.next() == ("reader_state", True)
        insert_card("expired")
        kind, card = recorder.next()
        assert kind == "inserted" and card.is_expired(TODAY())  # reject_expired = no
        assert adapter.apdu_timeout == 1.0 and adapter.reader == READER


def test_a_reader_pattern_that_matches_nothing(stack: PcscdControl, recorder: EventRecorder) -> None:
    with CardMonitor(**recorder.callbacks(), today=TODAY, reader_pattern="ACR38", poll_interval=0.2, max_backoff=0.4):
        assert recorder.next() == ("reader_state", False)
        with new_card("demo"):
            time.sleep(1.5)
        assert recorder.events.empty(), "a card in a reader we do not watch must give no events"


def test_logs_never_carry_personal_data(monitor: CardMonitor, recorder: EventRecorder, insert_card: Any,
                                        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    for profile in ("demo", "expired", "bad-check-digit"):
        card = insert_card(profile)
        recorder.expect("inserted" if profile == "demo" else "unreadable")
        card.remove()
        assert recorder.next() == ("removed", None)
        owner = card.profile.owner
        birth = date.fromisoformat(owner.birth_date)
        for secret in (owner.policy, owner.snils, birth.strftime("%d.%m.%Y"), birth.isoformat(), owner.birth_place):
            assert secret not in caplog.text
    assert mask_enp(load_profile("demo").owner.policy) in caplog.text  # the masked form is what we log
