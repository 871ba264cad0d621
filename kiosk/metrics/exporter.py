"""Serve the metrics on loopback and, where configured, write them as a node_exporter textfile.

``write_to_textfile`` writes a temporary file beside the target and renames it over, so
node_exporter never reads half a file. The writer thread waits on an Event (no clock reading)
and stops at once with ``stop()``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from prometheus_client import CollectorRegistry, start_http_server, write_to_textfile

from kiosk.metrics.config import MetricsConfig

log = logging.getLogger("kiosk.metrics")


def serve_metrics(registry: CollectorRegistry, port: int, address: str = "127.0.0.1") -> tuple[int, Callable[[], None]]:
    """Start the /metrics endpoint; return the port it listens on and a function that stops it."""
    server, thread = start_http_server(port, addr=address, registry=registry)
    bound = int(server.server_address[1])

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    return bound, stop


class TextfileWriter:
    def __init__(self, registry: CollectorRegistry, path: Path, interval_s: float) -> None:
        self._registry = registry
        self.path = path
        self._interval_s = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="metrics-textfile", daemon=True)

    def write(self) -> bool:
        try:
            write_to_textfile(str(self.path), self._registry)
        except OSError as exc:
            log.warning("metrics textfile %s not written: %s", self.path, exc)
            return False
        return True

    def start(self) -> TextfileWriter:
        self._thread.start()
        return self

    def _run(self) -> None:
        while True:
            self.write()
            if self._stop.wait(self._interval_s):
                return

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        self.write()  # the last word: a stopped kiosk's final counts


def start_exporters(registry: CollectorRegistry, cfg: MetricsConfig) -> list[Callable[[], None]]:
    """What ``[metrics]`` asks for; the returned closers stop them. A port in use is logged, not fatal."""
    closers: list[Callable[[], None]] = []
    if cfg.port:
        try:
            port, stop = serve_metrics(registry, cfg.port, cfg.address)
        except OSError as exc:
            log.error("metrics endpoint %s:%d not started: %s", cfg.address, cfg.port, exc)
        else:
            log.info("metrics on http://%s:%d/metrics", cfg.address, port)
            closers.append(stop)
    if cfg.textfile is not None:
        closers.append(TextfileWriter(registry, cfg.textfile, cfg.textfile_interval).start().stop)
    return closers
