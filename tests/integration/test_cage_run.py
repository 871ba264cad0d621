"""The kiosk under cage as systemd/kiosk-cage.conf runs it: cage's own command line from the drop-in (with
this tree's kiosk for /opt/kiosk's), wlroots' headless backend instead of the panel's GPU, Xwayland started by
cage, the kiosk as its one X client. The kiosk must reach its first frame (READY=1 on $NOTIFY_SOCKET, sent
by cage's child: why the drop-in sets NotifyAccess=all), ping the watchdog, and stop cleanly on SIGTERM
to the whole group, as systemd stops a unit's control group. cage refuses to run as root (it checks that
root cannot be regained), so it runs as uid 1000 of a user namespace whose 1000 is root outside: it can
read this tree, it cannot become root. Skipped where cage or Xwayland is not installed (apt-get install
cage xwayland)."""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.config.edit import ini_with

ROOT = Path(__file__).resolve().parents[2]
DROP_IN = ROOT / "systemd" / "kiosk-cage.conf"
INSIDE_UID = "1000"

pytestmark = pytest.mark.ui


def drop_in_command() -> list[str]:
    """The drop-in's (last, non-empty) ExecStart= as words."""
    lines = [line.split("=", 1)[1] for line in DROP_IN.read_text(encoding="utf-8").splitlines()
             if line.startswith("ExecStart=")]
    assert lines[0] == "" and lines[-1], "the drop-in resets ExecStart= and then sets cage's"
    return shlex.split(lines[-1])


@pytest.fixture
def place() -> Iterator[Path]:
    where = Path(tempfile.mkdtemp(prefix="kiosk-cage-"))
    try:
        yield where
    finally:
        shutil.rmtree(where, ignore_errors=True)


def test_the_drop_in_runs_cage_with_the_kiosk_as_its_only_client() -> None:
    words = drop_in_command()
    assert words[0] == "/usr/bin/cage" and "-s" not in words[:words.index("--")]  # no VT switching
    assert words[words.index("--") + 1:] == ["/opt/kiosk/.venv/bin/kiosk", "--config", "/etc/kiosk/kiosk.ini", "run"]


def children(pid: int) -> list[tuple[int, str]]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append((int(entry.name), command))
    return found


def start_under_cage(place: Path) -> tuple[subprocess.Popen[str], socket.socket]:
    """The drop-in's command, started as the unit would; returns once READY=1 and a watchdog ping came."""
    cage, unshare = shutil.which("cage"), shutil.which("unshare")
    if cage is None or shutil.which("Xwayland") is None or unshare is None:
        pytest.skip("cage or Xwayland missing (apt-get install cage xwayland)")
    as_user = [unshare, "--user", f"--map-user={INSIDE_UID}", f"--map-group={INSIDE_UID}"]
    if os.geteuid() == 0 and subprocess.run([*as_user, "true"], capture_output=True, check=False).returncode:
        pytest.skip("no user namespaces here: cage cannot run as root")
    runtime, data = place / "runtime", place / "var"
    for folder in (runtime, data):
        folder.mkdir(mode=0o700)
    ini = place / "kiosk.ini"
    ini.write_text(ini_with((ROOT / "kiosk.ini").read_text(encoding="utf-8"), {
        ("kiosk", "data_dir"): str(data), ("card_reader", "kind"): "none", ("scanner", "kind"): "none",
        ("metrics", "port"): "0", ("ui", "width"): "540", ("ui", "height"): "960"}), encoding="utf-8")
    notify = place / "notify.sock"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(str(notify))
    listener.settimeout(120)
    kiosk = str(Path(sys.executable).with_name("kiosk"))
    words = [cage if w == "/usr/bin/cage" else kiosk if w == "/opt/kiosk/.venv/bin/kiosk" else
             str(ini) if w == "/etc/kiosk/kiosk.ini" else w for w in drop_in_command()]
    env = {"PATH": os.environ["PATH"], "HOME": str(data), "XDG_RUNTIME_DIR": str(runtime),
           "WLR_BACKENDS": "headless", "WLR_RENDERER": "pixman", "WLR_LIBINPUT_NO_DEVICES": "1",
           "NOTIFY_SOCKET": str(notify), "WATCHDOG_USEC": "1000000",
           # the unit's Environment= lines, and the drop-in's SDL_VIDEODRIVER
           "KIVY_NO_ARGS": "1", "KIVY_NO_CONFIG": "1", "KIVY_NO_FILELOG": "1", "KIVY_LOG_MODE": "PYTHON",
           "KIVY_HOME": str(data / "kivy"), "SDL_VIDEODRIVER": "x11"}
    process = subprocess.Popen([*as_user, *words] if os.geteuid() == 0 else words, cwd=data, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        messages: list[str] = []
        while not any("WATCHDOG=1" in m for m in messages):
            messages.append(listener.recv(1024).decode())
        assert messages[0].startswith("READY=1"), messages
    except BaseException:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate(timeout=10)
        listener.close()
        raise
    return process, listener


def test_the_kiosk_leaving_takes_cage_with_it_cleanly(place: Path) -> None:
    """READY=1 and watchdog pings from cage's child; the kiosk stopped (SIGTERM to it, as the service
    screen's restart ends it) stops cleanly and cage follows with the kiosk's status, so Restart=always
    starts the pair again."""
    process, listener = start_under_cage(place)
    try:
        kiosk = [pid for pid, command in children(process.pid) if " run" in command and "kiosk" in command]
        assert len(kiosk) == 1, children(process.pid)
        os.kill(kiosk[0], signal.SIGTERM)
        _out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate(timeout=10)
        listener.close()
    assert "kiosk stopped" in err, err[-3000:]
    assert process.returncode == 0, err[-3000:]


def test_stopping_the_whole_group_ends_every_process(place: Path) -> None:
    """As `systemctl stop` does (SIGTERM to the control group): nothing is left. cage 0.1.4 itself may end
    on an assertion in wl_display_terminate when its client is gone first (see docs/operations.md)."""
    process, listener = start_under_cage(place)
    group = process.pid
    try:
        os.killpg(group, signal.SIGTERM)
        process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(group, signal.SIGKILL)
            process.communicate(timeout=10)
        listener.close()
    for _ in range(50):
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return
        threading.Event().wait(0.1)
    pytest.fail("processes of the kiosk's group outlived the stop")
