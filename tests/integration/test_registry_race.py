"""Fifty kiosks race for one slot: exactly one booking, forty-nine SLOT_UNAVAILABLE."""

from __future__ import annotations

import threading
from pathlib import Path

from kiosk.clock import ManualClock
from kiosk.demo_registry import generated_patients, start_demo_registry
from kiosk.domain import Booking, PatientKey
from kiosk.errors import KioskError, SlotTaken
from kiosk.registry.emias import EmiasRegistry
from tests.registry.support import PINNED_NOW, first_free

RACERS = 50


def test_fifty_threads_race_for_one_slot(tmp_path: Path) -> None:
    crowd = [PatientKey(p.policy, p.birth_date) for p in generated_patients(RACERS)]
    with start_demo_registry(
        tmp_path / "race.sqlite", seed=3, clock=ManualClock(PINNED_NOW), crowd=RACERS
    ) as demo:
        scout = EmiasRegistry(demo.url, 2, 10)
        doctor, slot = first_free(scout, crowd[0], scout.doctors(crowd[0], "6"))
        start = threading.Barrier(RACERS)
        outcomes: list[Booking | KioskError] = []
        lock = threading.Lock()

        def race(key: PatientKey) -> None:
            client = EmiasRegistry(demo.url, 5, 20, read_retries=0)
            start.wait()
            try:
                outcome: Booking | KioskError = client.book(key, doctor, slot)
            except KioskError as error:
                outcome = error
            finally:
                client.close()
            with lock:
                outcomes.append(outcome)

        threads = [threading.Thread(target=race, args=(key,)) for key in crowd]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

        wins = [o for o in outcomes if isinstance(o, Booking)]
        assert len(outcomes) == RACERS
        assert len(wins) == 1
        assert sum(isinstance(o, SlotTaken) for o in outcomes) == RACERS - 1
        assert demo.service.store.duplicate_bookings() == 0
        owners = [key for key in crowd if any(a.start == slot.start for a in scout.appointments(key))]
        assert len(owners) == 1
        scout.close()
