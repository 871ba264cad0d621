"""What did the patient type? Classification of a typed number and birth-date checks.

Rules from shared/ref/oms-card.md §3.7 (classes) and §4 (SNILS checksum). Results
carry a reason code only; the patient-facing text lives in ``kiosk.card_messages``.
Any string gives a result: nothing here raises on odd input.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from devices.card.enp import ENP_LENGTH, is_valid_enp, mask_enp

TEMPORARY_CERTIFICATE_LENGTH = 9
SNILS_LENGTH = 11
SOCIAL_CARD_LENGTH = 19
SOCIAL_CARD_PREFIX = "964390"
MAX_INPUT = 64
#: longer raw input is "too long" without looking (a scanner or a stuck key); below it every
#: character counts: separators are dropped, never the characters after them
MAX_RAW_INPUT = 10_000
MAX_AGE_YEARS = 120
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212.·№#/_]+")


class NumberKind(enum.Enum):
    """The class of a typed number; ``value`` is the reason code for messages."""

    ENP = "enp"
    ENP_CHECK_DIGIT = "enp_check_digit"
    TEMPORARY_CERTIFICATE = "temporary_certificate"
    SNILS = "snils"
    BLANK_OR_SNILS = "blank_or_snils"
    OLD_POLICY = "old_policy"
    SOCIAL_CARD = "social_card"
    EMPTY = "empty"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class NumberCheck:
    kind: NumberKind
    normalized: str = field(repr=False)

    @property
    def ok(self) -> bool:
        """Only a valid ENP lets the patient go on."""
        return self.kind is NumberKind.ENP

    @property
    def reason(self) -> str:
        return self.kind.value

    @property
    def enp(self) -> str | None:
        return self.normalized if self.ok else None

    def __repr__(self) -> str:
        shown = mask_enp(self.normalized) if self.normalized.isdigit() else f"{len(self.normalized)} chars"
        return f"NumberCheck({self.kind.name}, {shown})"


def snils_control(first9: str) -> int:
    """Control number (0..99) of a SNILS from its first 9 digits (§4)."""
    if len(first9) != 9 or not first9.isascii() or not first9.isdigit():
        raise ValueError("expected 9 digits")
    total = sum(int(digit) * weight for digit, weight in zip(first9, range(9, 0, -1), strict=True))
    if total < 100:
        return total
    if total in (100, 101):
        return 0
    remainder = total % 101
    return 0 if remainder == 100 else remainder


def is_valid_snils(number: str) -> bool:
    """11 digits whose last two are the control number; numbers up to 001-001-998 are not checked."""
    digits = "".join(ch for ch in number if ch.isdigit())
    if len(digits) != SNILS_LENGTH or not digits.isascii():
        return False
    if int(digits[:9]) <= 1001998:
        return True
    return snils_control(digits[:9]) == int(digits[9:])


def _ascii_digits(text: str) -> str:
    """Map any Unicode decimal digit to its ASCII form, keep other characters."""
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)


def normalize_number(text: str) -> str:
    """Drop spaces, dashes, dots and similar separators; upper-case letters (all of ``text``)."""
    return _SEPARATORS.sub("", _ascii_digits(text)).upper()


def classify_number(text: str) -> NumberCheck:
    """Classify what the patient typed in the policy-number field."""
    if len(text) > MAX_RAW_INPUT:
        return NumberCheck(NumberKind.TOO_LONG, "")
    normalized = normalize_number(text)
    if not normalized:
        return NumberCheck(NumberKind.EMPTY, "")
    if len(normalized) > MAX_INPUT:
        return NumberCheck(NumberKind.UNKNOWN, normalized[:MAX_INPUT])
    if not normalized.isdigit():
        has_letters = any(ch.isalpha() for ch in normalized)
        has_digits = any(ch.isdigit() for ch in normalized)
        if has_letters and has_digits and normalized.isalnum():
            return NumberCheck(NumberKind.OLD_POLICY, normalized)
        return NumberCheck(NumberKind.UNKNOWN, normalized)
    return NumberCheck(_classify_digits(text, normalized), normalized)


def _classify_digits(text: str, digits: str) -> NumberKind:
    length = len(digits)
    if length == ENP_LENGTH:
        return NumberKind.ENP if is_valid_enp(digits) else NumberKind.ENP_CHECK_DIGIT
    if length == TEMPORARY_CERTIFICATE_LENGTH:
        return NumberKind.TEMPORARY_CERTIFICATE
    if length == SNILS_LENGTH:
        return NumberKind.SNILS if is_valid_snils(digits) else NumberKind.BLANK_OR_SNILS
    if length == SOCIAL_CARD_LENGTH and digits.startswith(SOCIAL_CARD_PREFIX):
        return NumberKind.SOCIAL_CARD
    groups = [group for group in re.split(r"[\s\-–—№]+", text.strip()) if group]
    if len(groups) == 2 and 6 <= length <= 20:
        return NumberKind.OLD_POLICY  # a series and a number
    return NumberKind.TOO_SHORT if length < ENP_LENGTH else NumberKind.TOO_LONG


class BirthDateKind(enum.Enum):
    OK = "ok"
    EMPTY = "birth_date_empty"
    BAD_FORMAT = "birth_date_format"
    NOT_A_DATE = "birth_date_not_a_date"
    IN_FUTURE = "birth_date_in_future"
    TOO_OLD = "birth_date_too_old"


@dataclass(frozen=True)
class BirthDateCheck:
    kind: BirthDateKind
    value: date | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.kind is BirthDateKind.OK

    @property
    def reason(self) -> str:
        return self.kind.value


_DATE_TEXT = re.compile(r"(\d{1,2})[.\-/\s]+(\d{1,2})[.\-/\s]+(\d{4})|(\d{2})(\d{2})(\d{4})")


def _years_before(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def check_birth_date(value: date | str, today: date) -> BirthDateCheck:
    """A real date (``DD.MM.YYYY``, ``DDMMYYYY`` or a date), not in the future, at most 120 years ago."""
    if isinstance(value, str):
        if len(value) > MAX_RAW_INPUT:
            return BirthDateCheck(BirthDateKind.BAD_FORMAT)
        text = _ascii_digits(value).strip()
        if not text:
            return BirthDateCheck(BirthDateKind.EMPTY)
        if len(text) > MAX_INPUT:  # a date is short; whatever else was typed is not dropped unseen
            return BirthDateCheck(BirthDateKind.BAD_FORMAT)
        match = _DATE_TEXT.fullmatch(text)
        if match is None:
            return BirthDateCheck(BirthDateKind.BAD_FORMAT)
        parts = match.groups()[:3] if match.group(1) else match.groups()[3:]
        day, month, year = (int(part) for part in parts)
        try:
            value = date(year, month, day)
        except ValueError:
            return BirthDateCheck(BirthDateKind.NOT_A_DATE)
    if value > today:
        return BirthDateCheck(BirthDateKind.IN_FUTURE, value)
    if value < _years_before(today, MAX_AGE_YEARS):
        return BirthDateCheck(BirthDateKind.TOO_OLD, value)
    return BirthDateCheck(BirthDateKind.OK, value)
