"""The installed layout as kiosk.service sees it: /etc/kiosk/kiosk.ini read-only, /var/lib/kiosk
the one writable place, the unit's environment.

systemd is not PID 1 where the tests run, so the unit itself cannot be started. Instead each
command runs in a private mount namespace built like the unit's: the whole file system remounted
read-only (ProtectSystem=strict), the state directory bound writable (StateDirectory=), a private
writable temporary directory (PrivateTmp=, through TMPDIR), /proc with only the processes
(ProcSubset=pid, ProtectProc=invisible), the unit's SystemCallFilter= as a seccomp filter that
answers EPERM (tests/seccomp_exec.py), and the unit's Environment= lines with the STATE_DIRECTORY
that systemd sets. Needs root, unshare(1) (util-linux) and the system python3's libseccomp binding
(python3-seccomp); `bash .ci/bootstrap test` installs both.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk.cli import EXIT_BAD_CONFIG
from kiosk.config.edit import ini_with
from tests.systemd_unit import ROOT, allowed_syscalls, unit_environment

SHIPPED = ROOT / "kiosk.ini"
KIOSK = [sys.executable, "-m", "kiosk"]
SYSTEM_PYTHON = "/usr/bin/python3"  # the one with python3-seccomp, not the test's interpreter
SECCOMP_EXEC = ROOT / "tests" / "seccomp_exec.py"


@dataclass(frozen=True)
class Installed:
    ini: Path
    state: Path
    tmp: Path
    syscalls: Path  # the calls the unit's SystemCallFilter= allows, one a line
    env: dict[str, str]

    def sandboxed(self, argv: list[str], env: dict[str, str] | None = None,
                  timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """``argv`` in the unit's sandbox, from its WorkingDirectory."""
        mounts = (f'mount --bind "{self.state}" "{self.state}" && mount --bind "{self.tmp}" "{self.tmp}" && '
                  f'mount --bind "{self.ini.parent}" "{self.ini.parent}" && '
                  f'mount -o remount,bind,ro "{self.ini.parent}" && mount -o remount,bind,ro / && '
                  'mount -t proc -o subset=pid,hidepid=invisible proc /proc && '
                  f'cd "{self.state}" && exec "$@"')
        filtered = [SYSTEM_PYTHON, str(SECCOMP_EXEC), str(self.syscalls), *argv]
        return subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", mounts, "sh", *filtered],
                              env=self.env if env is None else env, cwd=ROOT,
                              capture_output=True, text=True, timeout=timeout, check=False)

    def run(self, *args: str, env: dict[str, str] | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """``kiosk ARGS`` in the unit's sandbox."""
        return self.sandboxed([*KIOSK, *args], env, timeout)


def _sandbox_works() -> bool:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    done = subprocess.run(["unshare", "--mount", "--propagation", "private", "true"], capture_output=True, timeout=30,
                          check=False)
    return done.returncode == 0


@pytest.fixture
def installed(tmp_path: Path) -> Installed:
    if not _sandbox_works():
        pytest.skip("needs root and mount namespaces (unshare) to build the unit's read-only file system")
    if subprocess.run([SYSTEM_PYTHON, "-c", "import seccomp"], capture_output=True, timeout=30).returncode != 0:
        pytest.fail(f"{SYSTEM_PYTHON} cannot import seccomp: `bash .ci/bootstrap test` installs python3-seccomp")
    etc, state_root, tmp = tmp_path / "etc/kiosk", tmp_path / "var/lib", tmp_path / "tmp"
    for directory in (etc, state_root / "kiosk", tmp):
        directory.mkdir(parents=True)
    ini = etc / "kiosk.ini"
    # As the install steps copy it; no card reader (a terminal has kind = pcsc, the tests start no pcscd).
    ini.write_text(ini_with(SHIPPED.read_text(encoding="utf-8"), {("card_reader", "kind"): "none"}), encoding="utf-8")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TMPDIR": str(tmp), "PYTHONDONTWRITEBYTECODE": "1",
           **unit_environment(state_root)}
    env.pop("DISPLAY")  # no X server here: the kiosk runs its scripted walk-through offscreen instead
    for passed in ("KIOSK_TEST_NOW", "SDL_VIDEODRIVER"):
        if passed in os.environ:
            env[passed] = os.environ[passed]
    syscalls = tmp_path / "syscalls.txt"
    syscalls.write_text("\n".join(sorted(allowed_syscalls())) + "\n", encoding="utf-8")
    return Installed(ini=ini, state=state_root / "kiosk", tmp=tmp, syscalls=syscalls, env=env)


def test_the_sandbox_is_read_only_outside_the_state_directory(installed: Installed) -> None:
    """The premise of the tests below: outside the state directory nothing can be written."""
    probe = ("import sys, pathlib\n"
             "for d in sys.argv[1:]:\n"
             "    try: (pathlib.Path(d) / 'probe').write_text('x'); print(d, 'rw')\n"
             "    except OSError as e: print(d, e.strerror)\n")
    done = installed.sandboxed([sys.executable, "-c", probe, str(installed.state), str(installed.tmp),
                                str(installed.ini.parent)])
    assert done.stdout.splitlines() == [f"{installed.state} rw", f"{installed.tmp} rw",
                                        f"{installed.ini.parent} Read-only file system"], done.stderr


def test_the_sandbox_refuses_the_system_calls_the_unit_refuses(installed: Installed) -> None:
    """The premise of the walk-through below: a call outside the filter fails with EPERM, the
    process goes on (chown is in @privileged, setpriority in @resources; the tests run as root)."""
    target = installed.state / "owned"
    target.write_text("x", encoding="utf-8")
    probe = ("import os, sys\n"
             "for name, call in (('chown', lambda: os.chown(sys.argv[1], 0, 0)),\n"
             "                   ('setpriority', lambda: os.setpriority(os.PRIO_PROCESS, 0, 1)),\n"
             "                   ('getpid', os.getpid)):\n"
             "    try: call(); print(name, 'ok')\n"
             "    except OSError as e: print(name, e.strerror)\n")
    done = installed.sandboxed([sys.executable, "-c", probe, str(target)])
    assert done.stdout.splitlines() == ["chown Operation not permitted", "setpriority Operation not permitted",
                                        "getpid ok"], done.stderr


def test_check_config_passes_the_shipped_file_and_names_the_state_directory(installed: Installed) -> None:
    done = installed.run("check-config", str(installed.ini))
    assert (done.returncode, done.stdout) == (0, f"{installed.ini}: OK; data in {installed.state}\n"), done.stderr


def test_check_config_stops_the_old_crash_loop_before_start(installed: Installed) -> None:
    """data_dir = var (the value that used to ship) points at /etc/kiosk/var: ExecStartPre refuses it."""
    installed.ini.write_text(ini_with(installed.ini.read_text(encoding="utf-8"), {("kiosk", "data_dir"): "var"}),
                             encoding="utf-8")
    done = installed.run("check-config", str(installed.ini))
    assert done.returncode == EXIT_BAD_CONFIG
    assert f"[kiosk] data_dir: bad value '{installed.ini.parent / 'var'}'" in done.stderr
    assert f"inside the service's state directory {installed.state}" in done.stderr
    # and without the unit's STATE_DIRECTORY the read-only file system is still seen for what it is
    env = {k: v for k, v in installed.env.items() if k != "STATE_DIRECTORY"}
    done = installed.run("check-config", str(installed.ini), env=env)
    assert done.returncode == EXIT_BAD_CONFIG
    assert f"cannot be created: {installed.ini.parent} is not writable" in done.stderr


@pytest.mark.ui
def test_the_demo_books_and_prints_with_everything_in_the_state_directory(installed: Installed) -> None:
    """The shipped kiosk.ini, installed, runs the kiosk: a booking by taps and its ticket, on a file
    system where only the state directory can be written."""
    done = installed.run("--config", str(installed.ini), "run", "--walkthrough", timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"Ticket: {installed.state / 'walkthrough' / 'ticket.png'}" in done.stdout
    assert list((installed.state / "tickets").glob("ticket-*.png")), "the preview printer's ticket"
    assert (installed.state / "queue-numbers.sqlite").is_file()
    assert sorted(p.name for p in installed.ini.parent.iterdir()) == ["kiosk.ini"]
