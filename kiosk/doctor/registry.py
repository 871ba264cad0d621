"""The registry, step by step: name resolution, TCP, TLS (and the certificate's expiry), one read.

Each step is bounded by ``[registry] connect_timeout``; the read is the health probe itself
(``kiosk.health.registry_probe``: one getSpecialitiesInfo for an identity nobody has), judged as the
kiosk judges it. A step that fails stops the ones after it (they are reported skipped).
"""

from __future__ import annotations

import concurrent.futures
import socket
import ssl
from datetime import UTC, datetime
from urllib.parse import urlsplit

from kiosk.doctor.context import DoctorContext
from kiosk.doctor.result import CheckResult, fail, ok, skipped, warn
from kiosk.health.registry_probe import registry_probe
from kiosk.health.state import HealthStatus
from kiosk.registry.config import RegistryConfig
from kiosk.registry.factory import open_registry


class _StepFailedError(Exception):
    def __init__(self, result: CheckResult) -> None:
        super().__init__(result.summary)
        self.result = result


def _resolve(host: str, port: int, timeout: float) -> list[str]:
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)  # getaddrinfo has no timeout of its own
    future = pool.submit(socket.getaddrinfo, host, port, 0, socket.SOCK_STREAM)
    pool.shutdown(wait=False)
    try:
        infos = future.result(timeout=timeout)
    except concurrent.futures.TimeoutError:
        raise _StepFailedError(fail("registry.dns", f"{host}: no answer from the resolver within {timeout:g} s",
                                    "check /etc/resolv.conf and the DNS server")) from None
    except OSError as exc:
        raise _StepFailedError(fail("registry.dns", f"{host} does not resolve ({exc})",
                                    "check the host in [registry] url and /etc/resolv.conf")) from None
    return sorted({str(info[4][0]) for info in infos})


def _connect(host: str, port: int, timeout: float) -> socket.socket:
    try:
        return socket.create_connection((host, port), timeout=timeout)
    except OSError as exc:
        raise _StepFailedError(fail("registry.tcp", f"{host}:{port}: no TCP connection ({exc})",
                                    "check the network cable/Wi-Fi, the firewall and the port in [registry] url")
                               ) from None


def _tls_context(cfg: RegistryConfig) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(cfg.ca_bundle) if cfg.ca_bundle else None)
    if not cfg.tls_verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    if cfg.client_cert is not None:
        context.load_cert_chain(str(cfg.client_cert), str(cfg.client_key) if cfg.client_key else None)
    return context


def _tls(cfg: RegistryConfig, sock: socket.socket, host: str, context: DoctorContext) -> CheckResult:
    try:
        with _tls_context(cfg).wrap_socket(sock, server_hostname=host) as tls:
            peer = tls.getpeercert()
            version = tls.version()
    except (ssl.SSLError, OSError) as exc:
        raise _StepFailedError(fail("registry.tls", f"TLS handshake with {host} failed ({exc})",
                                    "check [registry] ca_bundle, client_cert/client_key and the machine's clock")
                               ) from None
    not_after = peer.get("notAfter") if peer else None
    if not isinstance(not_after, str):  # only a verified certificate is decoded
        return warn("registry.tls", f"{version}: certificate not verified (tls_verify = no), expiry unknown",
                    "set tls_verify = yes with the registry's CA in [registry] ca_bundle")
    expires = datetime.fromtimestamp(ssl.cert_time_to_seconds(not_after), UTC)
    days = (expires - context.clock.now()).total_seconds() / 86400
    summary = f"{version}, certificate verified, valid until {expires:%Y-%m-%d} ({days:.0f} days)"
    if days < 0:
        return fail("registry.tls", summary, "the registry's certificate has expired: tell its operators")
    if days < context.config.doctor.cert_warn_days:
        return warn("registry.tls", summary, "the certificate expires soon: tell the registry's operators")
    return ok("registry.tls", summary)


def _read(context: DoctorContext) -> CheckResult:
    cfg, health = context.config.registry, context.config.health
    registry, stop = open_registry(cfg, context.config.kiosk.data_dir, context.clock)
    try:
        verdict = registry_probe(registry, context.clock, timeout_s=health.registry_timeout,
                                 slow_after_s=health.registry_slow)()
    finally:
        registry.close()
        if stop is not None:
            stop()
    where = "embedded demo registry" if cfg.kind == "demo" else "registry"
    if verdict.status is HealthStatus.AVAILABLE:
        return ok("registry.read", f"{where} {verdict.detail}")
    if verdict.status is HealthStatus.DEGRADED:
        return warn("registry.read", f"{where} {verdict.detail}",
                    "patients will wait or meet errors: tell the registry's operators (kiosk registry-check)")
    return fail("registry.read", f"{where}: {verdict.detail}",
                "the registry is down or in maintenance; the kiosk offers queue tickets meanwhile")


def check_registry(context: DoctorContext) -> list[CheckResult]:
    cfg = context.config.registry
    if cfg.kind == "demo":
        return [skipped("registry.net", "embedded demo registry on loopback: no DNS, TCP or TLS to check"),
                _read(context)]
    url = urlsplit(cfg.url)
    host = url.hostname or ""
    port = url.port or (443 if url.scheme == "https" else 80)
    results: list[CheckResult] = []
    try:
        addresses = _resolve(host, port, cfg.connect_timeout)
        results.append(ok("registry.dns", f"{host} -> {', '.join(addresses)}"))
        sock = _connect(host, port, cfg.connect_timeout)
        results.append(ok("registry.tcp", f"{host}:{port} accepts connections"))
        if url.scheme == "https":
            sock.settimeout(cfg.connect_timeout)
            results.append(_tls(cfg, sock, host, context))
        else:
            sock.close()
            results.append(skipped("registry.tls", "plain http: no TLS"))
    except _StepFailedError as failed:
        results.append(failed.result)
        results.append(skipped("registry.read", "not tried: an earlier step failed"))
        return results
    results.append(_read(context))
    return results
