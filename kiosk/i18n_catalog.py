"""Keep the Russian catalog in step with the code: ``python -m kiosk.i18n_catalog [--check]``.

Collects every msgid marked with ``_``, ``N_``, ``ngettext`` (Python) and ``tr._``
(kv), adds new ones to ``kiosk/locale/ru/LC_MESSAGES/kiosk.po`` with an empty
translation, and drops the ones no longer used. ``--check`` changes nothing and
exits 1 when a msgid has no Russian translation or the catalog is out of step.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

from kiosk.i18n import catalog_path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("kiosk", "screens", "devices", "offline_cache")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
KV_CALL = re.compile(r"""\btr\._\(\s*(['"])(.+?)\1\s*\)""")


def collect_msgids() -> dict[str | tuple[str, ...], list[tuple[str, int]]]:
    found: dict[str | tuple[str, ...], list[tuple[str, int]]] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for lineno, message, _comments, _context in extract_from_file(
                "python", str(path), keywords=KEYWORDS, comment_tags=()
            ):
                key = message if isinstance(message, str) else tuple(message)
                found.setdefault(key, []).append((str(path.relative_to(ROOT)), lineno))
        for path in sorted((ROOT / package).rglob("*.kv")):
            for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                for match in KV_CALL.finditer(line):
                    found.setdefault(match.group(2), []).append((str(path.relative_to(ROOT)), lineno))
    return found


def load(language: str = "ru") -> Catalog:
    path = catalog_path(language)
    if not path.exists():
        return Catalog(locale=language, domain="kiosk")
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def problems(catalog: Catalog, used: dict[str | tuple[str, ...], list[tuple[str, int]]]) -> list[str]:
    out = []
    ids = {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog if m.id}
    for key, places in used.items():
        message = catalog.get(key if isinstance(key, str) else key[0])
        if key not in ids or message is None:
            out.append(f"missing from catalog: {key!r} ({places[0][0]}:{places[0][1]})")
        elif not message.string or (isinstance(message.string, tuple) and not all(message.string)):
            out.append(f"no Russian translation: {key!r} ({places[0][0]}:{places[0][1]})")
    for key in ids - set(used):
        out.append(f"unused msgid in catalog: {key!r}")
    return out


def update() -> None:
    used = collect_msgids()
    old = load()
    new = Catalog(locale="ru", domain="kiosk", project="Инфомат", fuzzy=False)
    for key, places in used.items():
        previous = old.get(key if isinstance(key, str) else key[0])
        translation = previous.string if previous is not None else ("", "", "") if isinstance(key, tuple) else ""
        new.add(key, translation, locations=places)
    path = catalog_path("ru")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, new, width=100, omit_header=False, sort_output=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="only check; exit 1 on problems")
    args = parser.parse_args(argv)
    if not args.check:
        update()
    found = problems(load(), collect_msgids())
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
