"""The offline cache's gauges on the real metrics endpoint: the kiosk built by its composition root, a real
full sync from the embedded demo registry over HTTP into the real cache file, real sealed outbox actions;
every scrape searched for the demo patients' personal data."""

from __future__ import annotations

import queue
from collections.abc import Callable

from kiosk.clock import ManualClock
from kiosk.domain import PatientKey
from kiosk.offline.sender import CANCEL, queued_payload
from offline_cache.outbox import FAILED
from tests.fleet.test_metrics_booking import ANNA, Kiosk, inbox, kiosk, personal_data, value

__all__ = ["inbox", "kiosk"]  # the fixtures, shared with the booking scrape


def test_outbox_depth_oldest_age_and_last_sync_age(kiosk: Kiosk, clock: ManualClock,
                                                    inbox: queue.Queue[Callable[[], None]]) -> None:
    offline = kiosk.services.offline
    assert offline is not None and offline.worker is not None
    first = kiosk.scrape()
    for status in ("pending", "sent", "failed"):
        assert ("kiosk_outbox_depth", (("status", status),)) in first
        assert value(first, "kiosk_outbox_depth", status=status) == 0
    assert ("kiosk_outbox_oldest_age_seconds", ()) in first and value(first, "kiosk_outbox_oldest_age_seconds") == 0
    assert ("kiosk_cache_last_sync_age_seconds", ()) not in first  # never synced: unknown, not 0
    assert ("kiosk_cache_serving_offline", ()) in first and value(first, "kiosk_cache_serving_offline") == 0

    report = offline.worker.sync_full()
    assert report.ok, report.detail
    clock.advance(120)
    synced = kiosk.scrape()
    assert value(synced, "kiosk_cache_last_sync_age_seconds") == 120

    key = PatientKey(ANNA.policy, ANNA.birth_date)
    lookup = offline.outbox.sealer.lookup(key.policy, key.birth_date)
    offline.outbox.enqueue(CANCEL, lookup, queued_payload(key, 111), clock.now())
    refused = offline.outbox.enqueue(CANCEL, lookup, queued_payload(key, 222), clock.now())
    offline.outbox.move(refused, FAILED, clock.now(), "APPOINTMENT_RECEPTION_NOT_FOUND")
    clock.advance(60)
    queued = kiosk.scrape()
    assert value(queued, "kiosk_outbox_depth", status="pending") == 1
    assert value(queued, "kiosk_outbox_depth", status="failed") == 1
    assert value(queued, "kiosk_outbox_depth", status="sent") == 0
    assert value(queued, "kiosk_outbox_oldest_age_seconds") == 60
    assert value(queued, "kiosk_cache_last_sync_age_seconds") == 180

    leaks = [word for text in kiosk.scrapes for word in personal_data() if word in text]
    assert leaks == [], leaks


def test_a_cache_that_cannot_be_read_exports_nothing_for_it(kiosk: Kiosk, clock: ManualClock) -> None:
    offline = kiosk.services.offline
    assert offline is not None
    offline.store.close()  # reads now fail: the gauges are unknown (absent), the scrape itself still answers
    clock.advance(5)  # past the reading kept for one scrape
    values = kiosk.scrape()
    assert ("kiosk_outbox_depth", (("status", "pending"),)) not in values
    assert ("kiosk_outbox_oldest_age_seconds", ()) not in values
    assert ("kiosk_build_info", (("kiosk_id", kiosk.services.config.kiosk.kiosk_id),
                                 ("version", next(dict(k[1])["version"] for k in values
                                                  if k[0] == "kiosk_build_info")))) in values
