"""Label values are our own names or ``other``: nothing a patient typed or a registry sent gets through."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from kiosk.metrics.kiosk_metrics import label


def test_our_names_pass() -> None:
    assert label("book") == "book"
    assert label("walk_in") == "walk_in"
    assert label("PatientNotFound") == "patient_not_found"
    assert label("getPatientInfo3") == "getPatientInfo3"


def test_personal_data_does_not() -> None:
    for hostile in ("7700000000000017", "1985-03-12", "12.03.1985", "Иванова", "a b", "x" * 41, "", "7700 **** 0017"):
        assert label(hostile) == "other", hostile


@given(st.text(max_size=60))
def test_any_text_is_a_short_ascii_name_or_other(text: str) -> None:
    out = label(text)
    assert out == "other" or re.fullmatch(r"[a-z][A-Za-z0-9_]{0,39}", out, re.ASCII)
    assert not any(ch.isdigit() for ch in out[:1])
