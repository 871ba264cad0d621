"""[metrics] section: where the kiosk serves its Prometheus metrics and writes the textfile."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kiosk.ini_schema import setting


@dataclass(frozen=True)
class MetricsConfig:
    port: int = setting(
        9839, "loopback TCP port serving /metrics (0 = no endpoint)", min=0, max=65535
    )
    address: str = setting(
        "127.0.0.1", "address the endpoint listens on (loopback; node_exporter or a tunnel forwards it)",
        choices=("127.0.0.1", "::1", "localhost"),
    )
    textfile: Path | None = setting(
        None, "node_exporter textfile to write atomically, e.g. "
              "/var/lib/prometheus/node-exporter/kiosk.prom (empty = none)",
    )
    textfile_interval: float = setting(
        15.0, "seconds between rewrites of the textfile", min=1, max=3600
    )
