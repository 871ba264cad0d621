"""Drive the real Kivy window by taps, without ``App.run()``.

Used by the UI tests and by the scripted walk-through the run command performs
on a machine without a display. The window is real (SDL offscreen or Xvfb);
touches go through Kivy's input dispatch exactly like a finger's.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kivy.base import EventLoop
from kivy.input.motionevent import MotionEvent

from kiosk.config.sections import UiSection
from kiosk.services_types import Services


class PilotTimeoutError(AssertionError):
    """The UI did not reach the expected state: the kiosk is stuck or wrong."""


def configure_window(ui: UiSection) -> None:
    """Window size and no real input devices; call before the first Window import."""
    from kivy.config import Config

    Config.set("graphics", "width", str(ui.width))
    Config.set("graphics", "height", str(ui.height))
    Config.set("graphics", "fullscreen", "0")
    for provider in list(Config.options("input")) if Config.has_section("input") else []:
        Config.remove_option("input", provider)


class Finger(MotionEvent):
    """One touch at a window position, posted through Kivy's input dispatch like a real one.

    (kivy.tests.common has a similar class, but importing it needs pytest, which a
    kiosk installed without its tests does not have.)
    """

    def __init__(self, x: float, y: float) -> None:
        window = EventLoop.window
        super().__init__("pilot", 1, {"x": x / (window.width - 1.0), "y": y / (window.height - 1.0)},
                         is_touch=True, type_id="touch")
        self.profile = ["pos"]

    def depack(self, args: dict[str, float]) -> None:
        self.sx, self.sy = args["x"], args["y"]
        super().depack(args)

    def down(self) -> None:
        EventLoop.post_dispatch_input("begin", self)

    def up(self) -> None:
        EventLoop.post_dispatch_input("end", self)


class Pilot:
    def __init__(self, services: Services, ui: UiSection) -> None:
        from screens.app import KioskApp

        EventLoop.ensure_window()
        self.window = EventLoop.window
        self.app = KioskApp(services, ui)
        self.root = self.app.build()
        self.app.root = self.root
        self.window.add_widget(self.root)
        self.app.dispatch("on_start")
        self.pump(3)

    # -- time ------------------------------------------------------------------------------------

    def pump(self, frames: int = 1) -> None:
        for _ in range(frames):
            EventLoop.idle()

    def wait_until(self, predicate: Callable[[], bool], what: str, limit: float = 30.0) -> None:
        """Pump frames until ``predicate`` holds; the limit only stops a hung run."""
        deadline = time.monotonic() + limit
        while not predicate():
            if time.monotonic() > deadline:
                raise PilotTimeoutError(f"waited {limit:.0f} s for: {what}")
            EventLoop.idle()
            time.sleep(0.005)

    def wait_step(self, step: str) -> None:
        manager = self.app.manager
        assert manager is not None
        self.wait_until(
            lambda: self.app.session.screen == step and not self.app.session.status.busy
            and manager.current == step and not manager.transition.is_active,
            f"screen {step!r} (now {self.app.session.screen!r}, error {self.app.session.status.error!r})",
        )
        self.pump(2)

    # -- finger ----------------------------------------------------------------------------------

    def tap(self, widget: Any) -> None:
        x, y = widget.to_window(*widget.center)
        finger = Finger(x, y)
        finger.down()
        self.pump(1)
        finger.up()
        self.pump(2)

    def screen(self, name: str | None = None) -> Any:
        manager = self.app.manager
        assert manager is not None
        return self.app.screen(name or manager.current)

    def tap_id(self, widget_id: str, screen: str | None = None) -> None:
        self.tap(self.screen(screen).ids[widget_id])

    def type_digits(self, digits: str) -> None:
        screen = self.screen("identify")
        for digit in digits:
            self.tap(screen.ids[f"key_{digit}"])

    def press_key(self, key: int, codepoint: str | None = None, modifiers: tuple[str, ...] = ()) -> None:
        """One key of a keyboard or keypad (SDL key code), through the window as SDL posts it."""
        self.window.dispatch("on_key_down", key, 0, codepoint, list(modifiers))
        self.pump(1)
        self.window.dispatch("on_key_up", key, 0)
        self.pump(2)

    # -- eyes ------------------------------------------------------------------------------------

    def shot(self, path: Path) -> Path:
        """Save a screenshot; Kivy inserts a counter before the suffix, so rename to ``path``."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.pump(2)
        written = Path(self.window.screenshot(name=str(path)))
        written.replace(path)
        return path

    def close(self) -> None:
        self.window.remove_widget(self.root)
        self.app.dispatch("on_stop")  # as App.run() would: closes the services, releases kv's `app`
