"""Reports the first frame a Kivy app shows, from inside any Kivy process, without changing its code.

bench/startup.py loads this module through a ``sitecustomize.py`` on ``PYTHONPATH`` in both the
kiosk and the bare Kivy app, so both are measured by the same hook. It waits for
``kivy.core.window`` to be imported (that import creates the window), then wraps the window's
``flip``: the first buffer swap after the event loop has started (that is, after ``App.on_start``,
with the root widget on the window) sends one datagram ``X_BENCH_FIRST_FRAME=<monotonic>`` to
``$BENCH_FRAME_SOCKET``. ``time.monotonic`` is CLOCK_MONOTONIC, comparable across processes.

Stdlib only, and nothing happens at all unless ``BENCH_FRAME_SOCKET`` is set.
"""

from __future__ import annotations

import importlib.machinery
import os
import socket
import sys
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from types import ModuleType

WATCHED = "kivy.core.window"
VARIABLE = "BENCH_FRAME_SOCKET"


def _send(address: str, message: str) -> None:
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.connect(address)
        sock.sendall(message.encode())


def _hook_window(module: ModuleType, address: str) -> None:
    window = getattr(module, "Window", None)
    if window is None:
        return
    from kivy.base import EventLoop

    original: Callable[[], Any] = window.flip
    sent = False

    def flip() -> Any:
        nonlocal sent
        result = original()
        if not sent and EventLoop.status == "started":
            sent = True
            _send(address, f"X_BENCH_FIRST_FRAME={time.monotonic():.6f}")
        return result

    window.flip = flip


class _Loader:
    """Runs the real loader, then hooks the window (duck-typed: importlib.abc costs an import)."""

    def __init__(self, inner: Any, address: str) -> None:
        self.inner = inner
        self.address = address

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self.inner.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self.inner.exec_module(module)
        _hook_window(module, self.address)


class _Finder:
    def __init__(self, address: str) -> None:
        self.address = address

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != WATCHED:
            return None
        sys.meta_path.remove(self)  # once is enough; and let the others find the real module
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _Loader(spec.loader, self.address)
        return spec


def install() -> None:
    address = os.environ.get(VARIABLE)
    if address:
        sys.meta_path.insert(0, _Finder(address))


install()
