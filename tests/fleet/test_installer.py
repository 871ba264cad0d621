"""systemd/install.sh into a target root, twice: the second run upgrades in place and keeps the
configuration. The files are checked, `kiosk check-config` runs on the installed kiosk.ini, and
`systemd-analyze verify` finds nothing in that root. (The lead's fresh Debian chroot runs the same
script without --root.)"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fleet.support import ROOT
from tests.systemd_unit import unit_environment

INSTALL = ROOT / "systemd" / "install.sh"

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="the installer creates a user and chowns: needs root")


def seed_root(target: Path) -> None:
    """The parts of a fresh Debian the installer reads: account files with its device groups, login.defs,
    and the targets systemd-analyze verify looks for."""
    etc = target / "etc"
    etc.mkdir(parents=True)
    (etc / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\n")
    (etc / "group").write_text("root:x:0:\nlp:x:7:\ndialout:x:20:\nvideo:x:44:\ninput:x:101:\nrender:x:102:\n")
    (etc / "shadow").write_text("root:*:19000:0:99999:7:::\n")
    (etc / "gshadow").write_text("root:*::\nlp:*::\ndialout:*::\nvideo:*::\ninput:*::\nrender:*::\n")
    for name in ("shadow", "gshadow"):
        (etc / name).chmod(0o640)
    if Path("/etc/login.defs").exists():
        shutil.copy("/etc/login.defs", etc / "login.defs")
    units = target / "usr/lib/systemd/system"
    units.mkdir(parents=True)
    (units / "sysinit.target").write_text("[Unit]\nDescription=System Initialization\n")
    (units / "graphical.target").write_text("[Unit]\nDescription=Graphical Interface\n")


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This tree as a wheel (the kiosk's dependencies are not installed into the test root)."""
    where = tmp_path_factory.mktemp("wheels")
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(where), str(ROOT)],
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    return where


def install(target: Path, wheels: Path) -> str:
    done = subprocess.run(["bash", str(INSTALL), "--root", str(target), "--no-apt", "--wheels", str(wheels),
                           "--no-deps"],
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def kiosk_account(target: Path) -> list[str]:
    (line,) = [line for line in (target / "etc/passwd").read_text().splitlines() if line.startswith("kiosk:")]
    return line.split(":")


def check_config(target: Path) -> subprocess.CompletedProcess[str]:
    # as systemd sets it for the installed unit's StateDirectory= (every one of its directories)
    unit = unit_environment(target / "var/lib", target / "etc/systemd/system/kiosk.service")
    env = {**os.environ, "STATE_DIRECTORY": unit["STATE_DIRECTORY"]}
    return subprocess.run([sys.executable, "-m", "kiosk", "check-config", str(target / "etc/kiosk/kiosk.ini")],
                          capture_output=True, text=True, timeout=120, env=env, cwd=ROOT, check=False)


def test_install_then_upgrade_keeps_the_configuration(tmp_path: Path, wheels: Path) -> None:
    if shutil.which("useradd") is None or shutil.which("systemd-analyze") is None:
        pytest.fail("useradd and systemd-analyze are needed: bash .ci/bootstrap test")
    target = tmp_path / "root"
    seed_root(target)
    out = install(target, wheels)
    assert "(new)" in out

    account = kiosk_account(target)
    assert account[5:] == ["/var/lib/kiosk", "/usr/sbin/nologin"]
    groups = {line.split(":")[0] for line in (target / "etc/group").read_text().splitlines()
              if line.split(":")[3:] and "kiosk" in line.split(":")[3].split(",")}
    assert groups == {"dialout", "lp", "video", "input", "render"}
    state = target / "var/lib/kiosk"
    assert (state.stat().st_uid, state.stat().st_gid) == (int(account[2]), int(account[3]))
    assert oct(state.stat().st_mode & 0o777) == "0o750"
    for path in ("etc/systemd/system/kiosk.service", "etc/udev/rules.d/99-kiosk-devices.rules",
                 "etc/systemd/journald.conf.d/kiosk.conf", "etc/modules-load.d/kiosk.conf",
                 "opt/kiosk/kiosk/cli/doctor.py", "opt/kiosk/.venv/bin/kiosk"):
        assert (target / path).is_file(), path
    assert (target / "etc/systemd/system/graphical.target.wants/kiosk.service").is_symlink()
    assert not list((target / "opt/kiosk").glob("*.egg-info"))

    ini = target / "etc/kiosk/kiosk.ini"
    text = ini.read_text(encoding="utf-8")
    assert "\nfullscreen = yes\n" in text
    assert "#   kind = pcsc" in text and "#   kind = usb" in text and "#   kind = emias" in text
    checked = check_config(target)
    assert checked.returncode == 0, checked.stderr
    assert f"data in {state}" in checked.stdout

    verify = subprocess.run(["systemd-analyze", "verify", "--no-pager", f"--root={target}", "kiosk.service"],
                            capture_output=True, text=True, timeout=120, check=False)
    assert (verify.returncode, verify.stdout + verify.stderr) == (0, "")

    # the technician's changes, a file the next release no longer has, and the venv
    ini.write_text(text.replace("kiosk_id = ", "kiosk_id = poly-12-lobby # ", 1), encoding="utf-8")
    stale = target / "opt/kiosk/kiosk/removed_in_next_release.py"
    stale.write_text("")
    venv_python = (target / "opt/kiosk/.venv/bin/python").stat().st_ino

    out = install(target, wheels)
    assert "(upgrade)" in out and "kiosk.ini.dist" in out
    assert "kiosk_id = poly-12-lobby" in ini.read_text(encoding="utf-8")
    assert (target / "etc/kiosk/kiosk.ini.dist").read_text(encoding="utf-8") == text
    assert not stale.exists()
    assert (target / "opt/kiosk/.venv/bin/python").stat().st_ino == venv_python
    assert [line for line in (target / "etc/passwd").read_text().splitlines() if line.startswith("kiosk:")] == [
        ":".join(account)]
    assert check_config(target).returncode == 0
