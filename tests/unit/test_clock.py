"""The one clock: its three kinds, the pinned instant, and that nothing else reads the system clock."""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.clock import (
    DEFAULT_TEST_NOW,
    MOSCOW,
    TEST_NOW_VARIABLE,
    ManualClock,
    ShiftedClock,
    SystemClock,
    clock_from_environment,
    parse_instant,
    pinned_test_instant,
)

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("kiosk", "screens", "devices", "offline_cache")
#: calls that read the wall clock; only kiosk/clock.py may make them
FORBIDDEN = {("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"), ("date", "today"),
             ("time", "time"), ("time", "localtime"), ("time", "gmtime"), ("time", "time_ns")}


def clock_reads(source: str) -> list[str]:
    """``name.attr(...)`` calls and ``from time import time`` forms that read the wall clock."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", None)
            if (name, node.func.attr) in FORBIDDEN:
                found.append(f"line {node.lineno}: {name}.{node.func.attr}()")
        if isinstance(node, ast.ImportFrom) and node.module == "time":
            found += [f"line {node.lineno}: from time import {a.name}" for a in node.names
                      if ("time", a.name) in FORBIDDEN]
    return found


def test_the_scanner_finds_every_kind_of_clock_read() -> None:
    source = ("import datetime as dt\nfrom time import time\nfrom datetime import date, datetime\n"
              "datetime.now()\ndt.datetime.utcnow()\ndate.today()\nimport time\ntime.time()\n"
              "time.monotonic()\n")
    assert len(clock_reads(source)) == 5  # monotonic time is not a clock read


def test_nothing_outside_the_clock_module_reads_the_system_clock() -> None:
    offenders = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if path == ROOT / "kiosk" / "clock.py":
                continue
            reads = clock_reads(path.read_text(encoding="utf-8"))
            if reads:
                offenders[str(path.relative_to(ROOT))] = reads
    assert offenders == {}, "use the injected kiosk.clock.Clock instead"


def test_manual_clock_stands_still_until_moved() -> None:
    clock = ManualClock(datetime(2026, 12, 31, 20, 50, tzinfo=UTC))
    assert clock.now() == datetime(2026, 12, 31, 23, 50, tzinfo=MOSCOW) and clock.now().tzinfo is MOSCOW
    assert clock.now() == clock.now()
    start = clock.monotonic()
    clock.advance(15 * 60)
    assert clock.today() == date(2027, 1, 1)  # Moscow's new year, though still 2026 in UTC
    assert clock.monotonic() - start == 15 * 60
    clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=MOSCOW))  # wound back: monotonic time does not go back
    assert clock.today() == date(2026, 12, 1) and clock.monotonic() - start == 15 * 60
    with pytest.raises(ValueError):
        clock.advance(-1)
    with pytest.raises(ValueError):
        ManualClock(datetime(2026, 12, 1, 9, 0))  # naive


def test_system_clock_is_aware_in_moscow_whatever_the_machine_zone() -> None:
    now = SystemClock().now()
    assert now.tzinfo is MOSCOW and now.utcoffset() == timedelta(hours=3)
    assert SystemClock().today() - now.date() in (timedelta(0), timedelta(days=1))  # unless midnight passed


def test_shifted_clock_starts_at_the_instant_and_runs() -> None:
    start = datetime(2027, 6, 15, 10, 0, tzinfo=MOSCOW)
    clock = ShiftedClock(start)
    first = clock.now()
    assert timedelta(0) <= first - start < timedelta(minutes=5)
    assert clock.now() >= first


def test_pinned_instant_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(TEST_NOW_VARIABLE, raising=False)
    assert pinned_test_instant() == parse_instant(DEFAULT_TEST_NOW)
    assert isinstance(clock_from_environment(), SystemClock)
    monkeypatch.setenv(TEST_NOW_VARIABLE, "2026-12-31T23:50:00+03:00")
    assert pinned_test_instant() == datetime(2026, 12, 31, 23, 50, tzinfo=MOSCOW)
    assert clock_from_environment().today() == date(2026, 12, 31)
    for bad in ("2026-12-31T23:50:00", "tomorrow"):
        monkeypatch.setenv(TEST_NOW_VARIABLE, bad)
        with pytest.raises(ValueError, match="2026-11-23T07:30:00"):
            pinned_test_instant()
