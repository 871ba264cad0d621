"""sd_notify from the UI loop: never blocks it, says whether the message went out."""

from __future__ import annotations

import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.sdnotify import notify


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[socket.socket]:
    path = Path(tempfile.mkdtemp(prefix="notify-")) / "sd"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    monkeypatch.setenv("NOTIFY_SOCKET", str(path))
    yield sock
    sock.close()
    path.unlink()
    path.parent.rmdir()


def test_a_message_arrives(receiver: socket.socket) -> None:
    assert notify("WATCHDOG=1") is True
    assert receiver.recv(100) == b"WATCHDOG=1"


def test_a_receiver_that_does_not_read_never_blocks_the_caller(receiver: socket.socket) -> None:
    sent = [notify("WATCHDOG=1") for _ in range(5000)]  # far more than a datagram queue holds
    assert sent[0] is True and sent[-1] is False  # the queue filled up: "not sent", and no hang


def test_no_socket_no_systemd(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    assert notify("WATCHDOG=1") is False
    monkeypatch.setenv("NOTIFY_SOCKET", "/nonexistent/notify")
    assert notify("WATCHDOG=1") is False
