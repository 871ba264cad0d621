"""gettext for patient-facing text: Russian first, English second.

Msgids are English. ``N_`` marks a string for extraction without translating it
(for module-level tables); ``_`` translates with the current language.
"""

from __future__ import annotations

import gettext
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "kiosk"
LANGUAGES = ("ru", "en")

_current: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def N_(message: str) -> str:  # noqa: N802 - gettext convention
    return message


def set_language(language: str) -> None:
    """Switch every later ``_`` call to ``language`` (ru or en)."""
    global _current, _language
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    _language = language
    _current = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=(language == "en"))


def language() -> str:
    return _language


def _(message: str) -> str:
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.ngettext(singular, plural, n)
