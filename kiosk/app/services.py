"""The composition root: build every service from the configuration.

Plain Python: the Kivy app receives a ready :class:`~kiosk.services_types.Services`
and a ``post`` function is the only thing it contributes (how to run a callback on
its thread). With ``[registry] kind = demo`` the registry factory starts the embedded
demo registry here, and its stop is one of the closers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from devices.printer.factory import open_printer
from kiosk.card_session import CardSession
from kiosk.clock import Clock
from kiosk.config import KioskConfig
from kiosk.errands import parse_errands
from kiosk.health.board import HealthBoard
from kiosk.health.card_reader import card_reader_feed
from kiosk.health.factory import card_reader_health, printer_health, registry_health
from kiosk.health.scanner import scanner_feed, scanner_health
from kiosk.i18n import set_language
from kiosk.jobs import Jobs, Post
from kiosk.log_context import LOG_CONTEXT
from kiosk.metrics.cache_sources import add_cache_sources
from kiosk.metrics.kiosk_metrics import KioskMetrics, kiosk_version
from kiosk.offline.factory import open_offline_or_none
from kiosk.queue_numbers import QueueNumbers
from kiosk.registry.factory import open_registry, second_client
from kiosk.registry.port import RegistryPort
from kiosk.scanner_session import ScannerSession
from kiosk.service_mode.cache_desk import CacheDesk
from kiosk.service_mode.desk import PrintTarget, ServiceDesk
from kiosk.service_mode.recent_errors import RecentErrors
from kiosk.services_types import Services
from kiosk.session.idle import IdleLimits
from kiosk.session.kernel import Session
from kiosk.speech.engine import EspeakEngine
from kiosk.speech.headphones import HeadphonesWatch
from kiosk.speech.speaker import Speaker
from kiosk.ticket_desk import TicketDesk
from kiosk.tickets.check_in_pass import load_ticket_key


def build_services(config: KioskConfig, post: Post, clock: Clock) -> Services:
    set_language(config.kiosk.language)
    data_dir = config.kiosk.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    closers: list[Callable[[], object]] = []
    live_registry, stop_registry = open_registry(config.registry, data_dir, clock)
    closers.append(live_registry.close)
    if stop_registry is not None:
        closers.append(stop_registry)
    registry_watch = registry_health(live_registry, config.health, clock)  # probes the registry itself
    offline = (open_offline_or_none(config.cache, data_dir, config.registry.kind, live_registry, registry_watch,
                                    clock, second_client(config.registry, live_registry))
               if config.cache.enabled else None)
    registry: RegistryPort = offline.registry if offline is not None else live_registry
    if offline is not None:
        closers.append(offline.close)
    printer = open_printer(config.printer, now=clock.now)
    closers.append(printer.close)
    key_file = config.scanner.ticket_key_file
    ticket_key = load_ticket_key(key_file or data_dir / "ticket-pass.key", create=key_file is None)
    desk = TicketDesk(printer, config.ticket, config.kiosk.kiosk_id, config.printer.columns,
                      preview_only=config.printer.kind == "preview",
                      queue=QueueNumbers(data_dir / "queue-numbers.sqlite", config.ticket.queue_prefix), clock=clock,
                      ticket_key=ticket_key)
    jobs = Jobs(post, clock=clock, config=config.jobs)
    ui = config.ui
    metrics = KioskMetrics(kiosk_version(), config.kiosk.kiosk_id, clock, cfg=config.metrics)
    rpc = getattr(live_registry, "rpc", None)  # the EMIAS client's JSON-RPC transport times every round trip
    if rpc is not None:
        rpc.observer = metrics.registry_call
    session = Session(registry, jobs, desk, clock, home_region=config.kiosk.region, language=config.kiosk.language,
                      idle=IdleLimits(ui.idle_timeout, ui.idle_warning, ui.done_timeout), events=metrics,
                      errands=parse_errands(ui.errands),
                      check_in_queue=offline.registry if offline is not None and offline.registry.queues_check_in
                      else None)
    session.subscribe(LOG_CONTEXT.follow(session))  # session id, errand and step on every log line
    coordinators = [registry_watch,
                    printer_health(printer, config.printer, config.health, clock)]
    reader = card_reader_health(clock) if config.card_reader.kind != "none" else None
    if reader is not None:
        coordinators.append(reader)
    scanner = scanner_health(clock) if config.scanner.kind != "none" else None
    if scanner is not None:
        coordinators.append(scanner)
    health = HealthBoard(coordinators)
    metrics.watch(health)
    if offline is not None:
        add_cache_sources(metrics, offline, clock)
    closers.append(metrics.stop)  # started with the watchers, after the first frame
    recent = RecentErrors()
    logging.getLogger().addHandler(recent)
    closers.append(lambda: logging.getLogger().removeHandler(recent))
    service = ServiceDesk(config.service, health, PrintTarget(printer, config.printer.columns, config.kiosk.kiosk_id),
                          clock, recent)
    card = CardSession(config.card_reader, session, post, clock,
                       reader_state=card_reader_feed(reader) if reader else lambda _available: None)
    if config.card_reader.kind != "none":
        service.card_test = card.test_read
    if offline is not None:
        service.cache = CacheDesk(service, offline, config.cache, clock)
    closers.append(card.stop)
    scanning = ScannerSession(config.scanner, session, post, clock, ticket_key=ticket_key,
                              reject_expired=config.card_reader.reject_expired,
                              scanner_state=scanner_feed(scanner) if scanner else lambda _available, _detail: None)
    closers.append(scanning.stop)
    speech = config.speech
    speaker = Speaker(EspeakEngine(speech) if speech.engine != "none" else None, deadline=speech.deadline)
    closers.append(speaker.close)
    watchers: list[Callable[[], object]] = []
    if speaker.enabled and speech.headphones == "auto":
        headphones = HeadphonesWatch(lambda plugged: post(lambda: session.headphones_changed(plugged)),
                                     speech.headphones_interval)
        watchers.append(headphones.start)
        closers.append(headphones.stop)
    closers.append(health.stop)  # stopped first; the watchers start with Services.start_watching()
    return Services(config=config, registry=registry, jobs=jobs, session=session, card=card, ticket_desk=desk,
                    health=health, metrics=metrics, service=service, clock=clock, closers=closers, scanner=scanning,
                    offline=offline, speaker=speaker, watchers=watchers)
