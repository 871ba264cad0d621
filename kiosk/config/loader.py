"""Read kiosk.ini into frozen, validated section dataclasses.

Every problem stops start-up with one line that names the file, the line, the
section, the key, the bad value and what is allowed::

    kiosk.ini:42: [ui] idle_timeout: bad value 'nan'; allowed: a whole number from 10 to 3600

A ``#`` or ``;`` preceded by whitespace starts an inline comment (``key = value  # note``);
one with no whitespace before it (``tel.#122``) is part of the value.
"""

from __future__ import annotations

import configparser
import dataclasses
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

from kiosk.ini_schema import BadValueError, convert, describe, field_hints

T = TypeVar("T")


class ConfigError(Exception):
    """A kiosk.ini problem, phrased for the technician."""

    def __init__(
        self, path: Path, section: str | None, key: str | None, message: str, line: int | None = None
    ) -> None:
        where = str(path) + (f":{line}" if line is not None else "")
        if section is not None:
            where += f": [{section}]"
        if key is not None:
            where += f" {key}"
        super().__init__(f"{where}: {message}")
        self.path = path
        self.section = section
        self.key = key
        self.line = line


class IniFile(configparser.ConfigParser):
    """A parsed kiosk.ini that also knows the line of each section and key (for messages)."""

    lines: dict[tuple[str, str | None], int]

    def line_of(self, section: str, key: str | None = None) -> int | None:
        return self.lines.get((section, key)) or (self.lines.get((section, None)) if key else None)


_SECTION = re.compile(r"\[(?P<header>.+)\]")
_OPTION = re.compile(r"(?P<option>.*?)\s*[=:]")


def _line_numbers(text: str) -> dict[tuple[str, str | None], int]:
    """(section, key) and (section, None) → first line number, found the way configparser reads them."""
    found: dict[tuple[str, str | None], int] = {}
    section = None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped[0] in "#;":
            continue
        header = _SECTION.match(stripped)
        if header and not line[0].isspace():
            section = header.group("header")
            found.setdefault((section, None), number)
            continue
        option = _OPTION.match(stripped)
        if section is not None and option and not line[0].isspace():
            found.setdefault((section, option.group("option").strip()), number)
    return found


DEFAULT_LOCATIONS = (Path("kiosk.ini"), Path("/etc/kiosk/kiosk.ini"))


def find_config(explicit: Path | None) -> Path:
    """The file to use: the explicit one, else ./kiosk.ini, else /etc/kiosk/kiosk.ini."""
    if explicit is not None:
        return explicit
    for candidate in DEFAULT_LOCATIONS:
        if candidate.is_file():
            return candidate
    raise ConfigError(
        DEFAULT_LOCATIONS[0], None, None,
        "no configuration file; looked for ./kiosk.ini and /etc/kiosk/kiosk.ini (use --config PATH)",
    )


def read_ini(path: Path) -> IniFile:
    """Parse the file: UTF-8 with or without a BOM; ``#`` / ``;`` after whitespace starts a comment."""
    parser = IniFile(interpolation=None, inline_comment_prefixes=("#", ";"))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(path, None, None, "file not found") from None
    except OSError as exc:
        raise ConfigError(path, None, None, f"cannot be read: {exc.strerror or exc}") from None
    data = data.removeprefix(b"\xef\xbb\xbf")  # a BOM (Notepad's "UTF-8") is fine
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        bad = data[exc.start : exc.end]
        raise ConfigError(path, None, None, f"not UTF-8 text: bad byte {bad!r}; save the file as UTF-8",
                          line=line) from None
    try:
        parser.read_string(text, source=str(path))
    except configparser.Error as exc:
        errors = getattr(exc, "errors", None)
        at: int | None = getattr(exc, "lineno", None) or (errors[0][0] if errors else None)
        first_line = str(exc).splitlines()[0]
        raise ConfigError(path, None, None, f"not a valid ini file: {first_line}", line=at) from None
    parser.lines = _line_numbers(text)
    return parser


def parse_section(
    path: Path, parser: IniFile, name: str, section_type: type[T], bases: Mapping[str, Path] | None = None
) -> T:
    """Build one section dataclass; unknown keys and bad values raise ConfigError.

    A relative path is relative to the directory of the file, or to ``bases[key]`` for a key there
    (whose relative default is then under that base as well).
    """
    hints = field_hints(section_type)
    fields = {f.name: f for f in dataclasses.fields(section_type)}  # type: ignore[arg-type]
    values: dict[str, Any] = {}
    if parser.has_section(name):
        for key, raw in parser.items(name):
            if key not in fields:
                known = ", ".join(sorted(fields))
                raise ConfigError(path, name, key, f"unknown key; keys of [{name}] are: {known}",
                                  line=parser.line_of(name, key))
            try:
                base = (bases or {}).get(key, path.parent.resolve())
                values[key] = convert(raw, fields[key], hints, base)
            except BadValueError as problem:
                raise ConfigError(
                    path, name, key, f"bad value {raw.strip()!r}; allowed: {problem.allowed}",
                    line=parser.line_of(name, key),
                ) from None
    for key, base in (bases or {}).items():  # a relative default lives under its base too
        default = fields[key].default
        if key not in values and isinstance(default, Path) and not default.is_absolute():
            values[key] = Path(os.path.normpath(base / default))
    return section_type(**values)


def check_sections(path: Path, parser: IniFile, known: tuple[str, ...]) -> None:
    for section in parser.sections():
        if section not in known:
            raise ConfigError(
                path, section, None, "unknown section; sections are: " + ", ".join(known),
                line=parser.line_of(section),
            )
    if parser.defaults():
        raise ConfigError(path, "DEFAULT", None, "unknown section; sections are: " + ", ".join(known),
                          line=parser.line_of("DEFAULT"))


def allowed_text(section_type: type, key: str) -> str:
    """What a key accepts, in words (used by kiosk.ini documentation tests)."""
    hints = field_hints(section_type)
    field = next(f for f in dataclasses.fields(section_type) if f.name == key)
    return describe(field, hints)
