"""`pip install .` carries the four packages with their .kv, catalog and profile files."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_contains_packages_and_data(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                    "-w", str(tmp_path), str(ROOT)], check=True, timeout=300, capture_output=True)
    wheel = next(tmp_path.glob("*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for package in ("kiosk", "screens", "devices", "offline_cache"):
        assert f"{package}/__init__.py" in names
    assert "kiosk/app/__init__.py" in names  # the composition root
    for path in ROOT.glob("screens/*.kv"):
        assert f"screens/{path.name}" in names
    assert "kiosk/locale/ru/LC_MESSAGES/kiosk.po" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "kiosk = kiosk.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
    assert not any(n.startswith("tests/") for n in names)


def test_the_run_path_needs_no_test_tools(tmp_path: Path) -> None:
    """The kiosk installed without [test] extras must still do its no-display walk-through."""
    code = ("import sys, kiosk.cli.run, kiosk.app.launch, kiosk.app.pilot, screens.walkthrough; "
            "bad = [m for m in ('pytest', 'hypothesis') if m in sys.modules]; "
            "sys.exit(f'imported {bad}' if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env={"KIVY_NO_ARGS": "1", "KIVY_NO_CONSOLELOG": "1", "PATH": "/usr/bin:/bin",
                               "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr[-2000:]
