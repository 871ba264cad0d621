"""Tolerant readers of single EMIAS values: ids as numbers or strings, booleans as strings,
dates as dates or datetimes, "nothing" as ``[]``, ``{}`` or ``null`` (emias-protocol.md §4.8).

Anything of the wrong shape raises :class:`UnexpectedAnswer`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import Any

from kiosk.errors import UnexpectedAnswer

MSK = timezone(timedelta(hours=3))
_SUFFIX = re.compile(r"\s*<\d+>\s*$")
_INT = re.compile(r"-?[0-9]{1,30}")


def items(value: Any, what: str) -> list[Any]:
    """A list result where "nothing" may be ``[]``, ``{}`` or ``null`` (quirk 4)."""
    if value is None or value == {} or value == "":
        return []
    if isinstance(value, list):
        return value
    raise UnexpectedAnswer(f"{what}: expected a list, got {type(value).__name__}")


def obj(value: Any, what: str) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    raise UnexpectedAnswer(f"{what}: expected an object, got {type(value).__name__}")


def opt_obj(value: Any, what: str) -> dict[str, Any] | None:
    return None if value is None else obj(value, what)


def to_int(value: Any, what: str) -> int:
    if isinstance(value, bool):
        raise UnexpectedAnswer(f"{what}: expected a number, got a boolean")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _INT.fullmatch(value.strip()):
        return int(value.strip())  # ASCII digits only, at most 30 ("--5", "²", 5000 digits are not ids)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise UnexpectedAnswer(f"{what}: expected a number, got {value!r:.40}")


def opt_int(value: Any, what: str) -> int | None:
    return None if value is None or value == "" else to_int(value, what)


def text(value: Any, what: str, default: str = "") -> str:
    if value is None:
        return default
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise UnexpectedAnswer(f"{what}: expected text, got {type(value).__name__}")


def flag(value: Any, default: bool = False) -> bool:
    """``true``, ``"true"``, ``1`` → True (ReceptionType.primary is a string in the wild)."""
    if value is None:
        return default
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


def to_datetime(value: Any, what: str) -> datetime:
    """ISO-8601 with offset; a missing offset means Moscow time."""
    if not isinstance(value, str):
        raise UnexpectedAnswer(f"{what}: expected a time, got {type(value).__name__}")
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise UnexpectedAnswer(f"{what}: bad time {value!r:.40}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=MSK)


def to_date(value: Any, what: str) -> date:
    """``YYYY-MM-DD`` or a full datetime (its Moscow date)."""
    if not isinstance(value, str):
        raise UnexpectedAnswer(f"{what}: expected a date, got {type(value).__name__}")
    if len(value.strip()) == 10:
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise UnexpectedAnswer(f"{what}: bad date {value!r:.40}") from None
    return to_datetime(value, what).astimezone(MSK).date()


def opt_date(value: Any, what: str) -> date | None:
    return None if value in (None, "") else to_date(value, what)


def clean_name(name: str) -> str:
    """``Петров_П.П. <81>`` → ``Петров П.П.`` (quirk 6)."""
    return _SUFFIX.sub("", name.replace("_", " ")).strip()
