"""Bytes from a scanner → one frame per scan. Pure: time is passed in, nothing is read here.

Two framings (``[scanner] framing``): ``suffix`` ends a scan at the suffix bytes (an unfinished scan
is dropped after ``stale_after`` seconds of silence, so its bytes never glue onto the next one);
``gap`` ends it after ``gap`` seconds without a byte (raw binary, which may hold any byte).
A scan longer than ``max_length`` is dropped whole and reported as one truncated frame.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Frame:
    data: bytes
    #: the scan was longer than the limit (``data`` is empty) or unfinished (suffix framing)
    broken: bool = False

    def __repr__(self) -> str:  # a frame may hold a policy: never its bytes in a log
        return f"Frame({len(self.data)} bytes{', broken' if self.broken else ''})"


class Framer:
    def __init__(self, *, suffix: bytes | None, gap: float, max_length: int) -> None:
        if suffix is not None and not suffix:
            raise ValueError("an empty suffix")
        self._suffix = suffix
        self._gap = gap
        self._stale_after = gap * 10 if suffix is not None else gap
        self._max = max_length
        self._buffer = bytearray()
        self._overflow = False
        self._last = 0.0

    def feed(self, data: bytes, now: float) -> list[Frame]:
        """Bytes just read at ``now`` (monotonic seconds); the frames they complete."""
        frames = self.poll(now)
        if not data:
            return frames
        self._last = now
        if self._suffix is None:
            self._append(data)
            return frames
        pending = bytes(self._buffer) + data
        self._buffer.clear()
        *complete, rest = pending.split(self._suffix)
        for part in complete:
            overflow, self._overflow = self._overflow, False
            if overflow or len(part) > self._max:
                frames.append(Frame(b"", broken=True))
            elif part:
                frames.append(Frame(part))
        self._append(rest)
        return frames

    def _append(self, data: bytes) -> None:
        if self._overflow:
            return
        self._buffer += data
        if len(self._buffer) > self._max + (len(self._suffix) if self._suffix else 0):
            self._buffer.clear()
            self._overflow = True

    def deadline(self) -> float | None:
        """When :meth:`poll` should next be called (a scan is under way), or None."""
        if self._buffer or self._overflow:
            return self._last + self._stale_after
        return None

    def poll(self, now: float) -> list[Frame]:
        """The scan that silence has ended by ``now``, if any."""
        due = self.deadline()
        if due is None or now < due:
            return []
        data, overflow = bytes(self._buffer), self._overflow
        self.reset()
        if overflow:
            return [Frame(b"", broken=True)]
        if self._suffix is not None:  # an unfinished scan: no suffix came
            return [Frame(b"", broken=True)]
        return [Frame(data)]

    def reset(self) -> None:
        """Forget a scan under way (the port was lost)."""
        self._buffer.clear()
        self._overflow = False
