"""The reader's APDU logic against the virtual card's applet, without pcscd (fast, runs anywhere).

The real-stack tests (test_pcsc_read.py) cover the same paths through pcscd and vpcd.
"""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.card import policy_record as rec
from devices.card.errors import REASONS, CardReadError
from devices.card.profile import CardProfile, load_profile
from devices.card.reader import PolicyReader
from devices.card.tlv import encode
from devices.card.virtual_card import DF_ID, OWNER_FID, CardApplet
from tests.pinned import TODAY


class AppletTransport:
    def __init__(self, applet: CardApplet) -> None:
        self.applet = applet
        self.apdus: list[bytes] = []

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        self.apdus.append(apdu)
        answer = self.applet.answer(apdu)
        return answer[:-2], int.from_bytes(answer[-2:], "big")


def read(profile: CardProfile, owner_file: bytes | None = None) -> tuple[rec.PolicyCard, AppletTransport]:
    applet = CardApplet(profile)
    if owner_file is not None:
        applet.files[(DF_ID, OWNER_FID)] = owner_file
    transport = AppletTransport(applet)
    return PolicyReader(transport, profile.atr_bytes, today=TODAY).read(), transport


def test_seven_apdus_and_no_byte_by_byte_reads() -> None:
    card, transport = read(load_profile("demo"))
    assert card.owner.policy == load_profile("demo").owner.policy
    assert len(transport.apdus) == 7
    reads = [apdu for apdu in transport.apdus if apdu[1] == 0xB0]
    assert all(apdu[4] in (0, 0xFF) or apdu[4] > 16 for apdu in reads)


def test_large_photo_in_the_middle_is_jumped_over() -> None:
    profile = load_profile("demo")
    photo = encode(rec.PHOTO_TAG, encode(0x5F42, bytes(20000)))
    children = [encode(rec.SURNAME, "Ёлкина".encode()), photo, encode(rec.NAME, "Анна".encode()),
                encode(rec.BIRTH_DATE, bytes.fromhex("01021990")), encode(rec.POLICY, b"7700000000000016")]
    owner_file = encode(rec.OWNER_TAG, b"".join(children))
    card, transport = read(profile, owner_file)
    assert (card.owner.surname, card.owner.name) == ("Ёлкина", "Анна")
    read_bytes = sum(apdu[4] or 256 for apdu in transport.apdus if apdu[1] == 0xB0)
    assert read_bytes < 1024 and len(transport.apdus) <= 8
    assert any(((apdu[2] << 8) | apdu[3]) > 20000 for apdu in transport.apdus if apdu[1] == 0xB0)


@pytest.mark.parametrize("max_response", [1, 7, 100, 255])
def test_short_answers(max_response: int) -> None:
    profile = dataclasses.replace(load_profile("demo"), photo_bytes=0).with_faults(max_response=max_response)
    card, _ = read(profile)
    assert card.owner.policy == profile.owner.policy


@pytest.mark.parametrize("photo_bytes", [0, 300])
def test_wrong_le_answers_are_retried_with_the_right_length(photo_bytes: int) -> None:
    profile = dataclasses.replace(load_profile("demo"), photo_bytes=photo_bytes, signature_bytes=0)
    card, transport = read(profile.with_faults(strict_le=True))
    assert card.owner.policy == profile.owner.policy
    assert any(apdu[1] == 0xB0 and apdu[4] not in (0, 0xFF) for apdu in transport.apdus)  # the retry
    assert len(transport.apdus) <= 9


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=700))
def test_any_owner_file_gives_a_card_or_a_reason(owner_file: bytes) -> None:
    try:
        read(load_profile("demo"), owner_file)
    except CardReadError as exc:
        assert exc.reason in REASONS


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([0x5F21, 0x5F22, 0x5F24, 0x5F26, 0x5F28, 0x7F40, 0x7F30, 0x5F99]),
                          st.binary(max_size=300)), max_size=8))
def test_any_tlv_owner_record_gives_a_card_or_a_reason(items: list[tuple[int, bytes]]) -> None:
    owner_file = encode(rec.OWNER_TAG, b"".join(encode(tag, value) for tag, value in items))
    applet = CardApplet(load_profile("demo"))
    applet.files[(DF_ID, OWNER_FID)] = owner_file
    transport = AppletTransport(applet)
    try:
        PolicyReader(transport, today=TODAY).read_owner()
    except CardReadError as exc:
        assert exc.reason in ("malformed", "check_digit")
    reads = sum(1 for apdu in transport.apdus if apdu[1] == 0xB0)
    skipped = sum(1 for tag, _ in items if tag in rec.SKIPPED_TAGS)
    assert reads <= len(owner_file) // 256 + skipped + 2  # chunks, one jump per skipped object, no byte-wise
