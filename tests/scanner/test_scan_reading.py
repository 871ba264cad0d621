"""What a scan is for the patient (kiosk.scan_reading) and the ticket's sealed check-in pass."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.scanner.framing import Frame
from devices.scanner.oms_barcode import BarcodeType, PaperPolicy, Sex, encode
from kiosk import scan_messages as m
from kiosk.card_messages import CARD_MESSAGES, INPUT_MESSAGES
from kiosk.domain import PatientKey
from kiosk.scan_reading import ScanKind, read_scan
from kiosk.tickets.check_in_pass import PassError, TicketKeyError, load_ticket_key, open_pass, seal
from kiosk.tickets.model import checkin_code_for
from tests.pinned import TEST_NOW
from tests.scanner.samples import TYPE_01, TYPE_02

TODAY = TEST_NOW.date()
KEY = bytes(range(32))
PATIENT = PatientKey("7700000000000024", date(1960, 11, 3))


def read(data: bytes, key: bytes | None = KEY) -> object:
    return read_scan(Frame(data), today=TODAY, ticket_key=key)


@pytest.mark.parametrize(("sample", "born"), [(TYPE_01, date(1979, 10, 13)), (TYPE_02, date(1992, 6, 18))])
def test_paper_policy_identifies_without_typing(sample: bytes, born: date) -> None:
    reading = read_scan(Frame(sample), today=TODAY, ticket_key=KEY)
    assert reading.kind is ScanKind.PAPER_POLICY
    assert (reading.policy, reading.birth_date) == ("6449020886006380", born)
    assert "6449020886006380" not in repr(reading) and "6449020886006380" not in reading.detail


def test_damaged_paper_policy_gets_a_message() -> None:
    damaged = bytearray(TYPE_02)
    damaged[8] ^= 1
    assert read_scan(Frame(bytes(damaged)), today=TODAY, ticket_key=KEY).message == m.BARCODE_CHECK_DIGIT
    damaged = bytearray(TYPE_02)
    damaged[60] = 9
    assert read_scan(Frame(bytes(damaged)), today=TODAY, ticket_key=KEY).message == m.BARCODE_DAMAGED


def test_expired_and_unborn_paper_policies_are_refused() -> None:
    expired = encode(PaperPolicy(BarcodeType.SHORT, "7700000000000024", "ПЕТРОВ", "СЕРГЕЙ", "Н", Sex.MALE,
                                 date(1960, 11, 3), TODAY - timedelta(days=1)))
    assert read_scan(Frame(expired), today=TODAY, ticket_key=KEY).message == CARD_MESSAGES["expired"]
    assert read_scan(Frame(expired), today=TODAY, ticket_key=KEY, reject_expired=False).kind is ScanKind.PAPER_POLICY
    unborn = encode(PaperPolicy(BarcodeType.SHORT, "7700000000000024", "ПЕТРОВ", "СЕРГЕЙ", "Н", Sex.MALE,
                                TODAY + timedelta(days=1), None))
    assert read_scan(Frame(unborn), today=TODAY, ticket_key=KEY).message == m.BARCODE_BIRTH_DATE


@pytest.mark.parametrize("text", [b"7700000000000016", b"7700 0000 0000 0016\r\n", b"\t7700-0000-0000-0016"])
def test_a_scanned_policy_number_goes_on_to_the_birth_date(text: bytes) -> None:
    reading = read_scan(Frame(text), today=TODAY, ticket_key=KEY)
    assert (reading.kind, reading.policy, reading.birth_date) == (ScanKind.POLICY_NUMBER, "7700000000000016", None)


@pytest.mark.parametrize(("text", "message"), [
    (b"7700000000000017", INPUT_MESSAGES["enp_check_digit"]),  # the keypad's classifier and its words
    (b"11223344595", INPUT_MESSAGES["snils"]),
    (b"123456789", INPUT_MESSAGES["temporary_certificate"]),
    (b"https://www.gosuslugi.ru/api/qr/v1/policy?code=7700000000000016", m.NOT_SUITABLE),
    (b'{"enp":"7700000000000016"}', m.NOT_SUITABLE),  # a guess at the digital policy's QR: not taken
    (b"AB 1234567", m.NOT_SUITABLE),
    (b"hello", m.NOT_SUITABLE),
    (b"\x00\x01\x02\xff" * 10, m.NOT_SUITABLE),
    (b"\r\n", m.NOT_SUITABLE),
    (b"4012345678901", m.NOT_SUITABLE),  # a product's EAN-13
    (b"123456789;" + checkin_code_for(123456789).encode(), m.TICKET_DESK_CODE),  # a ticket QR without a pass
    (checkin_code_for(123456789).encode(), m.TICKET_DESK_CODE),  # the ticket's CODE128 for the desk
    (TYPE_02[:129], m.NOT_SUITABLE),
])
def test_everything_else_is_refused_with_the_right_words(text: bytes, message: str) -> None:
    reading = read_scan(Frame(text), today=TODAY, ticket_key=KEY)
    assert reading.kind is ScanKind.REFUSED
    assert reading.message == message


def test_an_incomplete_scan_asks_for_another_try() -> None:
    assert read_scan(Frame(b"", broken=True), today=TODAY, ticket_key=KEY).message == m.INCOMPLETE


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=700))
def test_any_bytes_give_a_reading(data: bytes) -> None:
    reading = read_scan(Frame(data), today=TODAY, ticket_key=KEY)
    assert reading.kind is not ScanKind.REFUSED or reading.message


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"[0-9]{61}", fullmatch=True))
def test_any_61_digits_are_a_forged_pass_unless_sealed_with_the_key(text: str) -> None:
    reading = read_scan(Frame(text.encode()), today=TODAY, ticket_key=KEY)
    assert reading.kind is ScanKind.REFUSED and reading.message == m.PASS_FORGED


# -- the ticket's check-in pass ---------------------------------------------------------------------

def test_a_ticket_of_today_checks_in() -> None:
    text = seal(KEY, PATIENT, 612345, TODAY)
    assert len(text) == 61 and text.isdigit() and "7700000000000024" not in text
    reading = read_scan(Frame(text.encode() + b"\r"), today=TODAY, ticket_key=KEY)
    assert reading.kind is ScanKind.TICKET and reading.ticket is not None
    assert (reading.ticket.key, reading.ticket.appointment_id) == (PATIENT, 612345)


def test_the_pass_is_the_same_for_a_reprint_and_differs_for_anything_else() -> None:
    first = seal(KEY, PATIENT, 612345, TODAY)
    assert seal(KEY, PATIENT, 612345, TODAY) == first
    others = {seal(KEY, PATIENT, 612346, TODAY), seal(KEY, PATIENT, 612345, TODAY + timedelta(days=1)),
              seal(KEY, PatientKey("7700000000000016", PATIENT.birth_date), 612345, TODAY),
              seal(bytes(32), PATIENT, 612345, TODAY)}
    assert first not in others and len(others) == 4


def test_the_pass_fits_a_version_2_qr_code_like_the_plain_one() -> None:
    import qrcode

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(seal(KEY, PatientKey("9999999999999999", date(2079, 1, 1)), 2 ** 48 - 1, date(2079, 6, 6)))
    code.make(fit=True)
    assert code.version == 2


def test_a_ticket_for_another_day_says_which_day() -> None:
    tomorrow = TODAY + timedelta(days=1)
    with pytest.raises(PassError) as error:
        open_pass(KEY, seal(KEY, PATIENT, 612345, tomorrow), TODAY)
    assert (error.value.reason, error.value.day) == ("other_day", tomorrow)
    reading = read_scan(Frame(seal(KEY, PATIENT, 612345, tomorrow).encode()), today=TODAY, ticket_key=KEY)
    assert reading.message == m.PASS_OTHER_DAY and str(tomorrow.year) in reading.params["date"]


@pytest.mark.parametrize("change", ["other_key", "flip", "cut", "garbage"])
def test_forged_altered_or_foreign_tickets_are_refused(change: str) -> None:
    text = seal(KEY, PATIENT, 612345, TODAY)
    key = KEY
    if change == "other_key":
        key = bytes(32)
    elif change == "flip":
        middle = len(text) // 2
        text = text[:middle] + ("1" if text[middle] != "1" else "2") + text[middle + 1:]
    elif change == "cut":
        text = text[:-3]
    else:
        text = "9" * 61
    with pytest.raises(PassError) as error:
        open_pass(key, text, TODAY)
    assert error.value.reason == "forged"
    expected = m.NOT_SUITABLE if change == "cut" else m.PASS_FORGED  # 58 digits are no pass at all
    assert read_scan(Frame(text.encode()), today=TODAY, ticket_key=key).message == expected


def test_the_ticket_key_is_made_once_private_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "ticket-pass.key"
    key = load_ticket_key(path, create=True)
    assert len(key) == 32 and (path.stat().st_mode & 0o777) == 0o600
    assert load_ticket_key(path, create=True) == key  # kept, not made again
    hexed = tmp_path / "hex.key"
    hexed.write_text(KEY.hex() + "\n")
    assert load_ticket_key(hexed, create=False) == KEY
    short = tmp_path / "short.key"
    short.write_bytes(os.urandom(16))
    with pytest.raises(TicketKeyError, match="32 bytes"):
        load_ticket_key(short, create=False)
    with pytest.raises(TicketKeyError, match="cannot read"):
        load_ticket_key(tmp_path / "missing.key", create=False)
