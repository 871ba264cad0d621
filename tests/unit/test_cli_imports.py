"""The technician commands never load Kivy, the screens or the composition root.

`kiosk --help`, every subcommand's --help and `kiosk check-config` run on a
machine without a display (over ssh, in CI) and must stay quick and headless:
only `kiosk run` reaches kiosk.app, and only when it runs.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = r"""
import argparse, contextlib, io, sys
import kiosk.cli

def command_paths(parser, prefix=()):
    yield prefix
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from command_paths(sub, (*prefix, name))

parser = kiosk.cli.build_parser()
paths = list(command_paths(parser))
assert len(paths) > 10, paths  # every subcommand and action was found
for path in paths:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        kiosk.cli.main([*path, "--help"])
    assert "usage: kiosk" in out.getvalue(), path
with contextlib.redirect_stdout(io.StringIO()):
    code = kiosk.cli.main(["--config", sys.argv[1], "check-config"])
assert code == 0, code
loaded = sorted(m for m in sys.modules
                if m.split(".")[0] in ("kivy", "screens") or m == "kiosk.app" or m.startswith("kiosk.app."))
sys.exit(f"imported {loaded}" if loaded else 0)
"""


def test_help_and_check_config_import_no_kivy(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", PROBE, str(ROOT / "kiosk.ini")], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr[-2000:]


def test_the_probe_would_see_kivy(tmp_path: Path) -> None:
    """The check above is not vacuous: the run command's path does import Kivy and the screens."""
    code = ("import sys, kiosk.app.pilot; "
            "sys.exit(0 if {'kivy', 'screens', 'kiosk.app'} <= set(sys.modules) else 'kivy not seen')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "KIVY_NO_ARGS": "1",
                               "KIVY_NO_CONSOLELOG": "1"})
    assert done.returncode == 0, done.stderr[-2000:]
