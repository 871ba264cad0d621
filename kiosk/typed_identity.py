"""Check what the patient typed on the keypad before asking the registry.

The number classifier and the birth-date rules live in devices.card.numbers (one
implementation for typed, scanned and card-read numbers); the patient's words
for each outcome in kiosk.card_messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from devices.card.numbers import check_birth_date, classify_number
from kiosk.card_messages import INPUT_MESSAGES, INPUT_WALK_IN

POLICY_DIGITS = 16


@dataclass(frozen=True)
class TypedIdentity:
    policy: str | None = None
    birth_date: date | None = None
    problem: str | None = None  # gettext msgid for the patient
    field: str | None = None  # "policy" or "birth": where the patient should look
    #: msgid of the reason for a queue ticket to the registry desk, when the desk must sort it out
    walk_in: str | None = None


def check_typed_identity(policy_digits: str, birth_digits: str, today: date) -> TypedIdentity:
    number = classify_number(policy_digits)
    if not number.ok:
        return TypedIdentity(problem=INPUT_MESSAGES[number.reason], field="policy",
                             walk_in=INPUT_WALK_IN.get(number.reason))
    born = check_birth_date(birth_digits, today)
    if not born.ok or born.value is None:
        return TypedIdentity(problem=INPUT_MESSAGES[born.reason], field="birth")
    return TypedIdentity(policy=number.enp, birth_date=born.value)
