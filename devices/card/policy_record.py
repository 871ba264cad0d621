"""Decoding of the owner record (tag 62) and the current insurer record (tag 64).

See shared/ref/oms-card.md §1.3-1.4: UTF-8 text, 4-byte BCD dates ``DD MM CC YY``
with 01.01.1900 meaning "no date", sex 1 = male, 2 = female. The photo (7F40) and
the insurer's signature block (7F60) are never needed and may be absent.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from devices.card.enp import ENP_LENGTH, is_valid_enp, mask_enp
from devices.card.tlv import CardDataError, Tlv, find, parse_one

OWNER_TAG = 0x62
INSURER_TAG = 0x64
PHOTO_TAG = 0x7F40
SIGNATURE_TAG = 0x7F60
#: constructed objects a kiosk never needs: the reader skips their values on the card
SKIPPED_TAGS = frozenset({PHOTO_TAG, SIGNATURE_TAG})

SURNAME, NAME, PATRONYMIC, BIRTH_DATE, SEX, POLICY, SNILS, EXPIRY, BIRTH_PLACE, ISSUE_DATE = (
    0x5F21, 0x5F22, 0x5F23, 0x5F24, 0x5F25, 0x5F26, 0x5F27, 0x5F28, 0x5F29, 0x5F2A)
CITIZENSHIP, COUNTRY_CODE, COUNTRY_NAME = 0x7F30, 0x5F31, 0x5F32
OGRN, OKATO, INSURED_FROM, INSURED_UNTIL = 0x5F51, 0x5F52, 0x5F53, 0x5F54

NO_DATE = date(1900, 1, 1)
DecodedT = TypeVar("DecodedT")

ATR_FOMSOMS = bytes.fromhex("3BF71300008131FE45464F4D534F4D53A9")
ATR_FOMS11 = bytes.fromhex("3BD911008131FE8D0000464F4D53312E3132")
#: cards a patient may offer instead of the policy (oms-card.md §1.7): known, but not readable here
ATR_UEC = bytes.fromhex("3B7C130000806411650190730000008107")
ATR_EKP = bytes.fromhex("3B6800000073C84011009000")


class Sex(enum.Enum):
    MALE = 1
    FEMALE = 2


class CardType(enum.Enum):
    """What the ATR says; only a hint, the application SELECT decides."""

    EPOLICY = "e-policy (FOMSOMS)"
    EPOLICY_1_1 = "e-policy (FOMS1.1)"
    FOMS_OTHER = "FOMS card, unknown variant"
    UEC = "universal electronic card (UEC)"
    EKP = "St Petersburg resident card (EKP)"
    UNKNOWN = "unknown ATR"


def card_type_from_atr(atr: bytes) -> CardType:
    if atr == ATR_FOMSOMS:
        return CardType.EPOLICY
    if atr == ATR_FOMS11:
        return CardType.EPOLICY_1_1
    if b"FOMS" in atr:
        return CardType.FOMS_OTHER
    if atr == ATR_UEC:
        return CardType.UEC
    if atr == ATR_EKP:
        return CardType.EKP
    return CardType.UNKNOWN


def mask_snils(snils: str) -> str:
    """``112-233-445 95`` → ``***-***-*** 95``."""
    digits = "".join(ch for ch in snils if ch.isdigit())
    return f"***-***-*** {digits[-2:]}" if len(digits) == 11 else ("***" if digits else "")


@dataclass(frozen=True)
class Owner:
    surname: str
    name: str
    patronymic: str
    birth_date: date = field(repr=False)
    sex: Sex | None
    policy: str = field(repr=False)
    snils: str = field(repr=False, default="")
    expiry: date | None = None
    issue_date: date | None = None
    birth_place: str = field(repr=False, default="")
    citizenship_code: str = ""
    citizenship: str = ""

    @property
    def masked_policy(self) -> str:
        return mask_enp(self.policy)

    @property
    def short_name(self) -> str:
        initials = " ".join(f"{part[0]}." for part in (self.name, self.patronymic) if part)
        return f"{self.surname} {initials}".strip()

    def __repr__(self) -> str:
        return (f"Owner({self.short_name!r}, policy {self.masked_policy}, birth date hidden, "
                f"expiry {self.expiry})")

    __str__ = __repr__


@dataclass(frozen=True)
class Insurer:
    ogrn: str
    okato: str
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class PolicyCard:
    owner: Owner
    insurer: Insurer | None
    card_type: CardType
    atr: bytes

    @property
    def masked_policy(self) -> str:
        return self.owner.masked_policy

    def is_expired(self, today: date) -> bool:
        return self.owner.expiry is not None and self.owner.expiry < today

    def __repr__(self) -> str:
        return f"PolicyCard({self.owner!r}, {self.insurer!r}, {self.card_type.value})"

    __str__ = __repr__


def decode_bcd_date(raw: bytes) -> date | None:
    """``13 10 19 79`` → 13.10.1979; 01.01.1900 and all zeros → None."""
    if len(raw) != 4:
        raise CardDataError(f"a BCD date has 4 bytes, got {len(raw)}")
    if raw == b"\x00\x00\x00\x00":
        return None
    nibbles = [n for byte in raw for n in (byte >> 4, byte & 0x0F)]
    if any(n > 9 for n in nibbles):
        raise CardDataError("a date byte is not BCD")
    day, month, century, year = (nibbles[i] * 10 + nibbles[i + 1] for i in range(0, 8, 2))
    try:
        value = date(century * 100 + year, month, day)
    except ValueError as exc:
        raise CardDataError("not a calendar date") from exc
    return None if value == NO_DATE else value


def encode_bcd_date(value: date | None) -> bytes:
    value = value or NO_DATE
    text = f"{value.day:02d}{value.month:02d}{value.year:04d}"
    return bytes.fromhex(text)


def _text(objects: tuple[Tlv, ...], tag: int) -> str:
    tlv = find(objects, tag)
    if tlv is None:
        return ""
    try:
        return tlv.value.decode("utf-8").strip("\x00 \t\r\n")
    except UnicodeDecodeError as exc:
        raise CardDataError(f"tag {tag:X} is not UTF-8 text") from exc


def _date(objects: tuple[Tlv, ...], tag: int) -> date | None:
    tlv = find(objects, tag)
    return None if tlv is None else decode_bcd_date(tlv.value)


def _outer(data: bytes, tag: int) -> tuple[Tlv, ...]:
    outer, _ = parse_one(data)
    if outer.tag != tag or not outer.constructed:
        raise CardDataError(f"expected a record with tag {tag:X}, found {outer.tag:X}")
    return outer.children()


def _policy_number(objects: tuple[Tlv, ...]) -> str:
    policy = _text(objects, POLICY).replace(" ", "")
    if not policy.isascii() or not policy.isdigit() or len(policy) > ENP_LENGTH:
        raise CardDataError("the policy number is not 16 digits")
    policy = policy.zfill(ENP_LENGTH)
    if not is_valid_enp(policy):
        raise CardDataError("the policy number fails its check digit", "check_digit")
    return policy


def decode_owner(data: bytes) -> Owner:
    """Decode the owner record; ``data`` starts with its ``62`` header (photo may be cut off)."""
    objects = _outer(data, OWNER_TAG)
    surname, name = _text(objects, SURNAME), _text(objects, NAME)
    if not surname or not name:
        raise CardDataError("surname or name missing")
    birth_date = _date(objects, BIRTH_DATE)
    if birth_date is None:
        raise CardDataError("birth date missing")
    sex_tlv = find(objects, SEX)
    sex = None
    if sex_tlv is not None and len(sex_tlv.value) == 1 and sex_tlv.value[0] in (1, 2):
        sex = Sex(sex_tlv.value[0])
    citizenship = find(objects, CITIZENSHIP)
    country: tuple[Tlv, ...] = citizenship.children() if citizenship and citizenship.constructed else ()
    return Owner(
        surname=surname, name=name, patronymic=_text(objects, PATRONYMIC), birth_date=birth_date,
        sex=sex, policy=_policy_number(objects), snils="".join(ch for ch in _text(objects, SNILS)
                                                              if ch.isdigit()),
        expiry=_date(objects, EXPIRY), issue_date=_date(objects, ISSUE_DATE),
        birth_place=_text(objects, BIRTH_PLACE), citizenship_code=_text(country, COUNTRY_CODE),
        citizenship=_text(country, COUNTRY_NAME))


def decode_insurer(data: bytes) -> Insurer:
    """Decode the current insurer record; ``data`` starts with its ``64`` header."""
    objects = _outer(data, INSURER_TAG)
    return Insurer(ogrn=_text(objects, OGRN), okato=_text(objects, OKATO),
                   start=_date(objects, INSURED_FROM), end=_date(objects, INSURED_UNTIL))
