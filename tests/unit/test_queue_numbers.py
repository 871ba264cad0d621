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


def test_two_terminals_with_their_own_letters_never_share_a_number(tmp_path: Path) -> None:
    first, second = QueueNumbers(tmp_path / "a.sqlite", "А"), QueueNumbers(tmp_path / "b.sqlite", "Б")
    issued = [numbers.next(DAY) for _ in range(5) for numbers in (first, second)]
    assert len(set(issued)) == 10 and issued[:2] == ["А-001", "Б-001"]
    assert QueueNumbers(tmp_path / "a.sqlite", "А").next(DAY) == "А-006"  # kept across a restart


def test_a_bad_queue_prefix_stops_start_up_with_the_allowed_values(tmp_path: Path) -> None:
    import pytest

    from kiosk.config import ConfigError, load_config
    from kiosk.config.edit import ini_with

    root = Path(__file__).resolve().parents[2]
    ini = tmp_path / "kiosk.ini"
    ini.write_text(ini_with((root / "kiosk.ini").read_text(encoding="utf-8"),
                            {("kiosk", "data_dir"): str(tmp_path), ("ticket", "queue_prefix"): "р1"}), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[ticket\] queue_prefix.*А-ЯЁA-Z"):
        load_config(ini)
    ini.write_text(ini_with(ini.read_text(encoding="utf-8"), {("ticket", "queue_prefix"): "Б"}), encoding="utf-8")
    assert load_config(ini).ticket.queue_prefix == "Б"
