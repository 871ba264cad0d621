"""Walk-in queue numbers: from 1 each day, never repeated, across restarts and threads."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

from kiosk.queue_numbers import QueueNumbers

DAY = date(2026, 11, 24)


def test_numbers_count_up_and_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "queue.sqlite"
    assert [QueueNumbers(path).next(DAY) for _ in range(2)] == ["Р-001", "Р-002"]
    assert QueueNumbers(path).next(DAY) == "Р-003"


def test_a_new_day_starts_from_one(tmp_path: Path) -> None:
    numbers = QueueNumbers(tmp_path / "queue.sqlite")
    numbers.next(DAY)
    assert numbers.next(date(2026, 11, 25)) == "Р-001"


def test_threads_never_get_the_same_number(tmp_path: Path) -> None:
    numbers = QueueNumbers(tmp_path / "queue.sqlite")
    with ThreadPoolExecutor(8) as pool:
        issued = list(pool.map(lambda _i: numbers.next(DAY), range(80)))
    assert sorted(issued) == [f"Р-{n:03d}" for n in range(1, 81)]
