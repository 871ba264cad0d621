"""One scan's bytes → what they are for the patient: a paper policy, a policy number, a ticket, or a refusal.

Pure and total: every byte string gives a :class:`ScanReading`, nothing raises (a property test feeds it
arbitrary bytes). The rules, in order:

1. 130 bytes of type 01/02: the paper policy's barcode (devices.scanner.oms_barcode), its check digit,
   its birth date checked like a typed one, its expiry like a card's;
2. 61 digits: a ticket's check-in pass (kiosk.tickets.check_in_pass), for today, sealed with this
   polyclinic's key;
3. a ticket's desk code (its CODE128) or a ticket QR without a pass: «this code is for the desk»;
4. text that the keypad's classifier (devices.card.numbers) calls a number: a valid ENP goes on to the
   birth date; a SNILS, a temporary certificate and the like get the keypad's own message;
5. anything else — the digital policy's QR code, whose payload is not public, a URL, other text or
   binary — «Этот код не подходит — введите номер полиса», never a guess.
"""

from __future__ import annotations

import enum
import logging
import re
from dataclasses import dataclass, field
from datetime import date

from devices.card.numbers import NumberKind, check_birth_date, classify_number
from devices.scanner import oms_barcode
from devices.scanner.framing import Frame
from kiosk import scan_messages as m
from kiosk.card_messages import CARD_MESSAGES, INPUT_MESSAGES
from kiosk.format import long_date
from kiosk.tickets.check_in_pass import CheckInPass, PassError, looks_like_pass, open_pass
from kiosk.tickets.model import checkin_code_for

log = logging.getLogger(__name__)

#: keypad classes worth the keypad's own words when scanned (anything else is just "does not fit")
NUMBER_CLASSES = frozenset({NumberKind.ENP_CHECK_DIGIT, NumberKind.TEMPORARY_CERTIFICATE, NumberKind.SNILS,
                            NumberKind.BLANK_OR_SNILS, NumberKind.SOCIAL_CARD})
MAX_TEXT = 512


class ScanKind(enum.Enum):
    PAPER_POLICY = "paper_policy"
    POLICY_NUMBER = "policy_number"
    TICKET = "ticket"
    REFUSED = "refused"


@dataclass(frozen=True)
class ScanReading:
    kind: ScanKind
    policy: str | None = field(default=None, repr=False)
    birth_date: date | None = field(default=None, repr=False)
    ticket: CheckInPass | None = None
    #: REFUSED: the patient's message (msgid) and its %(name)s values
    message: str | None = None
    params: dict[str, str] = field(default_factory=dict)
    #: for the log: what it was, in a technician's words, nothing personal
    detail: str = ""


def _refused(message: str, detail: str, **params: str) -> ScanReading:
    return ScanReading(ScanKind.REFUSED, message=message, params=params, detail=detail)


def read_scan(frame: Frame, *, today: date, ticket_key: bytes | None, reject_expired: bool = True) -> ScanReading:
    if frame.broken:
        return _refused(m.INCOMPLETE, "unfinished or too long scan")
    data = frame.data
    if oms_barcode.looks_like_paper_policy(data):
        return _paper_policy(data, today, reject_expired)
    text = _text(data)
    if text is None:
        return _refused(m.NOT_SUITABLE, f"{len(data)} bytes of binary, not a paper policy")
    if looks_like_pass(text):
        return _ticket(text, today, ticket_key)
    if _is_desk_code(text):
        return _refused(m.TICKET_DESK_CODE, "a ticket's desk code, not its check-in pass")
    number = classify_number(text)
    if number.kind is NumberKind.ENP:
        return ScanReading(ScanKind.POLICY_NUMBER, policy=number.enp, detail="a policy number")
    if number.kind in NUMBER_CLASSES:
        return _refused(INPUT_MESSAGES[number.reason], f"a number: {number.reason}")
    kind = "a URL" if "://" in text else f"{len(text)} characters of text"
    return _refused(m.NOT_SUITABLE, kind)


_PLAIN_TICKET_QR = re.compile(r"[0-9]{1,18};[0-9]{7}")


def _is_desk_code(text: str) -> bool:
    """The ticket's check-in code for the desk (6 digits + check digit, its CODE128), or a plain ticket QR."""
    if _PLAIN_TICKET_QR.fullmatch(text):
        return True
    return len(text) == 7 and text.isascii() and text.isdigit() and checkin_code_for(int(text[:6])) == text


def _text(data: bytes) -> str | None:
    """Printable text (a trailing suffix the scanner adds is dropped), or None for binary."""
    if len(data) > MAX_TEXT:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    text = text.strip("\r\n\t ")
    if not text or not text.isprintable():
        return None
    return text


def _paper_policy(data: bytes, today: date, reject_expired: bool) -> ScanReading:
    try:
        card = oms_barcode.decode(data)
    except oms_barcode.BarcodeError as error:
        message = m.BARCODE_CHECK_DIGIT if error.reason == "check_digit" else m.BARCODE_DAMAGED
        return _refused(message, f"paper policy: {error.detail}")
    if not check_birth_date(card.birth_date, today).ok:
        return _refused(m.BARCODE_BIRTH_DATE, "paper policy: the birth date is in the future or too old")
    if reject_expired and card.expiry is not None and card.expiry < today:
        return _refused(CARD_MESSAGES["expired"], "paper policy: expired")
    return ScanReading(ScanKind.PAPER_POLICY, policy=card.policy, birth_date=card.birth_date,
                       detail=f"paper policy type {card.barcode_type:02d} {card.masked_policy}")


def _ticket(text: str, today: date, ticket_key: bytes | None) -> ScanReading:
    if ticket_key is None:
        return _refused(m.PASS_FORGED, "a ticket, but this kiosk has no ticket key")
    try:
        ticket = open_pass(ticket_key, text, today)
    except PassError as error:
        if error.reason == "other_day" and error.day is not None:
            return _refused(m.PASS_OTHER_DAY, f"a ticket for {error.day.isoformat()}", date=long_date(error.day))
        return _refused(m.PASS_FORGED, f"a ticket: {error.detail}")
    return ScanReading(ScanKind.TICKET, ticket=ticket, detail=f"a ticket for appointment {ticket.appointment_id}")
