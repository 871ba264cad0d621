"""BER-TLV parser and owner/insurer record decoding (pure code, no card stack)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.card import policy_record as rec
from devices.card.profile import (
    CardProfile,
    ProfileError,
    available_profiles,
    insurer_record,
    load_profile,
    owner_record,
)
from devices.card.tlv import CardDataError, check_nesting, encode, parse_all, parse_header, parse_one


def test_multi_byte_tag_and_long_length() -> None:
    value = bytes(300)
    data = encode(0x7F40, value)
    assert data[:5] == bytes.fromhex("7F4082012C")
    header = parse_header(data)
    assert (header.tag, header.constructed, header.length, header.header_size) == (0x7F40, True, 300, 5)
    tlv, end = parse_one(data)
    assert tlv.value == value and end == len(data)


@pytest.mark.parametrize("data, reason", [
    (b"", "truncated"), (b"\x5f", "truncated"), (b"\x5f\x21", "truncated"), (b"\x62\x82\x01", "truncated"),
    (b"\x62\x05\x01", "truncated"), (b"\x62\x80", "malformed"),
    (b"\x62\x85\x00\x00\x00\x00\x01", "malformed"),
    (b"\x5f\x81\x81\x81\x81\x01\x00", "malformed"),
])
def test_bad_headers_raise_card_data_error(data: bytes, reason: str) -> None:
    with pytest.raises(CardDataError) as caught:
        parse_one(data)
    assert caught.value.reason == reason


@settings(max_examples=600, deadline=None)
@given(st.binary(max_size=600))
def test_any_bytes_parse_or_raise_card_data_error(data: bytes) -> None:
    try:
        for tlv in parse_all(data):
            assert tlv.tag > 0
        check_nesting(data)
        rec.decode_owner(data)
        rec.decode_insurer(data)
    except CardDataError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([0x5F21, 0x5F22, 0x5F42, 0x41, 0x9F7F]),
                          st.binary(max_size=300)), max_size=6))
def test_encode_parse_round_trip(items: list[tuple[int, bytes]]) -> None:
    data = b"".join(encode(tag, value) for tag, value in items)
    assert [(t.tag, t.value) for t in parse_all(data)] == items


def test_bcd_dates() -> None:
    assert rec.decode_bcd_date(bytes.fromhex("13101979")) == date(1979, 10, 13)
    assert rec.decode_bcd_date(bytes.fromhex("01011900")) is None
    assert rec.decode_bcd_date(bytes(4)) is None
    for bad in ("3102 2000", "1A101979", "131019"):
        with pytest.raises(CardDataError):
            rec.decode_bcd_date(bytes.fromhex(bad))


def test_sample_owner_and_insurer_decode() -> None:
    profile = CardProfile()  # the built-in sample: the public barcode example of oms-card.md
    owner = rec.decode_owner(owner_record(profile))
    assert (owner.surname, owner.name, owner.patronymic) == ("Иванова", "Анна", "Сергеевна")
    assert owner.birth_date == date(1979, 10, 13) and owner.sex is rec.Sex.FEMALE
    assert owner.policy == "6449020886006380" and owner.snils == "11223344595"
    assert owner.expiry is None and owner.issue_date == date(2015, 3, 1)
    assert (owner.birth_place, owner.citizenship_code, owner.citizenship) == ("г. Саратов", "RUS", "Россия")
    insurer = rec.decode_insurer(insurer_record(profile))
    assert insurer == rec.Insurer("1027739008440", "63000", date(2015, 3, 1), None)


@pytest.mark.parametrize("name", available_profiles())
def test_every_shipped_profile_builds(name: str) -> None:
    profile = load_profile(name)
    assert owner_record(profile)[0] == rec.OWNER_TAG and insurer_record(profile)[0] == rec.INSURER_TAG


def test_profile_errors_name_the_key(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"owner": {"surnme": "X"}}')
    with pytest.raises(ProfileError, match="surnme"):
        load_profile(bad)
    bad.write_text('{"owner": {"birth_date": "13.10.1979"}}')
    with pytest.raises(ProfileError):
        load_profile(bad)


def test_repr_masks_personal_data() -> None:
    profile = CardProfile()
    card = rec.PolicyCard(rec.decode_owner(owner_record(profile)), None, rec.CardType.EPOLICY, b"")
    text = repr(card) + str(card) + repr(card.owner)
    assert "6449020886006380" not in text and "1979" not in text and "11223344595" not in text
    assert "6449 **** **** 6380" in text


def test_check_digit_and_malformed_records() -> None:
    bad = CardProfile().with_owner(policy="6449020886006381")
    with pytest.raises(CardDataError) as caught:
        rec.decode_owner(owner_record(bad))
    assert caught.value.reason == "check_digit"
    truncated = CardProfile(photo_bytes=0).with_faults(truncate_owner=10)
    with pytest.raises(CardDataError):
        rec.decode_owner(owner_record(truncated))
    with pytest.raises(CardDataError):
        rec.decode_owner(owner_record(CardProfile().with_faults(corrupt_owner=True)))
    with pytest.raises(CardDataError):
        rec.decode_owner(insurer_record(CardProfile()))  # wrong outer tag


def test_card_type_from_atr() -> None:
    assert rec.card_type_from_atr(rec.ATR_FOMSOMS) is rec.CardType.EPOLICY
    assert rec.card_type_from_atr(rec.ATR_FOMS11) is rec.CardType.EPOLICY_1_1
    assert rec.card_type_from_atr(bytes.fromhex("3B6800000073C84013009000")) is rec.CardType.UNKNOWN
    assert rec.card_type_from_atr(rec.ATR_UEC) is rec.CardType.UEC
    assert rec.card_type_from_atr(rec.ATR_EKP) is rec.CardType.EKP
