"""gettext for patient-facing text: Russian first, English second.

Msgids are English. ``N_`` marks a string for extraction without translating it
(for module-level tables); ``_`` translates with the current language.
"""

from __future__ import annotations

import gettext
import io
import threading
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "kiosk"
LANGUAGES = ("ru", "en")

_current: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"
#: compiled catalogs by (language, .po path, its mtime and size): each switch of language at start and
#: per session would otherwise parse and compile the .po again; an edited .po is compiled anew
_compiled: dict[tuple[str, Path, int, int], gettext.GNUTranslations] = {}
_compiled_lock = threading.Lock()


def N_(message: str) -> str:  # noqa: N802 - gettext convention
    return message


def set_language(language: str) -> None:
    """Switch every later ``_`` call to ``language`` (ru or en)."""
    global _current, _language
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    _language = language
    _current = load_catalog(language)


def catalog_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def load_catalog(language: str) -> gettext.NullTranslations:
    """Compile the language's .po in memory (no build step; English msgids need no catalog)."""
    path = catalog_path(language)
    if language == "en" and not path.exists():
        return gettext.NullTranslations()
    stat = path.stat()
    key = (language, path, stat.st_mtime_ns, stat.st_size)
    with _compiled_lock:
        compiled = _compiled.get(key)
        if compiled is None:
            compiled = _compiled[key] = _compile(path, language)
    return compiled


def _compile(path: Path, language: str) -> gettext.GNUTranslations:
    # Babel's catalog reader costs ~20 ms to import: only when a catalog is compiled
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def language() -> str:
    return _language


def _(message: str) -> str:
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.ngettext(singular, plural, n)
