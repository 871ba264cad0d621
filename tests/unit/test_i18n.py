"""Every patient-facing msgid has a Russian translation; plurals follow Russian rules."""

from __future__ import annotations

from kiosk import i18n
from kiosk.i18n_catalog import collect_msgids, load, problems


def test_catalog_covers_every_msgid_in_code_and_kv() -> None:
    used = collect_msgids()
    assert "Book another person" in used  # kv files are scanned too (screens/done.kv)
    assert problems(load(), used) == []


def test_russian_plural_forms() -> None:
    i18n.set_language("ru")
    forms = [i18n.ngettext("%(n)d digit left", "%(n)d digits left", n) % {"n": n} for n in (1, 3, 5, 11, 21)]
    assert forms == ["осталась 1 цифра", "осталось 3 цифры", "осталось 5 цифр", "осталось 11 цифр",
                     "осталась 21 цифра"]


def test_english_is_the_second_language() -> None:
    try:
        i18n.set_language("en")
        assert i18n._("Back") == "Back"
    finally:
        i18n.set_language("ru")
    assert i18n._("Back") == "Назад"
