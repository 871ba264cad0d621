"""Read kiosk.ini into frozen, validated section dataclasses.

Every problem stops start-up with one line that names the file, the section,
the key, the bad value and what is allowed.
"""

from __future__ import annotations

import configparser
import dataclasses
from pathlib import Path
from typing import Any, TypeVar

from kiosk.ini_schema import BadValueError, convert, describe, field_hints

T = TypeVar("T")


class ConfigError(Exception):
    """A kiosk.ini problem, phrased for the technician."""

    def __init__(self, path: Path, section: str | None, key: str | None, message: str) -> None:
        where = str(path)
        if section is not None:
            where += f": [{section}]"
        if key is not None:
            where += f" {key}"
        super().__init__(f"{where}: {message}")
        self.path = path
        self.section = section
        self.key = key


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


def read_ini(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, inline_comment_prefixes=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    try:
        with path.open(encoding="utf-8") as handle:
            parser.read_file(handle)
    except FileNotFoundError:
        raise ConfigError(path, None, None, "file not found") from None
    except (configparser.Error, UnicodeDecodeError) as exc:
        first_line = str(exc).splitlines()[0]
        raise ConfigError(path, None, None, f"not a valid ini file: {first_line}") from None
    return parser


def parse_section(
    path: Path, parser: configparser.ConfigParser, name: str, section_type: type[T]
) -> T:
    """Build one section dataclass; unknown keys and bad values raise ConfigError."""
    hints = field_hints(section_type)
    fields = {f.name: f for f in dataclasses.fields(section_type)}  # type: ignore[arg-type]
    values: dict[str, Any] = {}
    if parser.has_section(name):
        for key, raw in parser.items(name):
            if key not in fields:
                known = ", ".join(sorted(fields))
                raise ConfigError(path, name, key, f"unknown key; keys of [{name}] are: {known}")
            try:
                values[key] = convert(raw, fields[key], hints, path.parent.resolve())
            except BadValueError as problem:
                raise ConfigError(
                    path, name, key, f"bad value {raw.strip()!r}; allowed: {problem.allowed}"
                ) from None
    return section_type(**values)


def check_sections(path: Path, parser: configparser.ConfigParser, known: tuple[str, ...]) -> None:
    for section in parser.sections():
        if section not in known:
            raise ConfigError(
                path, section, None, "unknown section; sections are: " + ", ".join(known)
            )


def allowed_text(section_type: type, key: str) -> str:
    """What a key accepts, in words (used by kiosk.ini documentation tests)."""
    hints = field_hints(section_type)
    field = next(f for f in dataclasses.fields(section_type) if f.name == key)
    return describe(field, hints)
