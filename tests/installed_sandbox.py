"""A sandbox built like kiosk.service's, for tests that run the installed kiosk.

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
    #: every directory of the unit's StateDirectory= (``state`` is the first), each bound writable
    states: tuple[Path, ...] = ()

    def sandboxed(self, argv: list[str], env: dict[str, str] | None = None,
                  timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """``argv`` in the unit's sandbox, from its WorkingDirectory."""
        return subprocess.run(self._command(argv), env=self.env if env is None else env, cwd=ROOT,
                              capture_output=True, text=True, timeout=timeout, check=False)

    def _command(self, argv: list[str]) -> list[str]:
        binds = "".join(f'mount --bind "{d}" "{d}" && ' for d in (self.states or (self.state,)))
        mounts = (binds + f'mount --bind "{self.tmp}" "{self.tmp}" && '
                  f'mount --bind "{self.ini.parent}" "{self.ini.parent}" && '
                  f'mount -o remount,bind,ro "{self.ini.parent}" && mount -o remount,bind,ro / && '
                  'mount -t proc -o subset=pid,hidepid=invisible proc /proc && '
                  f'cd "{self.state}" && exec "$@"')
        filtered = [SYSTEM_PYTHON, str(SECCOMP_EXEC), str(self.syscalls), *argv]
        return ["unshare", "--mount", "--propagation", "private", "sh", "-c", mounts, "sh", *filtered]

    def start(self, *args: str, env: dict[str, str]) -> subprocess.Popen[str]:
        """``kiosk ARGS`` started in the unit's sandbox, left running (stdout and stderr piped)."""
        return subprocess.Popen(self._command([*KIOSK, *args]), env=env, cwd=ROOT, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)

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


def build_installed(tmp_path: Path, values: dict[tuple[str, str], str] | None = None) -> Installed:
    """The shipped kiosk.ini installed under ``tmp_path`` (with ``values`` changed), and its sandbox."""
    if not _sandbox_works():
        pytest.skip("needs root and mount namespaces (unshare) to build the unit's read-only file system")
    if subprocess.run([SYSTEM_PYTHON, "-c", "import seccomp"], capture_output=True, timeout=30).returncode != 0:
        pytest.fail(f"{SYSTEM_PYTHON} cannot import seccomp: `bash .ci/bootstrap test` installs python3-seccomp")
    etc, state_root, tmp = tmp_path / "etc/kiosk", tmp_path / "var/lib", tmp_path / "tmp"
    states = tuple(Path(d) for d in unit_environment(state_root)["STATE_DIRECTORY"].split(":"))
    for directory in (etc, *states, tmp):
        directory.mkdir(parents=True)
    ini = etc / "kiosk.ini"
    # As the install steps copy it; no card reader (a terminal has kind = pcsc, the tests start no pcscd).
    changed = {("card_reader", "kind"): "none", **(values or {})}
    ini.write_text(ini_with(SHIPPED.read_text(encoding="utf-8"), changed), encoding="utf-8")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TMPDIR": str(tmp), "PYTHONDONTWRITEBYTECODE": "1",
           **unit_environment(state_root)}
    env.pop("DISPLAY")  # no X server here: the kiosk runs its scripted walk-through offscreen instead
    for passed in ("KIOSK_TEST_NOW", "SDL_VIDEODRIVER"):
        if passed in os.environ:
            env[passed] = os.environ[passed]
    syscalls = tmp_path / "syscalls.txt"
    syscalls.write_text("\n".join(sorted(allowed_syscalls())) + "\n", encoding="utf-8")
    return Installed(ini=ini, state=states[0], tmp=tmp, syscalls=syscalls, env=env, states=states)
