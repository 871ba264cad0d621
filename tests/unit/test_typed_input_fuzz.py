"""Typed input far past 256 characters — separators repeated, any Unicode — ends in a clear message
(or the very number the patient meant), never an exception and never a number cut short."""

from __future__ import annotations

from datetime import date

from hypothesis import example, given, settings
from hypothesis import strategies as st

from devices.card.enp import complete_enp
from devices.card.numbers import check_birth_date, classify_number
from kiosk.card_messages import FALLBACK, INPUT_MESSAGES, input_message
from kiosk.typed_identity import check_typed_identity
from tests.pinned import TEST_NOW

TODAY = TEST_NOW.date()
SEPARATORS = st.sampled_from([" ", "-", "--", " - ", ".", "/", "_", "\u2014", "\u2212", "\u00a0", "\t", "№", "#"])
ENP = st.from_regex(r"[0-9]{15}", fullmatch=True).map(complete_enp)
LONG = {"min_size": 257, "max_size": 5000}


def _spread(digits: str, runs: list[str]) -> str:
    """``digits`` with a run of separators after each digit (the runs repeat to cover every gap)."""
    return "".join(digit + runs[i % len(runs)] * (1 + i % 7) for i, digit in enumerate(digits))


def _clear(problem: str | None) -> None:
    assert problem is None or problem in INPUT_MESSAGES.values(), problem


@settings(max_examples=200, deadline=None)
@given(enp=ENP, runs=st.lists(SEPARATORS, min_size=1, max_size=8), gap=st.integers(min_value=257, max_value=4900))
def test_a_policy_spread_with_separators_past_256_characters_is_the_same_policy(
    enp: str, runs: list[str], gap: int
) -> None:
    head = _spread(enp[:15], runs)
    text = head + runs[-1] * ((gap - len(head)) // len(runs[-1]) + 1) + enp[15]  # the last digit past 256
    assert len(text) > 256
    checked = classify_number(text)
    assert checked.enp == enp, (len(text), checked)


@settings(max_examples=200, deadline=None)
@given(enp=ENP, extra=st.sampled_from("0123456789"), gap=st.integers(min_value=241, max_value=4900),
       sep=SEPARATORS)
@example(enp=complete_enp("770000000000001"), extra="5", gap=300, sep=" ")
def test_a_digit_typed_after_256_characters_is_not_dropped(enp: str, extra: str, gap: int, sep: str) -> None:
    text = enp + sep * (gap // len(sep)) + extra  # 17 digits: not a policy, whatever lies between
    checked = classify_number(text)
    assert checked.enp is None, (len(text), checked)  # it was: the 17th digit fell off at 256 characters
    assert checked.reason in ("too_long", "old_policy")  # one long number, or a series and a number
    assert input_message(checked.reason) not in ("", FALLBACK)


@settings(max_examples=300, deadline=None)
@given(policy=st.text(**LONG), birth=st.text(max_size=5000))
def test_any_long_unicode_ends_in_a_message_at_a_field(policy: str, birth: str) -> None:
    checked = check_typed_identity(policy, birth, today=TODAY)
    _clear(checked.problem)
    if checked.problem is None:
        assert checked.policy is not None and checked.birth_date is not None
    else:
        assert checked.field in ("policy", "birth")


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.characters(codec="utf-8"), **LONG))
def test_any_long_text_in_the_policy_field_has_a_reason_with_words(text: str) -> None:
    checked = classify_number(text)
    assert checked.ok or input_message(checked.reason) not in ("", FALLBACK)


@settings(max_examples=200, deadline=None)
@given(born=st.dates(min_value=date(1930, 1, 1), max_value=date(2020, 12, 31)),
       sep=st.sampled_from([".", "-", "/", " ", ". ", " . ", "..", "--"]),
       pad=st.integers(min_value=257, max_value=5000))
def test_a_birth_date_padded_past_256_characters(born: date, sep: str, pad: int) -> None:
    typed = f"{born:%d}{sep}{born:%m}{sep}{born:%Y}"
    assert check_birth_date(typed + " " * pad, TODAY).value == born  # spaces around a date are harmless
    junk = check_birth_date(typed + " " * pad + "7", TODAY)  # but what comes after them is not dropped
    assert not junk.ok and input_message(junk.reason) not in ("", FALLBACK)


@settings(max_examples=300, deadline=None)
@given(text=st.text(**LONG))
def test_any_long_birth_date_text_has_a_reason_with_words(text: str) -> None:
    checked = check_birth_date(text, TODAY)
    assert checked.ok or input_message(checked.reason) not in ("", FALLBACK)
