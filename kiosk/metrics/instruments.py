"""The prometheus_client objects behind :class:`kiosk.metrics.kiosk_metrics.KioskMetrics` (loaded with
the first metric, after the kiosk's first frame: prometheus_client takes ~0.1 s to import)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from prometheus_client import CollectorRegistry, Counter, Histogram, Info
from prometheus_client.core import GaugeMetricFamily, Metric, StateSetMetricFamily
from prometheus_client.registry import Collector

from kiosk.clock import Clock
from kiosk.health.board import HealthBoard
from kiosk.health.state import Device, HealthStatus
from kiosk.metrics.kiosk_metrics import (
    LATENCY_BUCKETS,
    PAPER_END_DETAIL,
    PAPER_NEAR_END_DETAIL,
    GaugeSource,
    label,
)


class _Pulled(Collector):
    def __init__(self, instruments: Instruments) -> None:
        self._instruments = instruments

    def collect(self) -> Iterator[Metric]:
        yield from self._instruments.pulled()


class Instruments:
    def __init__(self, version: str, kiosk_id: str, clock: Clock, health: Callable[[], HealthBoard | None],
                 sources: Callable[[], list[GaugeSource]]) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self._clock = clock
        self._health = health
        self._sources = sources
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
        self.registry.register(_Pulled(self))

    def pulled(self) -> Iterator[Metric]:
        yield from self._health_metrics()
        for source in self._sources():
            value = source.read()
            if value is None:
                continue
            if isinstance(value, Mapping):
                gauge = GaugeMetricFamily(source.name, source.help, labels=[source.label_name])
                for key, number in value.items():
                    gauge.add_metric([label(key)], float(number))
            else:
                gauge = GaugeMetricFamily(source.name, source.help)
                gauge.add_metric([], float(value))
            yield gauge

    def _health_metrics(self) -> Iterator[Metric]:
        board = self._health()
        if board is None:
            return
        snapshot = board.snapshot()
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
