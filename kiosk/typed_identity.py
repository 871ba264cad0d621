"""Check what the patient typed before asking the registry.

Placeholder-free but deliberately small: the full classifier of number kinds
(temporary certificate, SNILS, old-style policy, …) lives in devices.card.numbers
and is wired in here when available.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from devices.card.enp import is_valid_enp
from kiosk.i18n import N_

POLICY_DIGITS = 16
MAX_AGE_YEARS = 120


@dataclass(frozen=True)
class TypedIdentity:
    policy: str | None = None
    birth_date: date | None = None
    problem: str | None = None  # gettext msgid for the patient
    field: str | None = None  # "policy" or "birth": where the patient should look


def parse_birth_date(digits: str, today: date) -> date | None:
    """DDMMYYYY → a real date not in the future and at most 120 years ago, else None."""
    if len(digits) != 8 or not digits.isdigit():
        return None
    try:
        born = date(int(digits[4:]), int(digits[2:4]), int(digits[:2]))
    except ValueError:
        return None
    if born > today or today.year - born.year > MAX_AGE_YEARS:
        return None
    return born


def check_typed_identity(policy_digits: str, birth_digits: str, today: date) -> TypedIdentity:
    if len(policy_digits) != POLICY_DIGITS:
        return TypedIdentity(problem=N_("The policy number has 16 digits. Please type all of them."),
                             field="policy")
    if not is_valid_enp(policy_digits):
        return TypedIdentity(problem=N_("There is a mistake in the policy number. Please check every digit."),
                             field="policy")
    born = parse_birth_date(birth_digits, today)
    if born is None:
        return TypedIdentity(problem=N_("Please type the birth date as day, month and year, for example 05.03.1956."),
                             field="birth")
    return TypedIdentity(policy=policy_digits, birth_date=born)
