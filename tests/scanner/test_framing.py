"""Framing of the scanner's bytes, with time passed in: suffix and gap, split reads, overlong scans."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from devices.scanner.framing import Frame, Framer

GAP = 0.05


def test_suffix_frames_across_split_reads() -> None:
    framer = Framer(suffix=b"\r\n", gap=GAP, max_length=64)
    assert framer.feed(b"7700 0000", 0.0) == []
    assert framer.feed(b" 0000 0016\r", 0.01) == []  # the suffix itself split between reads
    assert framer.feed(b"\nABC\r\n", 0.02) == [Frame(b"7700 0000 0000 0016"), Frame(b"ABC")]
    assert framer.deadline() is None


def test_suffix_framing_drops_an_unfinished_scan_after_ten_gaps() -> None:
    framer = Framer(suffix=b"\r", gap=GAP, max_length=64)
    framer.feed(b"77000", 0.0)
    assert framer.poll(GAP * 5) == []
    assert framer.poll(GAP * 10) == [Frame(b"", broken=True)]
    assert framer.feed(b"123\r", 1.0) == [Frame(b"123")]  # the next scan is not glued onto it


def test_gap_framing_keeps_any_byte_and_ends_on_silence() -> None:
    framer = Framer(suffix=None, gap=GAP, max_length=200)
    payload = bytes(range(256))[:130]  # CR, LF, NUL inside: binary
    assert framer.feed(payload[:60], 0.0) == []
    assert framer.feed(payload[60:], 0.01) == []
    assert framer.deadline() == 0.01 + GAP
    assert framer.poll(0.01 + GAP / 2) == []
    assert framer.poll(0.01 + GAP) == [Frame(payload)]


def test_two_scans_apart_in_time_are_two_frames() -> None:
    framer = Framer(suffix=None, gap=GAP, max_length=200)
    framer.feed(b"first", 0.0)
    assert framer.feed(b"second", 1.0) == [Frame(b"first")]
    assert framer.poll(2.0) == [Frame(b"second")]


def test_an_overlong_scan_is_one_broken_frame() -> None:
    framer = Framer(suffix=None, gap=GAP, max_length=130)
    for index in range(10):
        framer.feed(b"x" * 100, index * 0.01)
    assert framer.poll(1.0) == [Frame(b"", broken=True)]
    suffixed = Framer(suffix=b"\r", gap=GAP, max_length=10)
    assert suffixed.feed(b"y" * 50, 0.0) == []
    assert suffixed.feed(b"y" * 50 + b"\rok\r", 0.01) == [Frame(b"", broken=True), Frame(b"ok")]


def test_a_frame_never_shows_its_bytes() -> None:
    assert "7700" not in repr(Frame(b"7700000000000016"))


_CHUNKS = st.lists(st.binary(max_size=40), max_size=30)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.binary(min_size=1, max_size=50).filter(lambda b: b"\r" not in b), min_size=1, max_size=8),
       st.data())
def test_suffix_frames_survive_any_split(scans: list[bytes], data: st.DataObject) -> None:
    stream = b"".join(scan + b"\r" for scan in scans)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=10)))
    framer = Framer(suffix=b"\r", gap=GAP, max_length=64)
    frames, start = [], 0
    for cut in [*cuts, len(stream)]:
        frames += framer.feed(stream[start:cut], 0.0)
        start = cut
    assert frames == [Frame(scan) for scan in scans]


@settings(max_examples=300, deadline=None)
@given(_CHUNKS, st.lists(st.floats(0, 1), max_size=30), st.sampled_from([None, b"\r", b"\r\n"]))
def test_any_bytes_at_any_times_never_raise_and_always_end(chunks: list[bytes], steps: list[float],
                                                           suffix: bytes | None) -> None:
    framer = Framer(suffix=suffix, gap=GAP, max_length=130)
    now = 0.0
    for chunk, step in zip(chunks, steps + [0.0] * len(chunks), strict=False):
        now += step
        for frame in framer.feed(chunk, now):
            assert frame.broken or 0 < len(frame.data) <= 130
    framer.poll(now + 100)
    assert framer.deadline() is None  # whatever came, silence ends it: nothing waits forever
