"""Typed-number classifier, SNILS checksum, birth-date checks and their patient messages."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.card.enp import complete_enp
from devices.card.errors import REASONS
from devices.card.numbers import (
    BirthDateKind,
    NumberKind,
    check_birth_date,
    classify_number,
    is_valid_snils,
    snils_control,
)
from kiosk.card_messages import CARD_MESSAGES, INPUT_MESSAGES, card_message, input_message

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize("text, kind", [
    ("6449020886006380", NumberKind.ENP),
    (" 6449 0208-8600.6380 ", NumberKind.ENP),
    ("7788899730000765", NumberKind.ENP),
    ("6449020886006381", NumberKind.ENP_CHECK_DIGIT),
    ("6449020886006308", NumberKind.ENP_CHECK_DIGIT),
    ("123456789", NumberKind.TEMPORARY_CERTIFICATE),
    ("123 456789", NumberKind.TEMPORARY_CERTIFICATE),
    ("112-233-445 95", NumberKind.SNILS),
    ("123-456-789 64", NumberKind.SNILS),
    ("016-103-396 00", NumberKind.SNILS),
    ("820-981-233 00", NumberKind.SNILS),
    ("112-233-445 96", NumberKind.BLANK_OR_SNILS),
    ("АБ 123456", NumberKind.OLD_POLICY),
    ("7700 1234567890", NumberKind.OLD_POLICY),
    ("9643 9077 1234 5678 901", NumberKind.SOCIAL_CARD),
    ("", NumberKind.EMPTY),
    ("  - . ", NumberKind.EMPTY),
    ("12345", NumberKind.TOO_SHORT),
    ("12345678901234567890123", NumberKind.TOO_LONG),
    ("полис", NumberKind.UNKNOWN),
    ("https://gosuslugi.ru/x", NumberKind.UNKNOWN),
])
def test_classify(text: str, kind: NumberKind) -> None:
    result = classify_number(text)
    assert result.kind is kind
    assert result.ok is (kind is NumberKind.ENP)


def test_classify_keeps_the_enp_and_masks_repr() -> None:
    result = classify_number("6449 0208 8600 6380")
    assert result.enp == "6449020886006380"
    assert "6449020886006380" not in repr(result)


def test_snils_control_examples() -> None:
    assert [snils_control(n) for n in ("112233445", "123456789", "016103396", "820981233")] == [95, 64, 0, 0]
    assert is_valid_snils("00100199812")  # too old to be checked
    assert not is_valid_snils("1122334459")


@settings(max_examples=800, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gets_a_class_with_a_message(text: str) -> None:
    result = classify_number(text)
    assert isinstance(result.kind, NumberKind)
    assert result.ok or result.reason in INPUT_MESSAGES


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"[0-9]{15}", fullmatch=True))
def test_every_completed_enp_is_valid(prefix: str) -> None:
    assert classify_number(complete_enp(prefix)).ok


@pytest.mark.parametrize("text, kind", [
    ("13.10.1979", BirthDateKind.OK), ("13101979", BirthDateKind.OK), ("1/2/2000", BirthDateKind.OK),
    ("", BirthDateKind.EMPTY), ("13.10.79", BirthDateKind.BAD_FORMAT),
    ("1979-10-13", BirthDateKind.BAD_FORMAT),
    ("31.02.2000", BirthDateKind.NOT_A_DATE), ("25.11.2026", BirthDateKind.IN_FUTURE),
    ("23.11.1906", BirthDateKind.TOO_OLD), ("24.11.1906", BirthDateKind.OK), ("24.11.2026", BirthDateKind.OK),
])
def test_birth_date(text: str, kind: BirthDateKind) -> None:
    assert check_birth_date(text, TODAY).kind is kind


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=100))
def test_any_birth_date_text_gets_a_reason(text: str) -> None:
    result = check_birth_date(text, TODAY)
    assert result.ok or result.reason in INPUT_MESSAGES


def test_messages_exist_for_every_reason() -> None:
    for kind in NumberKind:
        assert kind is NumberKind.ENP or input_message(kind.value)
    for kind in BirthDateKind:
        assert kind is BirthDateKind.OK or input_message(kind.value)
    assert input_message("enp") == ""
    for reason in REASONS:
        assert CARD_MESSAGES[reason] and card_message(reason)
