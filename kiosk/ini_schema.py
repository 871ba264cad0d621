"""Generic ini-section schema: frozen dataclasses with per-field metadata.

A section is a frozen dataclass. Each field's annotation gives the type
(str, int, float, bool, pathlib.Path, or ``X | None`` of those) and its
``metadata`` may hold:

* ``help``: one line shown in error messages and in ``kiosk.ini``;
* ``choices``: a tuple of allowed string values;
* ``min`` / ``max``: inclusive bounds for numbers;
* ``pattern``: a regular expression the whole string value must match (ASCII: ``\\d`` is 0-9);
* ``exists``: for a path, it must name an existing readable file.

Nothing here imports kivy or any other part of the project, so ``devices`` and
``offline_cache`` can declare their own sections with the helper :func:`setting`
without importing ``kiosk``.
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
import types
import typing
from pathlib import Path
from typing import Any


def setting(
    default: Any,
    help: str,
    *,
    choices: tuple[str, ...] | None = None,
    min: float | None = None,
    max: float | None = None,
    pattern: str | None = None,
    exists: bool = False,
) -> Any:
    """Declare one ini key with its default and validation rules."""
    meta: dict[str, Any] = {"help": help}
    if choices is not None:
        meta["choices"] = choices
    if min is not None:
        meta["min"] = min
    if max is not None:
        meta["max"] = max
    if pattern is not None:
        meta["pattern"] = pattern
    if exists:
        meta["exists"] = True
    return dataclasses.field(default=default, metadata=meta)


class BadValueError(ValueError):
    """A single value that does not fit its field; carries what is allowed."""

    def __init__(self, allowed: str) -> None:
        super().__init__(allowed)
        self.allowed = allowed


_TRUE = {"1", "yes", "true", "on"}
_FALSE = {"0", "no", "false", "off"}


def _base_type(annotation: Any) -> tuple[type, bool]:
    """Return (type, optional) for an annotation such as ``int`` or ``Path | None``."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) != 1:
            raise TypeError(f"unsupported annotation {annotation!r}")
        return args[0], True
    return annotation, False


def describe(field: dataclasses.Field[Any], hints: dict[str, Any]) -> str:
    """Say in words what a field accepts, for error messages."""
    kind, optional = _base_type(hints[field.name])
    meta = field.metadata
    if "choices" in meta:
        text = "one of: " + ", ".join(meta["choices"])
    elif kind is bool:
        text = "yes or no"
    elif kind in (int, float):
        noun = "a whole number" if kind is int else "a number"
        lo, hi = meta.get("min"), meta.get("max")
        if lo is not None and hi is not None:
            text = f"{noun} from {lo:g} to {hi:g}"
        elif lo is not None:
            text = f"{noun} not less than {lo:g}"
        elif hi is not None:
            text = f"{noun} not more than {hi:g}"
        else:
            text = noun
    elif kind is Path:
        text = "an existing readable file" if meta.get("exists") else "a file or directory path"
    else:
        text = "text" + (f" matching {meta['pattern']}" if "pattern" in meta else "")
    if optional:
        text += " (or empty)"
    return text


def convert(raw: str, field: dataclasses.Field[Any], hints: dict[str, Any], base_dir: Path) -> Any:
    """Turn the raw ini string into the field's typed value or raise BadValueError."""
    kind, optional = _base_type(hints[field.name])
    meta = field.metadata
    value = raw.strip()
    allowed = describe(field, hints)
    if value == "" and optional:
        return None
    if "\x00" in value:
        raise BadValueError(allowed + ", without NUL characters")
    if kind is bool:
        low = value.lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise BadValueError(allowed)
    if kind in (int, float):
        if not value.isascii() or "_" in value:  # int() and float() take ٧٧ and 1_000
            raise BadValueError(allowed)
        try:
            number: float = kind(value)
        except ValueError:
            raise BadValueError(allowed) from None
        if not math.isfinite(number):
            raise BadValueError(allowed)
        if ("min" in meta and number < meta["min"]) or ("max" in meta and number > meta["max"]):
            raise BadValueError(allowed)
        return number
    if kind is Path:
        if value == "":
            raise BadValueError(allowed)
        return _path(value, meta, allowed, base_dir)
    if kind is str:
        if "choices" in meta and value not in meta["choices"]:
            raise BadValueError(allowed)
        if "pattern" in meta and not re.fullmatch(meta["pattern"], value, re.ASCII):
            raise BadValueError(allowed)
        return value
    raise TypeError(f"unsupported field type {kind!r} for {field.name}")


def _path(value: str, meta: Any, allowed: str, base_dir: Path) -> Path:
    try:
        path = Path(value).expanduser()
    except RuntimeError:  # ~nosuchuser/...
        user = value[1:].split("/", 1)[0]
        why = f"no user {user!r} on this machine for ~{user}" if user else "no home directory for ~"
        raise BadValueError(f"{allowed}; {why}") from None
    path = path if path.is_absolute() else Path(os.path.normpath(base_dir / path))  # no `..` left in it
    if meta.get("exists"):
        try:
            readable = path.is_file() and os.access(path, os.R_OK)
        except (OSError, ValueError):
            readable = False
        if not readable:
            raise BadValueError(f"{allowed}; {path} does not exist or cannot be read")
    return path


def field_hints(section_type: type) -> dict[str, Any]:
    return typing.get_type_hints(section_type)
