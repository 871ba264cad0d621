"""Build the registry the configuration asks for (and start the demo registry when it is the demo)."""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from kiosk.clock import Clock
from kiosk.registry.config import DEMO_ENDPOINT, RegistryConfig
from kiosk.registry.emias import EmiasRegistry
from kiosk.registry.port import RegistryPort

if TYPE_CHECKING:
    from kiosk.demo_registry import DemoRegistryHandle

log = logging.getLogger("kiosk.registry")


def tls_options(cfg: RegistryConfig) -> tuple[bool | str, str | tuple[str, str] | None]:
    """(verify, cert) for requests: a CA bundle replaces the system store; the key may be separate."""
    verify: bool | str = str(cfg.ca_bundle) if cfg.ca_bundle and cfg.tls_verify else cfg.tls_verify
    cert: str | tuple[str, str] | None = None
    if cfg.client_cert is not None:
        cert = (str(cfg.client_cert), str(cfg.client_key)) if cfg.client_key else str(cfg.client_cert)
    if not cfg.tls_verify and cfg.url.startswith("https:"):
        log.warning("TLS certificate checks are OFF for the registry (tls_verify = no)")
    return verify, cert


def _options(cfg: RegistryConfig) -> dict[str, object]:
    verify, cert = tls_options(cfg)
    return {
        "verify": verify,
        "cert": cert,
        "read_retries": cfg.read_retries,
        "retry_backoff": cfg.retry_backoff,
        "call_deadline": cfg.call_deadline,
        "max_answer_bytes": cfg.max_answer_kb * 1024,
        "booking_channel": cfg.booking_channel,
    }


def second_client(cfg: RegistryConfig, registry: RegistryPort) -> RegistryPort:
    """Another client of the registry ``registry`` talks to, with its own connections (the cache's sync,
    so its parallel reads neither crowd nor stale the connections of patients and health probes)."""
    if not isinstance(registry, EmiasRegistry):
        return registry
    return EmiasRegistry(registry.rpc.url, cfg.connect_timeout, cfg.read_timeout, **_options(cfg))  # type: ignore[arg-type]


def open_registry(cfg: RegistryConfig, data_dir: Path, clock: Clock) -> tuple[RegistryPort, Callable[[], None] | None]:
    """Return the registry adapter and, for ``kind = demo``, a function that stops the demo registry.

    The embedded demo registry runs on the kiosk's own ``clock``: a test that pins one pins both.
    """
    options = _options(cfg)
    if cfg.kind != "demo":
        return EmiasRegistry(cfg.url, cfg.connect_timeout, cfg.read_timeout, **options), None  # type: ignore[arg-type]

    url = urlsplit(cfg.url)
    host = url.hostname or "127.0.0.1"
    # Bound and listening now, so the address is known and the first requests wait in the backlog;
    # the demo polyclinic itself (its code, its database) is made on a thread, off the kiosk's start.
    listening = socket.create_server((host, url.port or 0), backlog=128)
    endpoint = f"http://{host}:{listening.getsockname()[1]}{DEMO_ENDPOINT}"
    db_path = cfg.demo_db if cfg.demo_db.is_absolute() else Path(data_dir) / cfg.demo_db
    started: list[DemoRegistryHandle] = []

    def start() -> None:
        from kiosk.demo_registry import CheckInWindow, start_demo_registry

        try:
            started.append(start_demo_registry(
                db_path, cfg.demo_seed, host=host, port=listening.getsockname()[1], clock=clock,
                check_in=CheckInWindow(cfg.demo_check_in_before, cfg.demo_check_in_after), listening=listening))
        except Exception:
            log.exception("the demo registry did not start (database %s); the kiosk will find it not answering",
                          db_path)
            listening.close()
            return
        log.info("demo registry listening on %s (database %s)", endpoint, db_path)

    starter = threading.Thread(target=start, name="demo-registry-start", daemon=True)
    starter.start()

    def stop() -> None:
        starter.join()
        for handle in started:
            handle.stop()

    registry = EmiasRegistry(endpoint, cfg.connect_timeout, cfg.read_timeout, **options)  # type: ignore[arg-type]
    return registry, stop
