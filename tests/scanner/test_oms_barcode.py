"""The paper policy's barcode: the two published samples, our encoder, damaged and foreign payloads."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.card.enp import complete_enp
from devices.scanner.oms_barcode import (
    ALPHABET,
    PAYLOAD_LENGTH,
    BarcodeError,
    BarcodeType,
    PaperPolicy,
    Sex,
    decode,
    encode,
    looks_like_paper_policy,
)
from tests.scanner.samples import TYPE_01, TYPE_02


def test_published_type_01_sample() -> None:
    card = decode(TYPE_01)
    assert card.barcode_type is BarcodeType.WITH_INSURER
    assert card.policy == "6449020886006380"
    assert (card.surname, card.name, card.patronymic) == ("ПАРФЕНОВА", "ЕКАТЕРИНА", "ДМИТРИЕВНА")
    assert card.sex is Sex.FEMALE
    assert card.birth_date == date(1979, 10, 13)
    assert card.expiry is None
    assert (card.insurer_ogrn, card.insurer_okato) == ("1027739008440", "63000")


def test_published_type_02_sample() -> None:
    card = decode(TYPE_02)
    assert card.barcode_type is BarcodeType.SHORT
    assert card.policy == "6449020886006380"
    assert (card.surname, card.name, card.patronymic) == ("ШМАТОВА", "ТАТЬЯНА", "АНАТОЛЬЕВНА")
    assert card.sex is Sex.FEMALE
    assert card.birth_date == date(1992, 6, 18)
    assert card.expiry is None
    assert card.insurer_ogrn == card.insurer_okato == ""


def test_repr_hides_the_person() -> None:
    shown = repr(decode(TYPE_01))
    assert "6449 **** **** 6380" in shown
    assert "ПАРФЕНОВА" not in shown and "1979" not in shown and "6449020886006380" not in shown


@pytest.mark.parametrize("sample", [TYPE_01, TYPE_02])
def test_our_encoder_writes_the_published_layout(sample: bytes) -> None:
    assert encode(decode(sample))[:65] == sample[:65]  # all but the signature, which we leave blank


def test_a_wrong_check_digit_is_refused() -> None:
    damaged = bytearray(TYPE_02)
    damaged[8] ^= 0x01  # the policy's last byte: 6449020886006380 ± 1
    with pytest.raises(BarcodeError) as error:
        decode(bytes(damaged))
    assert error.value.reason == "check_digit"


@pytest.mark.parametrize(("offset", "value"), [(60, 0x07), (61, 0x00), (9, 0xFF)])
def test_damaged_fields_are_refused(offset: int, value: int) -> None:
    damaged = bytearray(TYPE_02)
    damaged[offset] = value
    if offset == 61:
        damaged[62] = 0x00  # no birth date at all
    with pytest.raises(BarcodeError) as error:
        decode(bytes(damaged))
    assert error.value.reason == "damaged"


@pytest.mark.parametrize("payload", [b"", TYPE_02[:129], TYPE_02 + b"\x00", b"\x03" + TYPE_02[1:]])
def test_foreign_payloads_are_refused(payload: bytes) -> None:
    with pytest.raises(BarcodeError) as error:
        decode(payload)
    assert error.value.reason == "foreign"
    assert not looks_like_paper_policy(payload)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([1, 2]), st.binary(min_size=PAYLOAD_LENGTH - 1, max_size=PAYLOAD_LENGTH - 1))
def test_any_130_bytes_decode_or_give_a_reason(kind: int, rest: bytes) -> None:
    try:
        card = decode(bytes([kind]) + rest)
    except BarcodeError as error:
        assert error.reason in {"damaged", "check_digit"}
    else:
        assert len(card.policy) == 16


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_decode_or_give_a_reason(payload: bytes) -> None:
    try:
        decode(payload)
    except BarcodeError as error:
        assert error.reason in {"foreign", "damaged", "check_digit"}


_WORD = st.text(alphabet=ALPHABET[14:], min_size=1, max_size=14)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(list(BarcodeType)), st.from_regex(r"[0-9]{15}", fullmatch=True), _WORD, _WORD, _WORD,
       st.sampled_from(list(Sex)), st.dates(date(1900, 1, 2), date(2079, 1, 1)),
       st.none() | st.dates(date(1900, 1, 2), date(2079, 1, 1)))
def test_encode_then_decode_gives_the_same_policy(kind: BarcodeType, first15: str, surname: str, name: str,
                                                   patronymic: str, sex: Sex, born: date,
                                                   expiry: date | None) -> None:
    card = PaperPolicy(kind, complete_enp(first15), surname, name, patronymic, sex, born, expiry,
                       "1027739008440" if kind is BarcodeType.WITH_INSURER else "",
                       "45000" if kind is BarcodeType.WITH_INSURER else "")
    assert decode(encode(card)) == card
