"""A real X display for the tests that run the kiosk as systemd does (Xvfb, its number read back)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

import pytest


@contextmanager
def running_xvfb(*options: str) -> Iterator[str]:
    """``":N"`` of a fresh Xvfb started with ``options`` (skips the test when Xvfb is not installed),
    stopped afterwards."""
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed (bash .ci/bootstrap installs it)")
    read_end, write_end = os.pipe()
    command = ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "600x1000x24", "-nolisten", "tcp", *options]
    xvfb = subprocess.Popen(command, pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        number = pipe.readline().strip()
    try:
        yield f":{number}"
    finally:
        xvfb.terminate()
        xvfb.wait(10)
