"""The demo registry: a real JSON-RPC server with a generated polyclinic, for demos and tests.

>>> handle = start_demo_registry(Path("var/demo.sqlite"), seed=2026)   # doctest: +SKIP
>>> handle.url                                                          # doctest: +SKIP
'http://127.0.0.1:40123/api/emc/appointment-eip/v1/'
>>> handle.stop()                                                       # doctest: +SKIP
"""

from __future__ import annotations

import socket
import threading
from pathlib import Path
from typing import Any

from kiosk.clock import Clock
from kiosk.demo_registry.clinic import Clinic
from kiosk.demo_registry.faults import Faults, FaultSettings
from kiosk.demo_registry.generator import build_clinic
from kiosk.demo_registry.patients import DEMO_PATIENTS, DemoPatient, generated_patients, patient_index
from kiosk.demo_registry.server import (
    ENDPOINT,
    MAX_CONNECTIONS,
    SOCKET_TIMEOUT,
    DemoRegistryServer,
    TlsFiles,
)
from kiosk.demo_registry.service import CheckInWindow, DemoService
from kiosk.demo_registry.store import Store

__all__ = [
    "DEMO_PATIENTS",
    "CheckInWindow",
    "DemoPatient",
    "DemoRegistryHandle",
    "FaultSettings",
    "TlsFiles",
    "demo_patients",
    "generated_patients",
    "start_demo_registry",
]


DEFAULT_CHECK_IN = CheckInWindow()


def demo_patients() -> tuple[DemoPatient, ...]:
    """The fixed demo cast (same for every seed)."""
    return DEMO_PATIENTS


class DemoRegistryHandle:
    """A running demo registry: ``url``, ``port``, ``faults``; ``down()``/``up()`` close and reopen
    the listening socket (connections are refused meanwhile); ``stop()`` ends it."""

    def __init__(
        self, host: str, port: int, service: DemoService, faults: Faults, tls: TlsFiles | None = None,
        listening: socket.socket | None = None, *, socket_timeout: float = SOCKET_TIMEOUT,
        max_connections: int = MAX_CONNECTIONS,
    ) -> None:
        self.host = host
        self.socket_timeout = socket_timeout
        self.max_connections = max_connections
        self.service = service
        self.faults = faults
        self.tls = tls
        self._lock = threading.Lock()
        self._server: DemoRegistryServer | None = None
        self._thread: threading.Thread | None = None
        self.port = port
        self._listen(port, listening)

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}{ENDPOINT}"

    @property
    def scheme(self) -> str:
        return "https" if self.tls else "http"

    @property
    def admin_url(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}/_admin/faults"

    @property
    def clinic(self) -> Clinic:
        return self.service.clinic

    def _listen(self, port: int, listening: socket.socket | None = None) -> None:
        server = DemoRegistryServer(
            (self.host, port), self.service, self.faults, self.tls, listening,
            socket_timeout=self.socket_timeout, max_connections=self.max_connections,
        )
        self.port = server.server_address[1]
        thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"demo-registry:{self.port}",
            daemon=True,
        )
        thread.start()
        self._server, self._thread = server, thread

    def set_faults(self, **changes: Any) -> dict[str, Any]:
        return self.faults.update(changes)

    def down(self) -> None:
        """Stop listening: clients get "connection refused" until :meth:`up`."""
        with self._lock:
            if self._server is not None:
                self._server.shutdown()
                self._server.server_close()
                self._server.drop_connections()
                self._server = None

    def up(self) -> None:
        with self._lock:
            if self._server is None:
                self._listen(self.port)

    def stop(self) -> None:
        self.down()
        self.service.store.close()

    def __enter__(self) -> DemoRegistryHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_demo_registry(
    db_path: Path,
    seed: int,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    clock: Clock,
    check_in: CheckInWindow | None = DEFAULT_CHECK_IN,
    faults: FaultSettings | None = None,
    crowd: int = 300,
    tls: TlsFiles | None = None,
    listening: socket.socket | None = None,
    socket_timeout: float = SOCKET_TIMEOUT,
    max_connections: int = MAX_CONNECTIONS,
    doctors: int | None = None,
    public_schedule: bool = True,
    waiting_list: bool = True,
    home_visits: bool = True,
    past_visits: bool = True,
) -> DemoRegistryHandle:
    """Start the demo registry in a daemon thread (port 0 = a free port) and return its handle.

    ``clock`` is the kiosk's clock (kiosk.clock): the schedule, referrals and standing visits are made
    relative to its "now", so a test that pins it pins the registry and the kiosk together.
    ``check_in=None`` leaves the check-in extension out, as on a real EMIAS server; ``crowd`` is the
    number of generated patients (benchmarks); ``tls`` serves HTTPS (optionally demanding client
    certificates); ``listening`` is a socket already bound and listening to serve on (then ``host``
    and ``port`` only name it). ``socket_timeout``: seconds a connection may stay silent before the
    server closes it; ``max_connections``: connections served at once, one thread each (beyond them a
    connection gets HTTP 503 and is closed; kiosk.demo_registry.server). ``doctors``: a load-test clinic
    with that many doctors, about 30 free slots a day each (benchmarks; generator.build_clinic).
    connection gets HTTP 503 and is closed; kiosk.demo_registry.server). ``public_schedule=False``
    leaves out the schedule reads that need no patient (kiosk.demo_registry.public_schedule),
    ``waiting_list=False`` the waiting list (kiosk.demo_registry.waiting_list), ``home_visits=False`` the
    home-visit requests (kiosk.demo_registry.home_visit), ``past_visits=False`` the visit history
    (kiosk.demo_registry.past_visits).
    """
    clinic = build_clinic(seed, doctors)
    store = Store(Path(db_path), seed)
    service = DemoService(clinic, store, patient_index(crowd), clock.now, check_in)
    if not public_schedule:  # as a registry without the schedule reads that need no patient
        service.public_methods.clear()
    if not waiting_list:
        for method in service.waiting_methods:
            service.methods.pop(method, None)
    if not home_visits:
        for method in service.home_visit_methods:
            service.methods.pop(method, None)
    if not past_visits:
        for method in service.past_visit_methods:
            service.methods.pop(method, None)
    service.ensure_standing_appointments()
    return DemoRegistryHandle(
        host, port, service, Faults(faults, seed), tls, listening,
        socket_timeout=socket_timeout, max_connections=max_connections,
    )
