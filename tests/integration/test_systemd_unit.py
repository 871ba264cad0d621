"""systemd/kiosk.service as CI sees it: `systemd-analyze security` at 3.5 or lower, `systemd-analyze
verify` without a word, and the hardening leaves the kiosk what it needs (display, card reader,
printers, network, its state directory)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.systemd_unit import ROOT, UNIT, exec_words, unit_settings

MAX_EXPOSURE = 3.5


def _systemd_analyze() -> str:
    found = shutil.which("systemd-analyze")
    if found is None:
        pytest.fail("systemd-analyze is missing: `bash .ci/bootstrap test` installs the systemd package")
    return found


def test_security_exposure_is_at_most_3_5() -> None:
    done = subprocess.run([_systemd_analyze(), "security", "--offline=yes", "--no-pager", str(UNIT)],
                          capture_output=True, text=True, timeout=60, check=False)
    overall = re.search(r"Overall exposure level for kiosk\.service: (\d+\.\d)", done.stdout)
    assert overall, done.stdout + done.stderr
    exposure = float(overall.group(1))
    failing = [line for line in done.stdout.splitlines() if line.startswith("✗")]
    assert exposure <= MAX_EXPOSURE, f"exposure {exposure} > {MAX_EXPOSURE}; not set:\n" + "\n".join(failing)
    assert done.stderr == "", done.stderr  # e.g. an unknown or misspelled hardening option


def test_verify_finds_nothing(tmp_path: Path) -> None:
    """verify in a small root: the unit where it is installed, every Exec binary present, sysinit.target."""
    (tmp_path / "etc/systemd/system").mkdir(parents=True)
    shutil.copy(UNIT, tmp_path / "etc/systemd/system/kiosk.service")
    units = tmp_path / "usr/lib/systemd/system"
    units.mkdir(parents=True)
    (units / "sysinit.target").write_text("[Unit]\nDescription=System Initialization\n", encoding="utf-8")
    binaries = {words[0] for key in ("ExecStartPre", "ExecStart") for words in exec_words(key)}
    assert binaries == {"/opt/kiosk/.venv/bin/kiosk"}
    for binary in binaries:
        stub = tmp_path / binary.lstrip("/")
        stub.parent.mkdir(parents=True, exist_ok=True)
        stub.write_text("#!/bin/sh\n", encoding="utf-8")
        stub.chmod(0o755)
    done = subprocess.run([_systemd_analyze(), "verify", "--no-pager", f"--root={tmp_path}", "kiosk.service"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


def test_verify_would_catch_a_bad_line(tmp_path: Path) -> None:
    """The check above can fail: the same root with a misspelled key is reported."""
    (tmp_path / "etc/systemd/system").mkdir(parents=True)
    text = UNIT.read_text(encoding="utf-8").replace("ProtectClock=yes", "ProtectClok=yes")
    (tmp_path / "etc/systemd/system/kiosk.service").write_text(text, encoding="utf-8")
    done = subprocess.run([_systemd_analyze(), "verify", "--no-pager", f"--root={tmp_path}", "kiosk.service"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert "ProtectClok" in done.stderr and "is not executable" in done.stderr


def test_check_config_runs_on_the_file_the_kiosk_runs_with() -> None:
    (pre,) = exec_words("ExecStartPre")
    (start,) = exec_words("ExecStart")
    assert pre[1:] == ["check-config", "/etc/kiosk/kiosk.ini"]
    assert start[start.index("--config") + 1] == pre[2]


def test_the_kiosk_keeps_what_it_needs() -> None:
    unit = unit_settings()
    service = {key.removeprefix("Service."): values for key, values in unit.items() if key.startswith("Service.")}
    # its one writable place, which an empty data_dir means, and logs to journald only
    assert service["StateDirectory"] == ["kiosk kiosk-demo-registry"] and service["ProtectSystem"] == ["strict"]
    assert service["StandardError"] == ["journal"]
    values = [value for values in service.values() for value in values]
    assert not [v for v in values if "/var/lib" in v], "write %S/kiosk: one spelling of the state directory"
    # display: a private /tmp would hide the X server's socket unless it is bound in
    if service.get("PrivateTmp") == ["yes"]:
        assert "-/tmp/.X11-unix" in " ".join(service.get("BindReadOnlyPaths", []) + service.get("BindPaths", []))
    assert "PrivateDevices" not in service  # it would hide /dev/dri, /dev/input, printers and serial ports
    allowed = {value.split()[0] for value in service["DeviceAllow"]}
    assert {"char-drm", "char-input", "char-usb_device", "char-usb", "char-ttyUSB", "char-ttyACM",
            "char-alsa"} <= allowed  # alsa: espeak-ng's sound card
    # pcscd's AF_UNIX socket, the registry and network printers
    assert {"AF_UNIX", "AF_INET", "AF_INET6"} <= set(service["RestrictAddressFamilies"][0].split())
    assert "PrivateNetwork" not in service and "IPAddressDeny" not in service
    assert unit["Unit.Wants"][0].split().count("pcscd.socket") == 1
    # Mesa's llvmpipe JIT needs executable memory it wrote (the kiosk dies at its first window without)
    assert "MemoryDenyWriteExecute" not in service
    # a refused system call is an error the kiosk can report, not a SIGSYS crash loop
    assert service["SystemCallErrorNumber"] == ["EPERM"]


def test_device_groups_of_udev_rules_are_the_units_groups() -> None:
    rules = (ROOT / "systemd/99-kiosk-devices.rules").read_text(encoding="utf-8")
    groups = set(re.findall(r'GROUP="([^"]+)"', rules))
    assert groups and groups <= set(unit_settings()["Service.SupplementaryGroups"][0].split())


def test_modules_for_late_plugged_devices_are_loaded_at_boot() -> None:
    """DeviceAllow=char-NAME is resolved from /proc/devices when the unit starts: the drivers that
    register these names must be loaded by then (systemd/kiosk-modules.conf → /etc/modules-load.d)."""
    modules = {line.strip() for line in (ROOT / "systemd/kiosk-modules.conf").read_text(encoding="utf-8").splitlines()
               if line.strip() and not line.startswith("#")}
    assert modules == {"usblp", "usbserial", "cdc_acm"}  # char-usb, char-ttyUSB, char-ttyACM
