"""A kiosk.ini for the benchmarks: the shipped file with some values replaced, every file in a temp dir."""

from __future__ import annotations

from pathlib import Path

from kiosk.config.edit import ini_with

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "kiosk.ini"


def shipped_value(section: str, key: str) -> str:
    """One value of the shipped kiosk.ini, as written."""
    current = ""
    for line in SHIPPED.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            current = stripped.strip("[]")
        elif current == section and "=" in line and not stripped.startswith("#"):
            name, value = line.split("=", 1)
            if name.strip() == key:
                return value.strip()
    raise KeyError(f"[{section}] {key} is not in {SHIPPED}")


def write_ini(directory: Path, overrides: dict[tuple[str, str], str]) -> Path:
    """Write ``directory/kiosk.ini``: the shipped file, its data kept in ``directory``, plus ``overrides``.

    Only keys the shipped file has can be replaced, so a renamed key fails here and not in the kiosk.
    """
    values = {
        ("kiosk", "data_dir"): str(directory / "data"),
        ("registry", "demo_db"): str(directory / "data" / "demo-registry.sqlite"),
        ("printer", "path"): str(directory / "data" / "tickets"),
        ("printer", "fallback_dir"): str(directory / "data" / "tickets"),
        **overrides,
    }
    path = directory / "kiosk.ini"
    path.write_text(ini_with(SHIPPED.read_text(encoding="utf-8"), values), encoding="utf-8")
    return path
