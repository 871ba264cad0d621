"""Registry commands for technicians.

``kiosk demo-registry``: run the demo registry in the foreground (for demos, tests and the bench).
The patients it prints are fictitious and shown in full so a demo user can type them.

``kiosk registry-check``: is the configured registry there and speaking the protocol?
"""

from __future__ import annotations

import argparse
import dataclasses
import ipaddress
import logging
import signal
import sys
import threading
import time
from pathlib import Path
from types import FrameType

from kiosk.clock import clock_from_environment
from kiosk.config import load_config
from kiosk.errors import RegistryError, RegistryUnavailable
from kiosk.logs import configure_logging

# The demo registry and the client load when their command runs: `kiosk` itself (and every other
# subcommand) builds this parser at start and should not pay for them.


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo-registry", help="run the demo registry (EMIAS-style JSON-RPC) in the foreground"
    )
    parser.add_argument("--port", type=int, default=8765, help="TCP port (0 = any free port; default 8765)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--db", type=Path, default=Path("var/demo-registry.sqlite"), help="database file")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the generated polyclinic")
    parser.add_argument(
        "--crowd",
        type=int,
        default=300,
        help="generated patients for load tests (default 300)",
    )
    parser.add_argument(
        "--doctors", type=int, default=None,
        help="a load-test clinic with this many doctors, about 30 free slots a day each (benchmarks)",
    )
    faults = parser.add_argument_group("faults (can also be changed at run time: POST /_admin/faults)")
    faults.add_argument("--latency", type=float, default=0.0, help="seconds added to every answer")
    faults.add_argument("--fail-rate", type=float, default=0.0, help="share of requests answered HTTP 503")
    faults.add_argument(
        "--drop-rate", type=float, default=0.0, help="share of answers cut half-way (after processing)"
    )
    faults.add_argument("--down", action="store_true", help="start in maintenance: every request gets 503")
    faults.add_argument(
        "--fault-methods",
        default="",
        help="comma-separated JSON-RPC methods the faults apply to (default all)",
    )
    check_in = parser.add_argument_group("check-in extension")
    check_in.add_argument(
        "--no-check-in", action="store_true", help="leave the check-in method out (like EMIAS)"
    )
    check_in.add_argument(
        "--check-in-before", type=int, default=60, help="minutes before the start (default 60)"
    )
    check_in.add_argument(
        "--check-in-after", type=int, default=15, help="minutes after the start (default 15)"
    )
    tls = parser.add_argument_group("HTTPS (for testing the kiosk's TLS settings)")
    tls.add_argument("--tls-cert", type=Path, default=None, help="server certificate chain (PEM)")
    tls.add_argument("--tls-key", type=Path, default=None, help="its private key (PEM)")
    tls.add_argument(
        "--tls-client-ca", type=Path, default=None, help="demand client certificates signed by this CA"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log every request")
    parser.set_defaults(func=run)

    check = subparsers.add_parser(
        "registry-check", help="ask the configured registry whether it answers (0 = it does)"
    )
    check.add_argument("--url", default=None, help="check this endpoint instead of [registry] url")
    check.set_defaults(func=run_check)


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def run(args: argparse.Namespace) -> int:
    from kiosk.demo_registry import DEMO_PATIENTS, CheckInWindow, FaultSettings, TlsFiles, start_demo_registry

    configure_logging("DEBUG" if args.verbose else "INFO")
    if not _is_loopback(args.host):
        logging.getLogger("kiosk.demo_registry").warning(
            "listening on %s: the demo registry has no authentication; keep it on loopback", args.host
        )
    settings = FaultSettings(
        latency=args.latency,
        fail_rate=args.fail_rate,
        drop_rate=args.drop_rate,
        down=args.down,
        methods=[m.strip() for m in args.fault_methods.split(",") if m.strip()],
    )
    window = None if args.no_check_in else CheckInWindow(args.check_in_before, args.check_in_after)
    if (args.tls_cert is None) != (args.tls_key is None):
        print("kiosk demo-registry: --tls-cert and --tls-key go together", file=sys.stderr)
        return 2
    tls_files = TlsFiles(args.tls_cert, args.tls_key, args.tls_client_ca) if args.tls_cert else None
    try:
        handle = start_demo_registry(
            args.db,
            args.seed,
            host=args.host,
            port=args.port,
            check_in=window,
            faults=settings,
            tls=tls_files,
            crowd=args.crowd,
            clock=clock_from_environment(),
            doctors=args.doctors,
        )
    except OSError as error:
        print(f"kiosk demo-registry: cannot start on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1
    except ValueError as error:  # a fault flag out of bounds (negative latency, a share above 1)
        print(f"kiosk demo-registry: {error}", file=sys.stderr)
        return 2
    clinic = handle.clinic
    print(f"Demo registry: {clinic.head.name}, {clinic.head.address}")
    print(f"  endpoint  {handle.url}")
    print(f"  admin     {handle.admin_url}  (loopback only)")
    print(f"  database  {args.db}   seed {args.seed}")
    print("  kiosk.ini [registry]:  kind = emias   url = " + handle.url)
    print()
    print("Demo patients (fictitious):")
    print(f"  {'policy':<17} {'birth date':<11} {'name':<30} kind")
    for patient in DEMO_PATIENTS:
        born = patient.birth_date.isoformat()
        print(f"  {patient.policy:<17} {born:<11} {patient.full_name:<30} {patient.kind}")
    print()
    print("Ctrl+C stops it.", flush=True)
    stop = threading.Event()

    def _stop(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    stop.wait()
    handle.stop()
    return 0



def run_check(args: argparse.Namespace) -> int:
    """Call getSpecialitiesInfo with an unknown identity: PATIENT_NOT_FOUND (or any business error)
    means the registry is there and speaks the protocol."""
    from kiosk.registry.emias import PROBE_KEY  # the identity no registry knows, as the health probe uses
    from kiosk.registry.factory import open_registry

    config = load_config(args.config)
    configure_logging(config.logging.level, config.logging.target)
    cfg = config.registry
    if args.url:
        cfg = dataclasses.replace(cfg, kind="emias", url=args.url)
    registry, stop = open_registry(cfg, config.kiosk.data_dir, clock_from_environment())
    where = getattr(getattr(registry, "rpc", None), "url", cfg.url)
    print(f"registry: {where} ({'embedded demo' if stop else cfg.kind})")
    started = time.monotonic()
    try:
        registry.specialties(PROBE_KEY)
        outcome, code = "answers (it even knows the probe patient)", 0
    except RegistryError as error:
        outcome, code = f"answers: {error.code}", 0
    except RegistryUnavailable as error:
        outcome, code = f"NOT AVAILABLE: {error}", 1
    elapsed = time.monotonic() - started
    print(f"  {outcome} in {elapsed * 1000:.0f} ms")
    if code == 0:
        print(f"  check-in extension: {'yes' if registry.supports_check_in() else 'no'}")
    registry.close()
    if stop is not None:
        stop()
    return code
