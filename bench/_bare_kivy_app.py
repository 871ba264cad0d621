"""The baseline of bench/startup.py: a bare Kivy app with one Label, in a window of the kiosk's size.

It prepares Kivy exactly as ``kiosk`` does (``kiosk/cli/run.py``: environment, window size, not full
screen) and tells systemd it is ready: ``READY=1`` on ``$NOTIFY_SOCKET``, with ``--ready after-frame``
(the default, as the kiosk's screens/app.py does) on the clock tick after the first frame has been
swapped to the screen, with ``--ready on-start`` from a ``Clock.schedule_once`` made in ``on_start``
(which Kivy runs in the first frame's clock tick, before that frame is drawn). It stops cleanly on
SIGTERM, like the kiosk.

    python bench/_bare_kivy_app.py --width 1080 --height 1920 [--ready after-frame|on-start]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
from typing import Any


def notify(message: str) -> None:
    """What kiosk/sdnotify.py does, without importing the kiosk."""
    address = os.environ.get("NOTIFY_SOCKET")
    if not address:
        return
    if address.startswith("@"):
        address = "\0" + address[1:]
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.connect(address)
        sock.sendall(message.encode())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=1080)
    parser.add_argument("--height", type=int, default=1920)
    parser.add_argument("--ready", choices=("after-frame", "on-start"), default="after-frame")
    args = parser.parse_args()
    for name in ("KIVY_NO_ARGS", "KIVY_NO_CONFIG", "KIVY_NO_FILELOG"):
        os.environ.setdefault(name, "1")
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    from kivy.config import Config

    Config.set("graphics", "width", str(args.width))
    Config.set("graphics", "height", str(args.height))
    Config.set("graphics", "fullscreen", "0")
    Config.set("kivy", "exit_on_escape", "0")
    from kivy.app import App
    from kivy.clock import Clock
    from kivy.uix.label import Label

    def ready(_dt: float = 0) -> None:
        notify("READY=1\nSTATUS=serving patients")

    def after_first_flip(window: Any) -> None:
        window.unbind(on_flip=after_first_flip)
        Clock.schedule_once(ready)  # the next clock tick: after this frame's buffer swap

    class BareApp(App):
        def build(self) -> Label:
            return Label(text="Инфомат")

        def on_start(self) -> None:
            if args.ready == "on-start":
                Clock.schedule_once(ready)
            else:
                from kivy.core.window import Window

                Window.bind(on_flip=after_first_flip)

    app = BareApp()
    signal.signal(signal.SIGTERM, lambda _sig, _frame: Clock.schedule_once(lambda _dt: app.stop()))
    app.run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
