"""The window's lockdown settings, set before the window exists (``kiosk.app.launch.prepare_kivy``).

Full screen and borderless with the cursor hidden (``[ui] fullscreen = yes``), Esc never quits
(``exit_on_escape``), a right click draws no multitouch dots, no Kivy modules (the inspector is one),
and the screen saver stays off (SDL_VIDEO_ALLOW_SCREENSAVER=0; under cage SDL's idle inhibitor keeps
the panel on). What the running app refuses is ``screens.lockdown``.
"""

from __future__ import annotations

import os

from kivy.config import Config


def lock_config(fullscreen: bool) -> None:
    os.environ["SDL_VIDEO_ALLOW_SCREENSAVER"] = "0"
    Config.set("kivy", "exit_on_escape", "0")
    Config.set("input", "mouse", "mouse,disable_multitouch")
    for module in list(Config.options("modules")) if Config.has_section("modules") else []:
        Config.remove_option("modules", module)
    if fullscreen:
        Config.set("graphics", "fullscreen", "auto")
        Config.set("graphics", "borderless", "1")
        Config.set("graphics", "show_cursor", "0")
