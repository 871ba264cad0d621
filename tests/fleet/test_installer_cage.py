"""systemd/install.sh --cage into a target root: the drop-in lands in kiosk.service.d, the unit with it
verifies, and a later run without --cage keeps the terminal under cage (an upgrade keeps the choice)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.fleet.test_installer import INSTALL, ROOT, seed_root, wheels

__all__ = ["wheels"]  # the module-scoped fixture: this tree as a wheel

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="the installer creates a user and chowns: needs root")

DROP_IN = "etc/systemd/system/kiosk.service.d/cage.conf"


def run_install(target: Path, wheels: Path, *more: str) -> str:
    done = subprocess.run(["bash", str(INSTALL), "--root", str(target), "--no-apt", "--wheels", str(wheels),
                           "--no-deps", *more], capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_install_under_cage_and_upgrade_keeps_it(tmp_path: Path, wheels: Path) -> None:
    if shutil.which("useradd") is None or shutil.which("systemd-analyze") is None:
        pytest.fail("useradd and systemd-analyze are needed: bash .ci/bootstrap test")
    target = tmp_path / "root"
    seed_root(target)
    cage = target / "usr/bin/cage"  # the package --no-apt did not install
    cage.parent.mkdir(parents=True)
    cage.write_text("#!/bin/sh\n")
    cage.chmod(0o755)
    out = run_install(target, wheels, "--cage")
    assert "under cage" in out
    assert (target / DROP_IN).read_bytes() == (ROOT / "systemd/kiosk-cage.conf").read_bytes()
    verify = subprocess.run(["systemd-analyze", "verify", "--no-pager", f"--root={target}", "kiosk.service"],
                            capture_output=True, text=True, timeout=120, check=False)
    assert (verify.returncode, verify.stdout + verify.stderr) == (0, "")

    out = run_install(target, wheels)
    assert "kept running under cage" in out and (target / DROP_IN).is_file()
