"""kiosk.service with systemd/kiosk-cage.conf as its drop-in, as CI sees it: `systemd-analyze verify` in a
small root says nothing (and would name a misspelled key of the drop-in), and the exposure stays at 3.5 or
lower with what the drop-in turns off (ProtectHome, for the session's runtime directory)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.systemd_unit import ROOT, UNIT

DROP_IN = ROOT / "systemd" / "kiosk-cage.conf"
MAX_EXPOSURE = 3.5


def analyze() -> str:
    found = shutil.which("systemd-analyze")
    if found is None:
        pytest.fail("systemd-analyze is missing: `bash .ci/bootstrap test` installs the systemd package")
    return found


def small_root(where: Path, drop_in: str) -> Path:
    system = where / "etc/systemd/system"
    (system / "kiosk.service.d").mkdir(parents=True)
    shutil.copy(UNIT, system / "kiosk.service")
    (system / "kiosk.service.d/cage.conf").write_text(drop_in, encoding="utf-8")
    units = where / "usr/lib/systemd/system"
    units.mkdir(parents=True)
    (units / "sysinit.target").write_text("[Unit]\nDescription=System Initialization\n", encoding="utf-8")
    for binary in ("opt/kiosk/.venv/bin/kiosk", "usr/bin/cage"):
        stub = where / binary
        stub.parent.mkdir(parents=True, exist_ok=True)
        stub.write_text("#!/bin/sh\n", encoding="utf-8")
        stub.chmod(0o755)
    return where


def test_verify_with_the_drop_in_finds_nothing(tmp_path: Path) -> None:
    root = small_root(tmp_path, DROP_IN.read_text(encoding="utf-8"))
    done = subprocess.run([analyze(), "verify", "--no-pager", f"--root={root}", "kiosk.service"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


def test_verify_reads_the_drop_in(tmp_path: Path) -> None:
    root = small_root(tmp_path, DROP_IN.read_text(encoding="utf-8").replace("TTYReset=", "TTYRest="))
    done = subprocess.run([analyze(), "verify", "--no-pager", f"--root={root}", "kiosk.service"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert "cage.conf" in done.stderr and "TTYRest" in done.stderr


def test_exposure_with_the_drop_in_is_at_most_3_5(tmp_path: Path) -> None:
    root = small_root(tmp_path, DROP_IN.read_text(encoding="utf-8"))
    done = subprocess.run([analyze(), "security", "--offline=yes", "--no-pager", f"--root={root}", "kiosk.service"],
                          capture_output=True, text=True, timeout=60, check=False)
    overall = re.search(r"Overall exposure level for kiosk\.service: (\d+\.\d)", done.stdout)
    assert overall, done.stdout + done.stderr
    assert float(overall.group(1)) <= MAX_EXPOSURE
    assert "✗ ProtectHome=" in done.stdout  # the drop-in was read: the one option it turns off
    assert done.stderr == "", done.stderr


def test_the_drop_in_keeps_the_watchdog_reachable_from_cages_child() -> None:
    text = DROP_IN.read_text(encoding="utf-8")
    assert "\nNotifyAccess=all\n" in text and "\nPAMName=" in text and "\nTTYPath=/dev/tty1\n" in text
    assert "\nBindReadOnlyPaths=\n" in text  # Xwayland makes its socket in the private /tmp
