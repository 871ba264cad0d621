"""The kiosk's metrics, on one ``CollectorRegistry`` of its own (no process-wide default registry).

Counted as it happens (``KioskMetrics`` is the session's ``SessionEvents`` and the registry client's
observer): sessions by errand and outcome, finished errands, bookings, errors by step and kind, the
registry's round-trip latency by method and outcome. Read at scrape time: the health board (device
states and since when, paper near end / out, online) and every :class:`GaugeSource` added with
``add_source`` — that is where the offline cache plugs in its outbox depth, the age of the oldest
queued item and the age of the last sync (``OUTBOX_DEPTH``, ``OUTBOX_OLDEST_AGE``, ``LAST_SYNC_AGE``:
one function each returning a number, or None when unknown).

No personal data: every label value passes :func:`label`, which keeps our own short snake_case
names and turns anything else into ``other``; values are counts, seconds and 0/1.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Histogram, Info
from prometheus_client.core import GaugeMetricFamily, Metric, StateSetMetricFamily
from prometheus_client.registry import Collector

from kiosk.clock import Clock
from kiosk.health.board import HealthBoard
from kiosk.health.state import Device, HealthStatus

_LABEL = re.compile(r"[a-z][A-Za-z0-9_]{0,39}", re.ASCII)
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")

#: seconds; a registry answer is expected well within a second, a slow one takes several
LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 20.0)

#: names the offline cache's sources take (the alert rules in systemd/monitoring/ use them)
OUTBOX_DEPTH = "kiosk_outbox_depth"
OUTBOX_OLDEST_AGE = "kiosk_outbox_oldest_age_seconds"
LAST_SYNC_AGE = "kiosk_cache_last_sync_age_seconds"

PAPER_NEAR_END_DETAIL = "paper near end"
PAPER_END_DETAIL = "paper end"


def label(value: str) -> str:
    """A label value that is one of our own names (``SlotTaken`` → ``slot_taken``; a JSON-RPC method as it is),
    else ``other``: a value that could carry anything else (digits first, spaces, dots, Cyrillic) never passes."""
    name = _CAMEL.sub("_", value).lower() if value[:1].isupper() else value
    return name if _LABEL.fullmatch(name) else "other"


@dataclass(frozen=True)
class GaugeSource:
    """One gauge read at scrape time: ``read()`` returns the value, or None (unknown: not exported)."""

    name: str
    help: str
    read: Callable[[], float | None]


class _PulledMetrics(Collector):
    def __init__(self, metrics: KioskMetrics) -> None:
        self._metrics = metrics

    def collect(self) -> Iterator[Metric]:
        yield from self._metrics.pulled()


class KioskMetrics:
    def __init__(self, version: str, kiosk_id: str, clock: Clock, health: HealthBoard | None = None) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self._clock = clock
        self._health = health
        self._sources: list[GaugeSource] = []
        self._lock = threading.Lock()
        Info("kiosk_build", "the kiosk's version and terminal name", registry=self.registry).info(
            {"version": version, "kiosk_id": kiosk_id})
        self.sessions = Counter("kiosk_sessions", "patients' sessions by their last errand and how they ended",
                                ["errand", "outcome"], registry=self.registry)
        self.errands = Counter("kiosk_errands_done", "errands that reached their final screen, by result",
                               ["errand", "result"], registry=self.registry)
        self.bookings = Counter("kiosk_bookings", "appointments booked (or moved) at this kiosk", ["errand"],
                                registry=self.registry)
        self.errors = Counter("kiosk_errors", "patients' requests that failed, by step and error kind",
                              ["step", "kind"], registry=self.registry)
        self.registry_latency = Histogram(
            "kiosk_registry_request_duration_seconds", "registry round trips by JSON-RPC method and outcome",
            ["method", "outcome"], buckets=LATENCY_BUCKETS, registry=self.registry)
        self.registry.register(_PulledMetrics(self))

    def watch(self, health: HealthBoard) -> None:
        """Read ``health`` at every scrape (device states, paper, online)."""
        self._health = health

    # -- pushed: SessionEvents and the registry client's observer -----------------------------------

    def session_ended(self, errand: str, outcome: str) -> None:
        self.sessions.labels(label(errand), label(outcome)).inc()

    def errand_done(self, errand: str, result: str, booked: bool) -> None:
        self.errands.labels(label(errand), label(result)).inc()
        if booked:
            self.bookings.labels(label(errand)).inc()

    def request_failed(self, step: str, kind: str) -> None:
        self.errors.labels(label(step), label(kind)).inc()

    def registry_call(self, method: str, seconds: float, outcome: str) -> None:
        self.registry_latency.labels(label(method), label(outcome)).observe(max(0.0, seconds))

    # -- pulled at scrape time ----------------------------------------------------------------------

    def add_source(self, source: GaugeSource) -> None:
        """Export ``source`` from the next scrape on (the offline cache's outbox and sync ages)."""
        with self._lock:
            self._sources.append(source)

    def pulled(self) -> Iterator[Metric]:
        yield from self._health_metrics()
        with self._lock:
            sources = list(self._sources)
        for source in sources:
            value = source.read()
            if value is not None:
                gauge = GaugeMetricFamily(source.name, source.help)
                gauge.add_metric([], float(value))
                yield gauge

    def _health_metrics(self) -> Iterator[Metric]:
        if self._health is None:
            return
        snapshot = self._health.snapshot()
        states = StateSetMetricFamily("kiosk_device_state", "each device's health state", labels=["device"])
        since = GaugeMetricFamily("kiosk_device_state_since_seconds",
                                  "seconds the device has been in its current state", labels=["device"])
        now = self._clock.now()
        for health in snapshot:
            device = label(health.device)
            states.add_metric([device], {status.value: health.status is status for status in HealthStatus})
            since.add_metric([device], max(0.0, (now - health.since).total_seconds()))
        yield states
        yield since
        by_device = {health.device: health for health in snapshot}
        printer = by_device.get(Device.PRINTER)
        if printer is not None and printer.status is not HealthStatus.UNKNOWN:
            paper = GaugeMetricFamily("kiosk_printer_paper", "1 when the printer reports this paper state",
                                      labels=["state"])
            paper.add_metric(["near_end"], float(printer.detail == PAPER_NEAR_END_DETAIL))
            paper.add_metric(["out"], float(printer.detail == PAPER_END_DETAIL))
            yield paper
        registry = by_device.get(Device.REGISTRY)
        if registry is not None and registry.status is not HealthStatus.UNKNOWN:
            online = GaugeMetricFamily("kiosk_registry_online", "1 when the registry answers (also when slow)")
            online.add_metric([], float(registry.usable))
            yield online


def kiosk_version() -> str:
    """The installed package's version (``0+unknown`` when run from a tree that was never installed)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("infomat-kiosk")
    except PackageNotFoundError:
        return "0+unknown"
