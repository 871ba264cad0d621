"""What the keypad hands to the flow: a valid policy and date, or the patient's words for the problem."""

from __future__ import annotations

from datetime import date

import pytest

from devices.card.enp import complete_enp
from kiosk.card_messages import INPUT_MESSAGES
from kiosk.typed_identity import check_typed_identity

TODAY = date(2026, 11, 24)
GOOD = complete_enp("770000000000001")


def test_valid_entry() -> None:
    result = check_typed_identity(GOOD, "12041985", TODAY)
    assert (result.policy, result.birth_date, result.problem) == (GOOD, date(1985, 4, 12), None)


@pytest.mark.parametrize(("policy", "birth", "reason", "field"), [
    (GOOD[:-1] + str((int(GOOD[-1]) + 1) % 10), "12041985", "enp_check_digit", "policy"),
    ("", "12041985", "empty", "policy"),
    ("1234", "12041985", "too_short", "policy"),
    (GOOD, "", "birth_date_empty", "birth"),
    (GOOD, "31022000", "birth_date_not_a_date", "birth"),
    (GOOD, "01012030", "birth_date_in_future", "birth"),
    (GOOD, "01011890", "birth_date_too_old", "birth"),
])
def test_problems_point_at_the_field(policy: str, birth: str, reason: str, field: str) -> None:
    result = check_typed_identity(policy, birth, TODAY)
    assert result.policy is None
    assert result.problem == INPUT_MESSAGES[reason]
    assert result.field == field
