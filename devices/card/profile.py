"""Virtual OMS card profiles: who is on the card and which faults it plays.

A profile is a JSON file (``devices/card/profiles/*.json``); every key is
optional and falls back to the demo card below. ``faults`` make the card
misbehave the way real cards and readers do (see docs/card.md).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from devices.card import policy_record as rec
from devices.card.tlv import encode

PROFILES_DIR = Path(__file__).parent / "profiles"
DEFAULT_PROFILE = "demo"
ATRS = {"fomsoms": rec.ATR_FOMSOMS, "foms11": rec.ATR_FOMS11, "uec": rec.ATR_UEC, "ekp": rec.ATR_EKP,
        "bank": bytes.fromhex("3B6800000073C84013009000")}


class ProfileError(ValueError):
    """A profile file that cannot be used; the message names the file and key."""


@dataclass(frozen=True)
class OwnerData:
    surname: str = "Иванова"
    name: str = "Анна"
    patronymic: str = "Сергеевна"
    birth_date: str = "1979-10-13"
    sex: int = 2
    policy: str = "6449020886006380"
    snils: str = "11223344595"
    expiry: str | None = None
    issue_date: str | None = "2015-03-01"
    birth_place: str = "г. Саратов"
    citizenship_code: str = "RUS"
    citizenship: str = "Россия"


@dataclass(frozen=True)
class InsurerData:
    ogrn: str = "1027739008440"
    okato: str = "63000"
    start: str | None = "2015-03-01"
    end: str | None = None


@dataclass(frozen=True)
class Faults:
    mute: bool = False              # never answers an APDU after power-on (reader times out)
    status_word: str = ""           # e.g. "6F00": answer this instead of 9000 ...
    status_on: str = "read_binary"  # ... to this command: select, read_binary, get_data
    delay_ms: int = 0               # wait before every answer
    remove_after_apdus: int = 0     # the card is pulled out after answering N APDUs (0 = never)
    truncate_owner: int = 0         # cut N bytes off the end of the owner record (header unchanged)
    corrupt_owner: bool = False     # owner record text is not UTF-8 and its TLV is broken
    max_response: int = 256         # at most N bytes per READ BINARY answer (short answers)
    strict_le: bool = False         # asking past the end of the file gives 6Cxx (right Le), not 6282
    require_root_select: bool = False  # FOMS_ID is found only after SELECT foms_root


@dataclass(frozen=True)
class CardProfile:
    name: str = DEFAULT_PROFILE
    atr: str = "fomsoms"            # fomsoms, foms11, bank or hex
    oms: bool = True                # False: a bank card without the FOMS applications
    photo_bytes: int = 8192         # size of the JPEG in 7F40 (0 = no photo)
    signature_bytes: int = 1024     # size of the insurer's signature block 7F60
    insurer_fid: str = "0301"
    owner: OwnerData = field(default_factory=OwnerData)
    insurer: InsurerData = field(default_factory=InsurerData)
    faults: Faults = field(default_factory=Faults)

    @property
    def atr_bytes(self) -> bytes:
        return ATRS.get(self.atr) or bytes.fromhex(self.atr)

    def with_faults(self, **changes: Any) -> CardProfile:
        return dataclasses.replace(self, faults=dataclasses.replace(self.faults, **changes))

    def with_owner(self, **changes: Any) -> CardProfile:
        return dataclasses.replace(self, owner=dataclasses.replace(self.owner, **changes))


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def owner_record(profile: CardProfile) -> bytes:
    """The owner file EF 0201 as the card stores it: tag 62, photo last."""
    owner = profile.owner
    parts = [encode(rec.SURNAME, owner.surname.encode()), encode(rec.NAME, owner.name.encode())]
    if owner.patronymic:
        parts.append(encode(rec.PATRONYMIC, owner.patronymic.encode()))
    parts += [encode(rec.BIRTH_DATE, rec.encode_bcd_date(_date(owner.birth_date))),
              encode(rec.SEX, bytes([owner.sex])), encode(rec.POLICY, owner.policy.encode())]
    if owner.snils:
        parts.append(encode(rec.SNILS, owner.snils.encode()))
    parts += [encode(rec.EXPIRY, rec.encode_bcd_date(_date(owner.expiry))),
              encode(rec.BIRTH_PLACE, owner.birth_place.encode()),
              encode(rec.ISSUE_DATE, rec.encode_bcd_date(_date(owner.issue_date))),
              encode(rec.CITIZENSHIP, encode(rec.COUNTRY_CODE, owner.citizenship_code.encode())
                     + encode(rec.COUNTRY_NAME, owner.citizenship.encode()))]
    if profile.photo_bytes:
        filler = bytes(i % 251 for i in range(max(0, profile.photo_bytes - 6)))
        jpeg = b"\xff\xd8\xff\xe0" + filler + b"\xff\xd9"
        parts.append(encode(rec.PHOTO_TAG, encode(0x5F41, b"\x01") + encode(0x5F42, jpeg)))
    body = b"".join(parts)
    if profile.faults.corrupt_owner:
        body = encode(rec.SURNAME, b"\xff\xfe\xc3") + b"\x5f\x22\x84\xff\xff\xff\xff"
    record = encode(rec.OWNER_TAG, body)
    if profile.faults.truncate_owner:
        record = record[:max(1, len(record) - profile.faults.truncate_owner)]
    return record


def insurer_record(profile: CardProfile) -> bytes:
    insurer = profile.insurer
    body = (encode(rec.OGRN, insurer.ogrn.encode()) + encode(rec.OKATO, insurer.okato.encode())
            + encode(rec.INSURED_FROM, rec.encode_bcd_date(_date(insurer.start)))
            + encode(rec.INSURED_UNTIL, rec.encode_bcd_date(_date(insurer.end))))
    if profile.signature_bytes:
        body += encode(rec.SIGNATURE_TAG, encode(0x5F61, bytes(64))
                       + encode(0x5F62, bytes(max(0, profile.signature_bytes - 72))))
    return encode(rec.INSURER_TAG, body)


def _build(cls: type, data: Any, where: str) -> Any:
    if not isinstance(data, dict):
        raise ProfileError(f"{where}: expected an object")
    names = {f.name: f for f in dataclasses.fields(cls)}
    unknown = set(data) - set(names)
    if unknown:
        raise ProfileError(f"{where}: unknown keys {sorted(unknown)}; allowed: {sorted(names)}")
    values = {}
    for key, value in data.items():
        nested = {"owner": OwnerData, "insurer": InsurerData, "faults": Faults}.get(key)
        values[key] = _build(nested, value, f"{where}.{key}") if cls is CardProfile and nested else value
    return cls(**values)


def profile_from_dict(data: dict[str, Any], where: str = "profile") -> CardProfile:
    profile: CardProfile = _build(CardProfile, data, where)
    try:
        profile.atr_bytes  # noqa: B018 - validates the ATR
        owner_record(profile)
        insurer_record(profile)
        int(profile.insurer_fid, 16)
    except (ValueError, TypeError, OverflowError, UnicodeError) as exc:
        raise ProfileError(f"{where}: {exc}") from exc
    return profile


def load_profile(name_or_path: str | Path = DEFAULT_PROFILE) -> CardProfile:
    """A profile by name (``demo`` → profiles/demo.json) or by path to a JSON file."""
    path = Path(name_or_path)
    if not path.suffix:
        path = PROFILES_DIR / f"{name_or_path}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ProfileError(f"{path}: {exc}") from exc
    data.setdefault("name", path.stem)
    return profile_from_dict(data, str(path))


def available_profiles() -> list[str]:
    return sorted(path.stem for path in PROFILES_DIR.glob("*.json"))
