"""The registry's probe: one cheap round trip that needs no patient (``RegistryPort.probe``).

- no usable answer (refused, timed out, HTTP error — 503 maintenance included —, not JSON-RPC)
  → UNAVAILABLE: the kiosk cannot book, and the offline mode will take over from this;
- an answer slower than ``slow_after_s``, or an error that is not a business answer (an internal
  error) → DEGRADED: it is there, but patients will wait or meet errors;
- otherwise AVAILABLE.

Details stay the same from one probe to the next (no timings in them), so listeners hear of
changes only; the measured time goes to the debug log.
"""

from __future__ import annotations

import logging

from kiosk.clock import Clock
from kiosk.errors import RegistryError, RegistryUnavailable
from kiosk.health.coordinator import Probe
from kiosk.health.state import HealthStatus, ProbeResult
from kiosk.registry.port import RegistryPort

log = logging.getLogger("kiosk.health")

ANSWERS = "answers JSON-RPC"


def registry_probe(registry: RegistryPort, clock: Clock, *, timeout_s: float, slow_after_s: float) -> Probe:
    """A probe for a coordinator: ``registry.probe(timeout_s)``, timed on the clock's monotonic time."""

    def probe() -> ProbeResult:
        started = clock.monotonic()
        try:
            registry.probe(timeout=timeout_s)
        except RegistryUnavailable as exc:
            return ProbeResult(HealthStatus.UNAVAILABLE, f"no usable answer ({exc})")
        except RegistryError as exc:
            return ProbeResult(HealthStatus.DEGRADED, f"answers with an error that is not a business answer ({exc})")
        elapsed = clock.monotonic() - started
        log.debug("health registry: answered in %.3f s", elapsed)
        if elapsed > slow_after_s:
            return ProbeResult(HealthStatus.DEGRADED, f"answers slower than {slow_after_s:g} s")
        return ProbeResult(HealthStatus.AVAILABLE, ANSWERS)

    return probe
