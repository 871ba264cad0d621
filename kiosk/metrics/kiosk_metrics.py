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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.clock import Clock
from kiosk.health.board import HealthBoard
from kiosk.metrics.config import MetricsConfig

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry

    from kiosk.metrics.instruments import Instruments

_LABEL = re.compile(r"[a-z][A-Za-z0-9_]{0,39}", re.ASCII)
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")

#: seconds; a registry answer is expected well within a second, a slow one takes several
LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 20.0)

#: names the offline cache's sources take (the alert rules in systemd/monitoring/ use them);
#: kiosk/metrics/cache_sources.py adds them
OUTBOX_DEPTH = "kiosk_outbox_depth"
OUTBOX_OLDEST_AGE = "kiosk_outbox_oldest_age_seconds"
LAST_SYNC_AGE = "kiosk_cache_last_sync_age_seconds"
CACHE_OFFLINE = "kiosk_cache_serving_offline"

PAPER_NEAR_END_DETAIL = "paper near end"
PAPER_END_DETAIL = "paper end"


def label(value: str) -> str:
    """A label value that is one of our own names (``SlotTaken`` → ``slot_taken``; a JSON-RPC method as it is),
    else ``other``: a value that could carry anything else (digits first, spaces, dots, Cyrillic) never passes."""
    name = _CAMEL.sub("_", value).lower() if value[:1].isupper() else value
    return name if _LABEL.fullmatch(name) else "other"


@dataclass(frozen=True)
class GaugeSource:
    """One gauge read at scrape time: ``read()`` returns the value, or None (unknown: not exported).

    With ``label_name`` (e.g. ``status``), ``read()`` returns ``{label value: number}`` instead, one
    sample each; the label values pass :func:`label` like every other."""

    name: str
    help: str
    read: Callable[[], float | Mapping[str, float] | None]
    label_name: str = ""


class KioskMetrics:
    """Counts from the first event on and serves per ``[metrics]`` once ``start()`` ran (after the first
    frame); prometheus_client loads with whichever comes first."""

    def __init__(self, version: str, kiosk_id: str, clock: Clock, health: HealthBoard | None = None,
                 cfg: MetricsConfig | None = None) -> None:
        self._version = version
        self._kiosk_id = kiosk_id
        self._clock = clock
        self._health = health
        self._cfg = cfg or MetricsConfig(port=0)
        self._sources: list[GaugeSource] = []
        self._lock = threading.RLock()  # building the registry describes the collector, which reads the sources
        self._instruments: Instruments | None = None
        self._closers: list[Callable[[], None]] = []

    def _made(self) -> Instruments:
        with self._lock:
            if self._instruments is None:
                from kiosk.metrics.instruments import Instruments

                self._instruments = Instruments(self._version, self._kiosk_id, self._clock, lambda: self._health,
                                                self._source_list)
            return self._instruments

    @property
    def registry(self) -> CollectorRegistry:
        return self._made().registry

    def start(self) -> None:
        """Serve the endpoint and write the textfile as ``[metrics]`` says (once)."""
        from kiosk.metrics.exporter import start_exporters

        with self._lock:
            if self._closers:
                return
        self._closers = start_exporters(self.registry, self._cfg) or [lambda: None]

    def stop(self) -> None:
        closers, self._closers = self._closers, []
        for close in reversed(closers):
            close()

    def watch(self, health: HealthBoard) -> None:
        """Read ``health`` at every scrape (device states, paper, online)."""
        self._health = health

    # -- pushed: SessionEvents and the registry client's observer -----------------------------------

    def session_ended(self, errand: str, outcome: str) -> None:
        self._made().sessions.labels(label(errand), label(outcome)).inc()

    def errand_done(self, errand: str, result: str, booked: bool) -> None:
        made = self._made()
        made.errands.labels(label(errand), label(result)).inc()
        if booked:
            made.bookings.labels(label(errand)).inc()

    def request_failed(self, step: str, kind: str) -> None:
        self._made().errors.labels(label(step), label(kind)).inc()

    def registry_call(self, method: str, seconds: float, outcome: str) -> None:
        self._made().registry_latency.labels(label(method), label(outcome)).observe(max(0.0, seconds))

    # -- pulled at scrape time ----------------------------------------------------------------------

    def add_source(self, source: GaugeSource) -> None:
        """Export ``source`` from the next scrape on (the offline cache's outbox and sync ages)."""
        with self._lock:
            self._sources.append(source)

    def _source_list(self) -> list[GaugeSource]:
        with self._lock:
            return list(self._sources)


def kiosk_version() -> str:
    """The installed package's version (``0+unknown`` when run from a tree that was never installed)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("infomat-kiosk")
    except PackageNotFoundError:
        return "0+unknown"
