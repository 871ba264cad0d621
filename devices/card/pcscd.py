"""Start and stop a private pcscd with the vpcd driver (demo and tests).

pcscd 1.9 always listens on /run/pcscd/pcscd.comm, so only one pcscd can run on a
machine and starting one needs root (or write access to /run/pcscd). If a pcscd
is already running it is used as it is and left alone.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

log = logging.getLogger(__name__)

PCSCD_SOCKET = Path("/run/pcscd/pcscd.comm")
VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
VPCD_PORT = 35963


class PcscdError(RuntimeError):
    pass


def pcscd_running(socket_path: Path = PCSCD_SOCKET) -> bool:
    """True when something accepts connections on pcscd's socket."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(1.0)
        try:
            sock.connect(str(socket_path))
        except OSError:
            return False
    return True


def vpcd_listening(port: int = VPCD_PORT) -> bool:
    """True when something listens on vpcd's TCP port (read from /proc: connecting would insert a card)."""
    wanted = f":{port:04X}"
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table, encoding="ascii") as lines:
            for line in lines:
                fields = line.split()
                if len(fields) > 3 and fields[1].endswith(wanted) and fields[3] == "0A":  # 0A = LISTEN
                    return True
    return False


def vpcd_reader_config(port: int = VPCD_PORT) -> str:
    return (f'FRIENDLYNAME "Virtual PCD"\nDEVICENAME   /dev/null:0x{port:04X}\n'
            f"LIBPATH      {VPCD_DRIVER}\nCHANNELID    0x{port:04X}\n")


class PcscdProcess:
    """A pcscd run in the foreground as our child, with only the vpcd reader configured."""

    def __init__(self, vpcd_port: int = VPCD_PORT, debug: bool = False, with_vpcd: bool = True) -> None:
        self.vpcd_port = vpcd_port
        self.with_vpcd = with_vpcd  # False: a pcscd without readers (tests of "reader gone")
        self.debug = debug
        self.process: subprocess.Popen[bytes] | None = None
        self._config_dir: tempfile.TemporaryDirectory[str] | None = None

    def start(self, timeout: float = 10.0) -> PcscdProcess:
        if pcscd_running():
            raise PcscdError(f"a pcscd is already listening on {PCSCD_SOCKET}")
        binary = shutil.which("pcscd") or "/usr/sbin/pcscd"
        if not Path(binary).exists():
            raise PcscdError("pcscd is not installed (apt-get install pcscd vsmartcard-vpcd)")
        if not VPCD_DRIVER.exists():
            raise PcscdError(f"the vpcd driver is missing: {VPCD_DRIVER} (apt-get install vsmartcard-vpcd)")
        self._config_dir = tempfile.TemporaryDirectory(prefix="kiosk-pcscd-")
        if self.with_vpcd:
            (Path(self._config_dir.name) / "vpcd").write_text(vpcd_reader_config(self.vpcd_port))
        command = [binary, "--foreground", "--config", self._config_dir.name]
        if self.debug:
            command.append("--debug")
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + timeout
        while not (pcscd_running() and (vpcd_listening(self.vpcd_port) or not self.with_vpcd)):
            if self.process.poll() is not None:
                code = self.process.returncode
                raise PcscdError(f"pcscd exited with {code} (root is needed for /run/pcscd)")
            if time.monotonic() > deadline:
                self.stop()
                raise PcscdError("pcscd did not come up in time")
            time.sleep(0.05)
        log.info("private pcscd started (pid %d, vpcd port %d)", self.process.pid, self.vpcd_port)
        return self

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def stop(self, timeout: float = 5.0) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout)
        if self._config_dir is not None:
            self._config_dir.cleanup()
            self._config_dir = None
        deadline = time.monotonic() + timeout
        while pcscd_running() and time.monotonic() < deadline:
            time.sleep(0.05)

    def __enter__(self) -> PcscdProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def ensure_pcscd(vpcd_port: int = VPCD_PORT) -> PcscdProcess | None:
    """Start a private pcscd unless one runs already; return it (to stop later) or None."""
    if pcscd_running():
        return None
    return PcscdProcess(vpcd_port).start()
