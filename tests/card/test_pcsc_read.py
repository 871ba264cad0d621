"""Reading policy cards over the real stack: pcscd + vpcd + the virtual card, via pyscard."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from devices.card import policy_record as rec
from devices.card.errors import CardReadError
from devices.card.pcsc import PcscContext, read_card
from devices.card.profile import load_profile, owner_record
from devices.card.tlv import parse_all, parse_header
from tests.card.conftest import READER
from tests.pinned import TODAY

pytestmark = pytest.mark.pcsc


@pytest.fixture
def context(stack: Any) -> Iterator[PcscContext]:
    ctx = PcscContext()
    yield ctx
    ctx.release()


def read_offsets(card: Any) -> list[int]:
    return [(apdu[2] << 8) | apdu[3] for apdu in card.commands if apdu[1] == 0xB0]


def test_demo_card_gives_owner_and_insurer_in_few_apdus(insert_card: Any, context: PcscContext) -> None:
    card = insert_card("demo")
    outcome = read_card(context, READER, today=TODAY)
    owner, expected = outcome.card.owner, card.profile.owner
    assert (owner.surname, owner.name, owner.patronymic) == (expected.surname, expected.name, expected.patronymic)
    assert owner.policy == expected.policy and owner.birth_date.isoformat() == expected.birth_date
    assert owner.sex is rec.Sex(expected.sex) and owner.snils == expected.snils
    assert (owner.birth_place, owner.citizenship) == (expected.birth_place, expected.citizenship)
    insurer = card.profile.insurer
    assert outcome.card.insurer == rec.Insurer(insurer.ogrn, insurer.okato, date.fromisoformat(insurer.start or ""),
                                               None)
    assert outcome.card.card_type is rec.CardType.EPOLICY and outcome.atr == rec.ATR_FOMSOMS
    assert outcome.apdu_count == card.apdu_count <= 8
    assert len(read_offsets(card)) == 2  # one READ BINARY per record


def test_photo_and_signature_are_never_read(insert_card: Any, context: PcscContext) -> None:
    card = insert_card("demo", max_response=64)  # short answers: the reader must continue from offsets
    read_card(context, READER, today=TODAY)
    record = owner_record(card.profile)
    outer = parse_header(record)
    children = parse_all(record[outer.header_size:])
    photo_start = len(record) - len(children[-1].value) - 4  # 7F40 82 xx xx
    assert children[-1].tag == rec.PHOTO_TAG and len(children[-1].value) > 8000
    owner_reads = [offset for offset in read_offsets(card) if offset < len(record)]
    assert max(owner_reads) < photo_start
    assert sum(1 for a in card.commands if a[1] == 0xB0) <= 8


def test_second_atr_and_foms_root_fallback(insert_card: Any, context: PcscContext) -> None:
    insert_card("demo-foms11")
    outcome = read_card(context, READER, today=TODAY)
    assert outcome.card.card_type is rec.CardType.EPOLICY_1_1
    assert outcome.card.owner.policy == load_profile("demo-foms11").owner.policy


def test_long_record_offsets_above_255(insert_card: Any, context: PcscContext) -> None:
    profile = load_profile("demo").with_owner(birth_place="г. Москва, " + "ул. Длинная, " * 40)
    card = insert_card(profile)
    outcome = read_card(context, READER, today=TODAY)
    assert outcome.card.owner.birth_place.endswith("ул. Длинная,")
    assert any(offset > 255 for offset in read_offsets(card))


@pytest.mark.parametrize("profile, faults, reason", [
    ("bank-card", {}, "not_oms"),
    ("uek", {}, "unsupported"),
    ("expired", {}, "expired"),
    ("bad-check-digit", {}, "check_digit"),
    ("damaged", {}, "malformed"),
    ("demo", {"corrupt_owner": True}, "malformed"),
    ("demo", {"status_word": "6F00"}, "bad_status"),
    ("demo", {"status_word": "6A82", "status_on": "get_data"}, "bad_status"),
    ("demo", {"mute": True}, "mute"),
    ("demo", {"delay_ms": 2500}, "mute"),
    ("demo", {"remove_after_apdus": 3}, "removed"),
])
def test_faults_give_reasons(insert_card: Any, context: PcscContext, profile: str, faults: dict[str, Any],
                             reason: str) -> None:
    insert_card(profile, **faults)
    with pytest.raises(CardReadError) as caught:
        read_card(context, READER, today=TODAY, apdu_timeout=1.0)
    assert caught.value.reason == reason
    assert load_profile(profile).owner.policy not in str(caught.value)


def test_expired_card_still_carries_its_data(insert_card: Any, context: PcscContext) -> None:
    insert_card("expired")
    with pytest.raises(CardReadError) as caught:
        read_card(context, READER, today=TODAY)
    assert caught.value.card is not None and caught.value.card.owner.expiry == date(2020, 12, 31)
    outcome = read_card(context, READER, today=TODAY, reject_expired=False)
    assert outcome.card.is_expired(date(2026, 1, 1))


def test_wrong_le_answer_is_retried(insert_card: Any, context: PcscContext) -> None:
    card = insert_card(dataclasses.replace(load_profile("demo"), photo_bytes=0), strict_le=True)
    outcome = read_card(context, READER, today=TODAY)
    assert outcome.card.owner.policy == card.profile.owner.policy and outcome.apdu_count <= 9


def test_slow_card_within_the_timeout_is_read(insert_card: Any, context: PcscContext) -> None:
    insert_card("demo", delay_ms=150)
    outcome = read_card(context, READER, today=TODAY, apdu_timeout=2.0)
    assert outcome.card.owner.policy == load_profile("demo").owner.policy


def test_no_card_is_reported(stack: Any, context: PcscContext) -> None:
    with pytest.raises(CardReadError) as caught:
        read_card(context, READER, today=TODAY)
    assert caught.value.reason == "no_card"


@pytest.mark.parametrize("answered", range(1, 7))
def test_removal_after_any_command_is_removed(insert_card: Any, context: PcscContext, answered: int) -> None:
    insert_card("demo", remove_after_apdus=answered)
    with pytest.raises(CardReadError) as caught:
        read_card(context, READER, today=TODAY, apdu_timeout=1.0)
    assert caught.value.reason == "removed"
