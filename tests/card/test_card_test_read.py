"""The service screen's test card read over the real stack (pcscd + vpcd + the virtual OMS card): it asks
the kiosk's own card monitor (``CardSession.test_read``), so the reader is never opened twice, the card it
reports is masked, and that card never reaches the patient's session."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from devices.card.config import CardReaderConfig
from devices.card.enp import mask_enp
from devices.card.policy_record import decode_owner
from devices.card.profile import owner_record
from kiosk.card_messages import CARD_MESSAGES
from kiosk.card_session import CardSession
from kiosk.clock import ManualClock
from tests.card.conftest import PcscdControl, new_card

pytestmark = pytest.mark.pcsc


class PatientSide:
    """What the session would have been told (recorded; a test read must leave it untouched)."""

    def __init__(self) -> None:
        self.events: list[str] = []

    def card_inserted(self, policy: str, birth_date: Any) -> None:
        self.events.append("inserted")

    def card_removed(self) -> None:
        self.events.append("removed")

    def card_unreadable(self, message: str, walk_in: Any) -> None:
        self.events.append(f"unreadable: {message}")


@pytest.fixture
def card_session(stack: PcscdControl, clock: ManualClock) -> Iterator[tuple[CardSession, PatientSide, list[bool]]]:
    patient = PatientSide()
    reader: list[bool] = []
    cfg = CardReaderConfig(kind="virtual", start_pcscd=False, reader="PCD 00 00", poll_interval=0.2,
                           apdu_timeout=1.0)
    # the session's events run where they are posted (the monitor's thread): enough to record them
    made = CardSession(cfg, patient, lambda event: event(), clock, reader_state=reader.append)  # type: ignore[arg-type]
    made.start()
    yield made, patient, reader
    made.stop()


def wait_reader(reader: list[bool]) -> None:
    for _ in range(100):
        if reader:
            return
        threading.Event().wait(0.1)
    pytest.fail("the monitor never reported the reader")


def test_the_next_card_is_reported_masked_and_kept_from_the_patient(
        card_session: tuple[CardSession, PatientSide, list[bool]]) -> None:
    session, patient, reader = card_session
    wait_reader(reader)
    answer: list[str] = []
    waiting = threading.Thread(target=lambda: answer.append(session.test_read(15)))
    waiting.start()
    threading.Event().wait(0.5)  # the technician taps, then inserts the card
    card = new_card("demo")
    card.insert()
    waiting.join(20)
    owner = decode_owner(owner_record(card.profile))
    assert answer and answer[0].startswith(f"card read: {mask_enp(owner.policy)}"), answer
    assert owner.policy not in answer[0]
    assert patient.events == []  # no patient session from the technician's card
    card.remove()
    # the next card is the patient's again
    card.insert()
    for _ in range(50):
        if "inserted" in patient.events:
            break
        threading.Event().wait(0.1)
    assert "inserted" in patient.events
    card.remove()


def test_an_unreadable_card_and_no_card_at_all(card_session: tuple[CardSession, PatientSide, list[bool]]) -> None:
    session, patient, reader = card_session
    wait_reader(reader)
    answer: list[str] = []
    waiting = threading.Thread(target=lambda: answer.append(session.test_read(15)))
    waiting.start()
    threading.Event().wait(0.5)
    card = new_card("bank-card")
    card.insert()
    waiting.join(20)
    card.remove()
    assert answer == ["card not readable: not_oms"], answer
    assert f"unreadable: {CARD_MESSAGES['not_oms']}" not in patient.events  # the test's card was not the patient's
    assert session.test_read(0.5).startswith("no card within 0.5 s")


def test_without_a_reader_it_says_so_at_once(clock: ManualClock) -> None:
    none = CardSession(CardReaderConfig(kind="none"), PatientSide(), lambda _f: None, clock,  # type: ignore[arg-type]
                       reader_state=lambda _a: None)
    assert none.test_read(5) == "no card reader here ([card_reader] kind = none)"
    virtual = CardSession(CardReaderConfig(kind="virtual"), PatientSide(), lambda _f: None, clock,  # type: ignore[arg-type]
                          reader_state=lambda _a: None)
    assert virtual.test_read(5).startswith("the card monitor is not running")
