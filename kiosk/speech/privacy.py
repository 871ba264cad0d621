"""What may be said aloud: a long run of digits (a policy number, a birth date such as 12.04.1950) is never
spoken whole, only its last four digits, as the screen and the logs mask it."""

from __future__ import annotations

import re

from kiosk.i18n import _

#: at least 8 digits, with spaces, dots, dashes, underscores or stars between them
_LONG_NUMBER = re.compile(r"\d(?:[ ._\-*]*\d){7,}")
_LINE_BREAK = re.compile(r"(?<![.!?:;,…])[ \t]*\n\s*")
_MARKUP = re.compile(r"\[/?(?:b|i|u|s|color|size|font|sub|sup|ref|anchor)(?:=[^\]]*)?\]")


def _masked(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return _("number ending in %(last)s") % {"last": " ".join(digits[-4:])}


def speakable(text: str) -> str:
    """``text`` fit to be spoken: Kivy markup removed, lines made sentences, long numbers masked, single spaces."""
    text = _MARKUP.sub("", text)
    text = _LINE_BREAK.sub(". ", text.strip())  # a line on the screen is a sentence aloud
    text = _LONG_NUMBER.sub(_masked, text)
    return " ".join(text.split())


def sentences(parts: list[str]) -> str:
    """Parts said one after another, each ended by one full stop (a label's own stop is not doubled)."""
    return ". ".join(part.strip().rstrip(".").strip() for part in parts if part.strip())
