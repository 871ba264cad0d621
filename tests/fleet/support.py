"""Shared helpers of the fleet tests: a kiosk.ini made from the shipped one with a few keys changed."""

from __future__ import annotations

import configparser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "kiosk.ini"


def write_ini(where: Path, **sections: dict[str, str]) -> Path:
    """The shipped kiosk.ini with ``data_dir`` in ``where`` and every ``section={key: value}`` applied."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(SHIPPED, encoding="utf-8")
    parser.set("kiosk", "data_dir", str(where / "var"))
    for section, values in sections.items():
        for key, value in values.items():
            parser.set(section, key, value)
    path = where / "kiosk.ini"
    with path.open("w", encoding="utf-8") as out:
        parser.write(out)
    return path
