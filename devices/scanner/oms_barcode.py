"""The barcode of the paper OMS policy of the unified form (2011–2022), types 01 and 02.

Layout from ../shared/ref/oms-card.md §3.2: a 130-byte binary payload; integers big-endian;
dates are 16-bit day counts since 01.01.1900 (0 = none); names are 6-bit character codes.
``decode`` never raises anything but :class:`BarcodeError` (with a reason code), whatever the bytes;
``encode`` builds a payload (the virtual scanner, tests) with a blank signature.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, timedelta

from devices.card.enp import ENP_LENGTH, is_valid_enp, mask_enp

PAYLOAD_LENGTH = 130
EPOCH = date(1900, 1, 1)
SEPARATOR = 0x3F
#: 6-bit codes 0x00..0x2E; 0x2F..0x3E are reserved, 0x3F separates the words
ALPHABET = " .-‘0123456789АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЬЪЫЭЮЯ"
_CODES = {char: code for code, char in enumerate(ALPHABET)}


class BarcodeType(enum.IntEnum):
    WITH_INSURER = 1  # type 01: the insurer at issuance (OGRN, OKATO)
    SHORT = 2  # type 02


class Sex(enum.IntEnum):
    MALE = 1
    FEMALE = 2


@dataclass(frozen=True)
class _Layout:
    name: slice
    sex: int

    @property
    def birth(self) -> slice:
        return slice(self.sex + 1, self.sex + 3)

    @property
    def expiry(self) -> slice:
        return slice(self.sex + 3, self.sex + 5)


LAYOUTS = {BarcodeType.WITH_INSURER: _Layout(slice(9, 51), 51), BarcodeType.SHORT: _Layout(slice(9, 60), 60)}
ENP_BYTES = slice(1, 9)
OGRN_BYTES, OKATO_BYTES = slice(56, 62), slice(62, 65)
SIGNATURE_BYTES = slice(65, 130)


class BarcodeError(Exception):
    """Not a usable paper-policy barcode. ``reason``: ``foreign`` (not this kind of payload at all),
    ``damaged`` (the right kind, but a field cannot be what it says) or ``check_digit``."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class PaperPolicy:
    barcode_type: BarcodeType
    policy: str = field(repr=False)
    surname: str = field(repr=False)
    name: str = field(repr=False)
    patronymic: str = field(repr=False)
    sex: Sex
    birth_date: date = field(repr=False)
    #: None = not limited
    expiry: date | None
    insurer_ogrn: str = ""
    insurer_okato: str = ""

    @property
    def masked_policy(self) -> str:
        return mask_enp(self.policy)

    def __repr__(self) -> str:
        return f"PaperPolicy(type {self.barcode_type:02d}, {self.masked_policy})"


def looks_like_paper_policy(payload: bytes) -> bool:
    """The shape of this barcode: 130 bytes starting with type 01 or 02 (the content may still be damaged)."""
    return len(payload) == PAYLOAD_LENGTH and payload[0] in (BarcodeType.WITH_INSURER, BarcodeType.SHORT)


def decode(payload: bytes) -> PaperPolicy:
    if len(payload) != PAYLOAD_LENGTH:
        raise BarcodeError("foreign", f"{len(payload)} bytes, a paper policy has {PAYLOAD_LENGTH}")
    if payload[0] not in (BarcodeType.WITH_INSURER, BarcodeType.SHORT):
        raise BarcodeError("foreign", f"type byte {payload[0]:02x}, expected 01 or 02")
    kind = BarcodeType(payload[0])
    layout = LAYOUTS[kind]
    number = int.from_bytes(payload[ENP_BYTES], "big")
    if number >= 10 ** ENP_LENGTH:
        raise BarcodeError("damaged", "the policy number has more than 16 digits")
    policy = f"{number:016d}"
    if not is_valid_enp(policy):
        raise BarcodeError("check_digit", f"policy {mask_enp(policy)}: the check digit does not match")
    surname, name, patronymic = _names(kind, payload[layout.name])
    try:
        sex = Sex(payload[layout.sex])
    except ValueError:
        raise BarcodeError("damaged", f"sex byte {payload[layout.sex]:02x}") from None
    birth = _date(payload[layout.birth])
    if birth is None:
        raise BarcodeError("damaged", "no birth date")
    ogrn = okato = ""
    if kind is BarcodeType.WITH_INSURER:
        ogrn = str(int.from_bytes(payload[OGRN_BYTES], "big"))
        okato = str(int.from_bytes(payload[OKATO_BYTES], "big"))
    return PaperPolicy(kind, policy, surname, name, patronymic, sex, birth, _date(payload[layout.expiry]),
                       ogrn, okato)


def _date(raw: bytes) -> date | None:
    days = int.from_bytes(raw, "big")
    return EPOCH + timedelta(days=days) if days else None


def _six_bit(raw: bytes) -> list[int]:
    bits = len(raw) * 8
    number = int.from_bytes(raw, "big")
    return [(number >> (bits - 6 * (i + 1))) & 0x3F for i in range(bits // 6)]


def _names(kind: BarcodeType, raw: bytes) -> tuple[str, str, str]:
    """(surname, name, patronymic). Type 02: «Фамилия|Имя|Отчество» padded with spaces. Type 01: the bytes
    are stored reversed and so is the text; read forwards it is «Имя|Фамилия|Отчество»."""
    codes = _six_bit(raw[::-1] if kind is BarcodeType.WITH_INSURER else raw)
    if kind is BarcodeType.WITH_INSURER:
        codes.reverse()
    if any(len(ALPHABET) <= code < SEPARATOR for code in codes):
        raise BarcodeError("damaged", "the name holds reserved character codes")
    text = "".join("|" if code == SEPARATOR else ALPHABET[code] for code in codes)
    words = [" ".join(word.split()) for word in text.split("|")]
    if len(words) != 3:
        raise BarcodeError("damaged", f"the name has {len(words)} parts, expected 3")
    if kind is BarcodeType.WITH_INSURER:
        words = [words[1], words[0], words[2]]
    surname, name, patronymic = words
    if not surname or not name:
        raise BarcodeError("damaged", "the surname or the name is empty")
    return surname, name, patronymic


# -- encoding (the virtual scanner and the tests) ------------------------------------------------------

def _pack_six_bit(codes: list[int], length: int) -> bytes:
    bits = length * 8
    codes = (codes + [0] * (bits // 6))[: bits // 6]
    number = 0
    for code in codes:
        number = (number << 6) | code
    return (number << (bits - 6 * len(codes))).to_bytes(length, "big")


def _days(day: date | None) -> bytes:
    return ((day - EPOCH).days if day else 0).to_bytes(2, "big")


def encode(card: PaperPolicy) -> bytes:
    """The payload a paper policy with these fields carries (signature bytes are zero)."""
    layout = LAYOUTS[card.barcode_type]
    if card.barcode_type is BarcodeType.WITH_INSURER:
        words = [card.name, card.surname, card.patronymic]
    else:
        words = [card.surname, card.name, card.patronymic]
    codes: list[int] = []
    for index, word in enumerate(words):
        if index:
            codes.append(SEPARATOR)
        codes.extend(_CODES[char] for char in word.upper())
    width = layout.name.stop - layout.name.start
    if len(codes) > width * 8 // 6:
        raise ValueError("the name does not fit the barcode")
    if card.barcode_type is BarcodeType.WITH_INSURER:
        full = (codes + [0] * (width * 8 // 6))[: width * 8 // 6]  # padded at the end of the forward text
        name = _pack_six_bit(full[::-1], width)[::-1]
    else:
        name = _pack_six_bit(codes, width)
    payload = bytearray(PAYLOAD_LENGTH)
    payload[0] = card.barcode_type
    payload[ENP_BYTES] = int(card.policy).to_bytes(8, "big")
    payload[layout.name] = name
    payload[layout.sex] = card.sex
    payload[layout.birth] = _days(card.birth_date)
    payload[layout.expiry] = _days(card.expiry)
    if card.barcode_type is BarcodeType.WITH_INSURER:
        payload[OGRN_BYTES] = int(card.insurer_ogrn or 0).to_bytes(6, "big")
        payload[OKATO_BYTES] = int(card.insurer_okato or 0).to_bytes(3, "big")
    return bytes(payload)

