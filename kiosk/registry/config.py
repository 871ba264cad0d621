"""[registry] section: which registry the kiosk talks to and how."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kiosk.ini_schema import setting

#: the path the demo registry serves its JSON-RPC endpoint at (EMIAS's own)
DEMO_ENDPOINT = "/api/emc/appointment-eip/v1/"


@dataclass(frozen=True)
class RegistryConfig:
    kind: str = setting(
        "demo",
        "demo = start the built-in demo registry on loopback; emias = a real registry",
        choices=("demo", "emias"),
    )
    url: str = setting(
        "http://127.0.0.1:0/api/emc/appointment-eip/v1/",
        "JSON-RPC endpoint (for kind = demo the port 0 means: pick a free one)",
        pattern=r"https?://\S+",
    )
    connect_timeout: float = setting(3.0, "seconds to wait for the TCP/TLS connection", min=0.1, max=60)
    read_timeout: float = setting(10.0, "seconds to wait for an answer", min=0.1, max=120)
    call_deadline: float = setting(
        20.0, "seconds one request may take in all, from connecting to the answer's last byte", min=1, max=300
    )
    max_answer_kb: int = setting(
        4096, "largest answer read, in KiB after decompression; a larger one is unreadable", min=64, max=65536
    )
    demo_db: Path = setting(Path("../kiosk-demo-registry/demo-registry.sqlite"),
                            "demo registry database file (kind = demo), outside data_dir: it holds patients in clear")
    demo_seed: int = setting(2026, "seed of the generated demo polyclinic", min=0)
    read_retries: int = setting(2, "how many times a failed read (never a booking) is repeated", min=0, max=5)
    retry_backoff: float = setting(
        0.3, "seconds before the first repeat of a read; doubles each time", min=0, max=10
    )
    tls_verify: bool = setting(
        True, "check the registry's TLS certificate (https URLs); never off in production"
    )
    ca_bundle: Path | None = setting(
        None, "CA certificates (PEM) to trust instead of the system ones (or empty)", exists=True
    )
    client_cert: Path | None = setting(
        None, "client certificate (PEM) when the registry wants one (or empty)", exists=True
    )
    client_key: Path | None = setting(
        None, "private key of client_cert when it is a separate file (or empty)", exists=True
    )
    demo_check_in_before: int = setting(
        60, "demo registry: minutes before the start a patient may check in", min=0, max=1440
    )
    demo_check_in_after: int = setting(
        15, "demo registry: minutes after the start a patient may still check in", min=0, max=1440
    )
    booking_channel: str = setting(
        "infomat", "channel sent with every booking and move (the registry records where it was made); "
        "empty = not sent, for a registry that refuses unknown parameters", pattern=r"[a-z0-9_-]{0,32}"
    )
