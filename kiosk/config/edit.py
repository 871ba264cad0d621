"""Replace values in a kiosk.ini text and keep everything else — comments, order, the other keys.

For the tests and benchmarks that run the shipped kiosk.ini with a few values changed. Only keys
the text already has can be replaced, so a renamed key fails here and not later in the kiosk.
"""

from __future__ import annotations

from collections.abc import Mapping


def ini_with(text: str, values: Mapping[tuple[str, str], str]) -> str:
    """``text`` with each ``(section, key)`` of ``values`` set; KeyError names the keys it does not have."""
    lines, section, seen = [], "", set()
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            section = stripped.strip("[]")
        elif "=" in line and not stripped.startswith("#"):
            name = line.split("=", 1)[0].strip()
            if (section, name) in values:
                line = f"{name} = {values[(section, name)]}"
                seen.add((section, name))
        lines.append(line)
    missing = set(values) - seen
    if missing:
        raise KeyError(f"not in this kiosk.ini: {sorted(missing)}")
    return "\n".join(lines) + "\n"
