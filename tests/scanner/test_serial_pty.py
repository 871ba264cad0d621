"""The reader thread through a real pty pair with the scanner emulator: framing, split reads, unplug, replug."""

from __future__ import annotations

import queue
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devices.scanner.config import ScannerConfig
from devices.scanner.framing import Frame
from devices.scanner.serial_reader import ScannerReader
from devices.scanner.virtual_scanner import VirtualScanner
from tests.scanner.samples import TYPE_01

WAIT = 10.0


class Ears:
    """What the reader said, in order, on its own thread."""

    def __init__(self) -> None:
        self.frames: queue.Queue[Frame] = queue.Queue()
        self.states: queue.Queue[tuple[bool, str]] = queue.Queue()

    def frame(self, timeout: float = WAIT) -> Frame:
        return self.frames.get(timeout=timeout)

    def state(self, timeout: float = WAIT) -> tuple[bool, str]:
        return self.states.get(timeout=timeout)


@pytest.fixture
def scanner(tmp_path: Path) -> Iterator[VirtualScanner]:
    emulator = VirtualScanner(link=tmp_path / "scanner")
    yield emulator
    emulator.close()


def reader_for(scanner: VirtualScanner, ears: Ears, **changes: object) -> ScannerReader:
    cfg = replace(ScannerConfig(kind="serial", port=scanner.port, reopen_interval=0.2), **changes)  # type: ignore[arg-type]
    return ScannerReader(cfg, frame=ears.frames.put, state=lambda up, why: ears.states.put((up, why)))


def test_binary_paper_policy_in_pieces_is_one_frame(scanner: VirtualScanner) -> None:
    ears = Ears()
    reader = reader_for(scanner, ears).start()
    try:
        assert ears.state()[0] is True
        scanner.scan(TYPE_01, pieces=[1, 40, 33], pause=0.01)  # gaps shorter than the framing's 80 ms
        assert ears.frame() == Frame(TYPE_01)
        scanner.scan(b"second")
        assert ears.frame() == Frame(b"second")
    finally:
        assert reader.stop()


def test_suffix_framing_over_the_pty(scanner: VirtualScanner) -> None:
    ears = Ears()
    reader = reader_for(scanner, ears, framing="suffix", suffix="crlf").start()
    try:
        assert ears.state()[0] is True
        scanner.scan(b"7700000000000016\r\nhttps://example.org/", b"\r\n", pieces=[9, 8], pause=0.05)
        assert [ears.frame(), ears.frame()] == [Frame(b"7700000000000016"), Frame(b"https://example.org/")]
    finally:
        reader.stop()


def test_unplug_is_unavailable_and_replug_recovers(scanner: VirtualScanner) -> None:
    ears = Ears()
    reader = reader_for(scanner, ears).start()
    try:
        assert ears.state()[0] is True
        scanner.unplug()
        available, detail = ears.state()
        assert available is False and "lost" in detail
        scanner.replug()
        assert ears.state()[0] is True  # reopened by itself
        scanner.scan(TYPE_01)
        assert ears.frame() == Frame(TYPE_01)
    finally:
        reader.stop()


def test_a_port_that_is_not_there_is_unavailable_until_it_comes(tmp_path: Path) -> None:
    ears = Ears()
    link = tmp_path / "ttyACM-late"
    cfg = ScannerConfig(kind="serial", port=str(link), reopen_interval=0.2)
    reader = ScannerReader(cfg, frame=ears.frames.put, state=lambda up, why: ears.states.put((up, why))).start()
    try:
        available, detail = ears.state()
        assert available is False and "cannot open" in detail
        late = VirtualScanner(link=link)
        try:
            assert ears.state()[0] is True
            late.scan(b"hello")
            assert ears.frame() == Frame(b"hello")
        finally:
            late.close()
    finally:
        reader.stop()


def test_stop_is_prompt_while_a_scan_is_under_way(scanner: VirtualScanner) -> None:
    ears = Ears()
    reader = reader_for(scanner, ears, framing="suffix").start()
    assert ears.state()[0] is True
    scanner.scan(b"half a scan, no suffix")
    assert reader.stop(timeout=3.0)  # the thread ended (each read waits at most READ_SLICE)


def test_a_failing_handler_does_not_end_the_reader(scanner: VirtualScanner) -> None:
    ears = Ears()
    calls: list[Frame] = []

    def handler(frame: Frame) -> None:
        calls.append(frame)
        if len(calls) == 1:
            raise RuntimeError("a bug in the app")
        ears.frames.put(frame)

    cfg = ScannerConfig(kind="serial", port=scanner.port)
    reader = ScannerReader(cfg, frame=handler, state=lambda up, why: ears.states.put((up, why))).start()
    try:
        assert ears.state()[0] is True
        scanner.scan(b"one")
        deadline = time.monotonic() + WAIT
        while not calls and time.monotonic() < deadline:
            time.sleep(0.02)
        scanner.scan(b"two")
        assert ears.frame() == Frame(b"two")
    finally:
        reader.stop()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(min_size=1, max_size=600))
def test_any_bytes_through_the_pty_come_out_whole_or_dropped(scanner: VirtualScanner, payload: bytes) -> None:
    ears = Ears()
    reader = reader_for(scanner, ears, gap=0.05, max_length=512).start()
    try:
        assert ears.state()[0] is True
        scanner.scan(payload)
        frame = ears.frame()
        assert frame == (Frame(payload) if len(payload) <= 512 else Frame(b"", broken=True))
    finally:
        assert reader.stop()
