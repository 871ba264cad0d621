"""Speech and keys on the UI thread: what the accessibility tick and a key cost against one idle frame.

The kiosk runs in this process in a real Kivy window (SDL offscreen; ``--display`` uses $DISPLAY), on the
embedded demo, driven by the UI tests' pilot to the busiest screen, the day's times (``slot``). With speech
on, per call, median over ``--calls``:

- **tick**: ``Accessibility.tick`` with nothing changed (what runs every 0.2 s: it reads the screen's intro
  from the widgets to see whether it changed);
- **key**: one ↓ key (the ring moves, the new choice is handed to the speaker: ``say`` returns at once);
- **baseline**: one idle frame of the same window (``EventLoop.idle()``, capped at 60 per second).

Prints each and the ratios tick / frame and key / frame, and the tick's share of the UI thread's time
(tick cost / 0.2 s). Goal: tick / frame ≤ 0.5. Exit 0 either way; nothing here asserts a time.

    .venv/bin/python bench/speech_tick.py [--calls 200] [--display]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))

from _kiosk_ini import write_ini
from frame_gap import demo_patient, open_kiosk, prepare_kivy

GOAL = 0.5
TICK = 0.2


def timed(action: Any, calls: int) -> float:
    """Median seconds of ``action()`` over ``calls`` calls."""
    times = []
    for _ in range(calls):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=200, help="calls of each (default 200)")
    parser.add_argument("--display", action="store_true", help="use $DISPLAY instead of SDL offscreen")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-speech-") as name:
        tmp = Path(name)
        prepare_kivy(540, 960, not args.display, tmp / "kivy-home")
        config = write_ini(tmp, {("card_reader", "kind"): "none", ("scanner", "kind"): "none",
                                 ("ui", "width"): "540", ("ui", "height"): "960", ("ui", "transitions"): "no"})
        from kivy.base import EventLoop

        from screens.keys import DOWN, KEYPAD_MULTIPLY
        from screens.walkthrough import open_schedule, start_booking

        pilot = open_kiosk(config)
        try:
            policy, birth = demo_patient()
            start_booking(pilot, policy, birth)
            open_schedule(pilot)
            pilot.press_key(KEYPAD_MULTIPLY)  # speech on
            access = pilot.app.accessibility
            access.tick()
            buttons = len(access.ring.items())

            def key() -> None:
                pilot.window.dispatch("on_key_down", DOWN, 0, None, [])

            frame = timed(EventLoop.idle, args.calls)
            tick = timed(access.tick, args.calls)
            pressed = timed(key, args.calls)
        finally:
            pilot.close()
    print(f"speech tick on the slot screen ({buttons} buttons), median of {args.calls} calls")
    print(f"  idle frame (baseline)   {frame * 1000:8.3f} ms")
    print(f"  tick, nothing changed   {tick * 1000:8.3f} ms   tick / frame = {tick / frame:.3f}"
          f"   share of the UI thread = {tick / TICK:.2%}")
    print(f"  one key (ring + say)    {pressed * 1000:8.3f} ms   key / frame = {pressed / frame:.3f}")
    print(f"  goal tick / frame <= {GOAL}: {'met' if tick / frame <= GOAL else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
