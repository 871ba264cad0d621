"""The installed layout as kiosk.service sees it: /etc/kiosk/kiosk.ini read-only, /var/lib/kiosk
the one writable place, the unit's environment, its system-call filter (tests/installed_sandbox.py)."""

from __future__ import annotations

import signal
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from devices.printer.emulator import TcpPrinter
from kiosk.cli import EXIT_BAD_CONFIG
from kiosk.config.edit import ini_with
from kiosk.tickets.print_test import LOWER, UPPER
from tests.installed_sandbox import Installed, build_installed
from tests.xvfb import running_xvfb


@pytest.fixture
def installed(tmp_path: Path) -> Installed:
    return build_installed(tmp_path)


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


@pytest.fixture
def network_printer() -> Iterator[TcpPrinter]:
    with TcpPrinter() as printer:
        yield printer


def test_a_network_printer_prints_through_the_units_restrictions(tmp_path: Path, network_printer: TcpPrinter) -> None:
    """AF_INET to the printer, its status read back, under the unit's file system and system calls."""
    installed = build_installed(tmp_path, {("printer", "kind"): "network", ("printer", "host"): network_printer.host,
                                           ("printer", "port"): str(network_printer.port),
                                           ("printer", "status_timeout"): "0.5"})
    done = installed.run("--config", str(installed.ini), "print-test")
    assert done.returncode == 0, done.stderr
    assert "printed:" in done.stdout and "status: online" in done.stdout
    deadline = time.monotonic() + 5
    while "[cut]" not in network_printer.rendered().lines and time.monotonic() < deadline:
        time.sleep(0.05)
    lines = network_printer.rendered().lines
    assert UPPER in lines and LOWER in lines


@pytest.fixture
def display() -> Iterator[str]:
    """An X server reachable only through /tmp/.X11-unix/X<n> (no abstract socket): the path that
    kiosk.service binds read-only into its private /tmp."""
    with running_xvfb("-nolisten", "local") as number:
        yield number


@pytest.mark.ui
def test_the_interactive_kiosk_on_an_x_display_reports_ready_and_pings(installed: Installed, display: str) -> None:
    """As the unit runs it: on an X display through its socket file on the read-only file system, READY=1
    and watchdog pings on $NOTIFY_SOCKET (read-only too, as /run/systemd/notify is), and a clean stop on
    SIGTERM."""
    notify = installed.state.parent / "notify.sock"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(str(notify))
    listener.settimeout(90)
    env = {k: v for k, v in installed.env.items() if k != "SDL_VIDEODRIVER"}
    env.update(DISPLAY=display, NOTIFY_SOCKET=str(notify), WATCHDOG_USEC="1000000")
    kiosk = installed.start("--config", str(installed.ini), env=env)
    try:
        messages: list[str] = []
        while not any("WATCHDOG=1" in m for m in messages):
            messages.append(listener.recv(1024).decode())
        assert messages[0].startswith("READY=1")
        kiosk.send_signal(signal.SIGTERM)
        _out, err = kiosk.communicate(timeout=60)
    finally:
        if kiosk.poll() is None:
            kiosk.kill()
            kiosk.communicate(timeout=10)
        listener.close()
    assert kiosk.returncode == 0, err[-3000:]
    assert "no display found" not in err and "kiosk stopped" in err
