"""Shared helpers of the fleet tests: a kiosk.ini made from the shipped one with a few keys changed."""

from __future__ import annotations

from pathlib import Path

from kiosk.config.edit import ini_with

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "kiosk.ini"


def write_ini(where: Path, **sections: dict[str, str]) -> Path:
    """The shipped kiosk.ini with ``data_dir`` in ``where`` and every ``section={key: value}`` applied."""
    values = {("kiosk", "data_dir"): str(where / "var")}
    values.update({(section, key): value for section, keys in sections.items() for key, value in keys.items()})
    path = where / "kiosk.ini"
    path.write_text(ini_with(SHIPPED.read_text(encoding="utf-8"), values), encoding="utf-8")
    return path
