"""[registry] section: which registry the kiosk talks to and how."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kiosk.config.schema import setting


@dataclass(frozen=True)
class RegistryConfig:
    kind: str = setting("demo", "demo = start the built-in demo registry on loopback; emias = a real registry",
                        choices=("demo", "emias"))
    url: str = setting("http://127.0.0.1:0/api/emc/appointment-eip/v1/",
                       "JSON-RPC endpoint (for kind = demo the port 0 means: pick a free one)",
                       pattern=r"https?://\S+")
    connect_timeout: float = setting(3.0, "seconds to wait for the TCP/TLS connection", min=0.1, max=60)
    read_timeout: float = setting(10.0, "seconds to wait for an answer", min=0.1, max=120)
    demo_db: Path = setting(Path("var/demo-registry.sqlite"), "demo registry database file (kind = demo)")
    demo_seed: int = setting(2026, "seed of the generated demo polyclinic", min=0)
