"""systemd hears READY=1 once the first frame has been drawn and shown, and only once."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.clock import ManualClock
from tests.ui.conftest import demo_config

pytestmark = pytest.mark.ui


def test_ready_comes_after_the_first_frame(tmp_path: Path, window_ready: None, clock: ManualClock,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from kivy.base import EventLoop

    import screens.app
    from kiosk.app.pilot import open_pilot

    events: list[str] = []
    monkeypatch.setattr(screens.app, "notify", lambda message: events.append(message.split("\n")[0]))
    EventLoop.ensure_window()
    window = EventLoop.window

    def flipped(*_args: object) -> None:
        events.append("frame")

    window.bind(on_flip=flipped)
    try:
        pilot = open_pilot(demo_config(tmp_path), clock)
        try:
            assert "READY=1" not in events[:1]  # nothing before a frame
            pilot.wait_until(lambda: "READY=1" in events, "READY=1")
            pilot.pump(5)
        finally:
            pilot.close()
    finally:
        window.unbind(on_flip=flipped)
    assert events.count("READY=1") == 1
    assert "frame" in events[: events.index("READY=1")]
