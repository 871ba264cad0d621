"""The interactive kiosk as systemd runs it: a real X display (Xvfb), READY=1 and watchdog pings on
$NOTIFY_SOCKET, and a clean stop on SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ui.conftest import demo_config
from tests.xvfb import running_xvfb

pytestmark = pytest.mark.ui
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def display() -> Iterator[str]:
    with running_xvfb() as number:
        yield number


def test_ready_watchdog_and_clean_stop(tmp_path: Path, display: str) -> None:
    config = demo_config(tmp_path)
    notify_path = tmp_path / "notify.sock"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(str(notify_path))
    listener.settimeout(60)
    env = {k: v for k, v in os.environ.items() if k not in ("SDL_VIDEODRIVER", "WAYLAND_DISPLAY")}
    env.update(DISPLAY=display, NOTIFY_SOCKET=str(notify_path), WATCHDOG_USEC="1000000")
    kiosk = subprocess.Popen([sys.executable, "-m", "kiosk", "--config", str(config.path)], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        messages: list[str] = []
        while not any("WATCHDOG=1" in m for m in messages):  # READY comes first, then the pings
            messages.append(listener.recv(1024).decode())
        assert messages[0].startswith("READY=1")
        kiosk.send_signal(signal.SIGTERM)
        _out, err = kiosk.communicate(timeout=60)
    finally:
        if kiosk.poll() is None:
            kiosk.kill()
        listener.close()
    assert kiosk.returncode == 0, err[-3000:]
    assert "kiosk stopped" in err
    assert "no display found" not in err  # the interactive kiosk, not the walk-through
