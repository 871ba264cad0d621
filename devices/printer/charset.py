"""Make any text printable in CP866 without a single ``?``.

Thermal printers get CP866 (forced with ``ESC t``), so every character must be
one CP866 has. Typography that Russian text is full of (« » — … ₽ „ “) is
mapped to readable equivalents; accented Latin letters lose their accents;
anything else becomes ``_``. Control characters are removed here too, as a
last line of defence: text must never be able to carry printer commands.
"""

from __future__ import annotations

import unicodedata

PLACEHOLDER = "_"

REPLACEMENTS: dict[str, str] = {
    "«": '"',
    "»": '"',
    "„": '"',
    "“": '"',
    "”": '"',
    "‟": '"',
    "″": '"',
    "‘": "'",
    "’": "'",
    "‚": "'",
    "‛": "'",
    "′": "'",
    "`": "'",
    "‐": "-",
    "‑": "-",
    "‒": "-",
    "–": "-",
    "—": "-",
    "―": "-",
    "−": "-",
    "⁃": "-",
    "…": "...",
    "₽": "руб.",
    "€": "EUR",
    "$": "$",
    "£": "GBP",
    "¥": "JPY",
    "\u00a0": " ",
    "\u2007": " ",
    "\u202f": " ",
    "\u2009": " ",
    "\u200a": " ",
    "\u2002": " ",
    "\u2003": " ",
    "\u2004": " ",
    "\u2005": " ",
    "\u2006": " ",
    "\u2008": " ",
    "\u3000": " ",
    "\t": " ",
    "•": "*",
    "‣": ">",
    "·": "·",
    "×": "x",
    "÷": "/",
    "©": "(c)",
    "®": "(R)",
    "™": "TM",
    "ß": "ss",
    "Æ": "AE",
    "æ": "ae",
    "Œ": "OE",
    "œ": "oe",
    "Ø": "O",
    "ø": "o",
    "Ł": "L",
    "ł": "l",
    "½": "1/2",
    "¼": "1/4",
    "¾": "3/4",
    "→": "->",
    "←": "<-",
    "✓": "v",
    "І": "I",
    "і": "i",
    "Ї": "Ї",
    "ї": "ї",
    "Є": "Є",
    "є": "є",
    "Ґ": "Г",
    "ґ": "г",
}

CODEC = "cp866"


def _fits(char: str) -> bool:
    try:
        char.encode(CODEC)
    except UnicodeEncodeError:
        return False
    return True


def _printable_char(char: str) -> str:
    if char in REPLACEMENTS:
        replacement = REPLACEMENTS[char]
        return replacement if all(_fits(c) for c in replacement) else PLACEHOLDER
    category = unicodedata.category(char)
    if category[0] in "CZ" and char != " ":
        # control, format, surrogate, private use, unassigned; line/paragraph separators
        return " " if category[0] == "Z" else ""
    if _fits(char):
        return char
    decomposed = unicodedata.normalize("NFKD", char)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    if (
        stripped
        and stripped != char
        and all(_fits(c) and unicodedata.category(c)[0] != "C" for c in stripped)
    ):
        return stripped
    if unicodedata.combining(char):
        return ""
    return PLACEHOLDER


def printable(text: str) -> str:
    """``text`` with every character encodable in CP866 and no control characters."""
    composed = unicodedata.normalize("NFC", text)
    return "".join(_printable_char(c) for c in composed)
