"""Where the kiosk writes: the data directory, and the files of kiosk.ini that live in it.

``[kiosk] data_dir`` left empty (or out) is the service's state directory when systemd starts
the kiosk: ``$STATE_DIRECTORY``, which ``StateDirectory=kiosk`` in ``systemd/kiosk.service``
makes ``/var/lib/kiosk``. Started any other way (the demo in a checkout, a technician's command)
it is ``var`` beside the ini file. A relative path of a file the kiosk writes (:data:`DATA_PATHS`)
is relative to the data directory, so the same kiosk.ini runs the demo in a checkout and the
service from ``/etc/kiosk/kiosk.ini``, which the unit keeps read-only.

Under systemd (``$STATE_DIRECTORY`` set, which is also how ``ExecStartPre=kiosk check-config``
runs) every one of these paths must lie inside the state directory: the unit's
``ProtectSystem=strict`` makes the rest of the file system read-only, so anything else would
pass here and fail at start-up.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from kiosk.config.loader import IniFile

STATE_DIRECTORY = "STATE_DIRECTORY"
DEMO_DATA_DIR = "var"

# (section, key) of the files the kiosk writes; a relative value is relative to data_dir.
DATA_PATHS: frozenset[tuple[str, str]] = frozenset({
    ("registry", "demo_db"),
    ("printer", "path"),
    ("printer", "fallback_dir"),
    ("cache", "file"),
    ("cache", "key_file"),
})


def state_directories(environ: Mapping[str, str]) -> tuple[Path, ...]:
    """The absolute directories systemd lists in ``$STATE_DIRECTORY`` (colon-separated), if any."""
    return tuple(Path(entry) for entry in environ.get(STATE_DIRECTORY, "").split(":") if os.path.isabs(entry))


def default_data_dir(ini_dir: Path, environ: Mapping[str, str]) -> Path:
    """What an empty ``data_dir`` means: the first state directory under systemd, else ``var`` beside the ini."""
    states = state_directories(environ)
    return states[0] if states else ini_dir / DEMO_DATA_DIR


def fill_default_data_dir(parser: IniFile, ini_dir: Path, environ: Mapping[str, str]) -> None:
    """Put the meaning of an empty or missing ``[kiosk] data_dir`` into ``parser``, before it is parsed."""
    if parser.has_section("kiosk") and parser.get("kiosk", "data_dir", fallback="").strip():
        return
    if not parser.has_section("kiosk"):
        parser.add_section("kiosk")
    parser.set("kiosk", "data_dir", str(default_data_dir(ini_dir, environ)))


def inside(path: Path, directories: tuple[Path, ...]) -> bool:
    """Whether absolute ``path`` (``..`` resolved) is one of ``directories`` or below one."""
    normal = Path(os.path.normpath(path))
    return any(normal == d or d in normal.parents for d in (Path(os.path.normpath(d)) for d in directories))
