"""What may be said: long numbers (a policy number, a birth date) only by their last four digits."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kiosk.i18n import set_language
from kiosk.speech.privacy import sentences, speakable


def test_a_policy_number_is_said_by_its_last_four_digits() -> None:
    set_language("ru")
    said = speakable("Полис 7700 1234 5678 0017 принят")
    assert said == "Полис номер, оканчивающийся на 0 0 1 7 принят"


def test_a_birth_date_and_markup_are_not_said() -> None:
    set_language("en")
    assert speakable("[b]Born[/b] 12.04.1950") == "Born number ending in 1 9 5 0"
    assert speakable("Time: 10:30, room 1-14, 2 Dec") == "Time: 10:30, room 1-14, 2 Dec"


@given(st.text(alphabet="0123456789 ._-*", min_size=8, max_size=40).filter(
    lambda s: sum(c.isdigit() for c in s) >= 8))
def test_a_long_run_of_digits_leaves_only_four(text: str) -> None:
    set_language("en")
    assert sum(c.isdigit() for c in speakable(f"x {text} y")) == 4


@given(st.from_regex(r"\d{16}", fullmatch=True))
def test_a_typed_policy_never_appears(policy: str) -> None:
    set_language("ru")
    said = speakable(f"Номер {policy[:4]} {policy[4:8]} {policy[8:12]} {policy[12:]}")
    assert policy[:8] not in "".join(c for c in said if c.isdigit())


def test_sentences_end_with_one_stop() -> None:
    assert sentences(["Инфомат", "Вставьте полис.", "", "  Подождите…  "]) == "Инфомат. Вставьте полис. Подождите…"


def test_lines_become_sentences() -> None:
    said = speakable("Терапевт\nпн, 23 ноября, 14:00\nкабинет 1-14.\n")
    assert said == "Терапевт. пн, 23 ноября, 14:00. кабинет 1-14."
