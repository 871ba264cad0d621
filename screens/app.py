"""KioskApp: the Kivy application. Views of the session, the idle dialog, nothing else.

No business rules here: the screens call the session's and the journeys' intents and
redraw on its notifications; the session decides about idle time; the composition
root (kiosk.app) builds everything else.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from kivy.app import App
from kivy.base import EventLoop
from kivy.clock import Clock
from kivy.factory import Factory
from kivy.uix.button import Button
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.screenmanager import NoTransition, ScreenManager, SlideTransition

from kiosk.config.sections import UiSection
from kiosk.health.notices import start_screen_text
from kiosk.i18n import _
from kiosk.sdnotify import notify, watchdog_interval
from kiosk.services_types import Services
from screens import REGISTRY, screen_class
from screens.base import KioskScreen
from screens.idle import IdleDialog
from screens.localizer import LOCALIZER
from screens.switch_patient import SwitchPatientDialog
from screens.widgets import BusyOverlay

log = logging.getLogger(__name__)

DEMO_STRIP = "demo-card"
DEMO_SCAN = "demo-scan"


def on_ui_thread(callback: Callable[[], None]) -> None:
    """The jobs bridge's ``post``: run ``callback`` on the Kivy main thread (safe from any thread)."""
    Clock.schedule_once(lambda _dt: callback())


class KioskRoot(FloatLayout):
    """Root widget: notes every touch for the idle timer."""

    def __init__(self, on_touch: object, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._on_touch = on_touch

    def on_touch_down(self, touch: object) -> bool:
        self._on_touch()  # type: ignore[operator]
        return bool(super().on_touch_down(touch))


class KioskApp(App):
    def __init__(self, services: Services, ui: UiSection, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.services = services
        self.session = services.session
        self.ui_settings = ui
        self.manager: ScreenManager | None = None
        self._busy = BusyOverlay()
        self._idle = IdleDialog(on_more_time=self.touched)
        self._switch = SwitchPatientDialog(self.session)
        self._wipes_seen = 0
        self._clock_events: list[Any] = []

    def build(self) -> KioskRoot:
        self.title = "Инфомат"
        LOCALIZER.switch(self.services.config.kiosk.language)
        transition = SlideTransition(duration=0.15) if self.ui_settings.transitions else NoTransition()
        manager = ScreenManager(transition=transition)
        self.manager = manager
        self.screen("welcome")  # the others are made after the first frame (or when first needed)
        root = KioskRoot(on_touch=self.touched)
        root.add_widget(manager)
        strips = ([self._demo_card_button()] if self.services.card.has_demo_card else []) + (
            [self._demo_scan_button()] if self.services.scanner.has_demo_scanner else [])
        if strips:
            # a strip above every screen, so the demo card can be pulled out in the middle of a booking
            share = 1 / len(strips)
            for index, strip in enumerate(strips):
                strip.size_hint_x, strip.pos_hint = share, {"x": index * share, "top": 1}
                root.add_widget(strip)
            manager.size_hint_y = None
            root.bind(height=lambda _root, height: setattr(manager, "height", height - strips[0].height))
        self.session.subscribe(self._on_session)
        # the coordinators call from their own threads: hand every change to this one
        self.services.health.subscribe(lambda _health: on_ui_thread(self._on_health))
        self._on_health()
        self._clock_events.append(Clock.schedule_interval(self.check_idle, 0.5))
        self._on_session()
        return root

    def on_start(self) -> None:
        # systemd's READY=1 once the first frame is on the screen, not before it is drawn
        EventLoop.window.bind(on_flip=self._first_frame_drawn)
        EventLoop.window.bind(on_key_down=self._key_down)  # a keyboard-style scanner types its codes

    def _first_frame_drawn(self, window: Any) -> None:
        window.unbind(on_flip=self._first_frame_drawn)
        # bound handlers run before the window's own on_flip shows the frame: tell systemd on the next tick
        self._clock_events.append(Clock.schedule_once(self._ready))

    def _ready(self, _dt: float = 0) -> None:
        notify("READY=1\nSTATUS=serving patients")
        interval = watchdog_interval()
        if interval is not None:
            # pinged from the UI clock: a frozen UI loop stops the pings and systemd restarts us
            self._clock_events.append(Clock.schedule_interval(lambda _dt: notify("WATCHDOG=1"), interval))
        # what the first frame did not need waits until it is on the screen: the card monitor and the
        # devices' probes start (off this thread), and the other screens are made, one per frame
        self.services.start_watching()
        self._ask_registry_errands()
        self._clock_events.append(Clock.schedule_interval(self._ask_registry_errands, 30))
        self._clock_events.append(Clock.schedule_interval(self._make_next_screen, 0))

    def _ask_registry_errands(self, _dt: float = 0) -> None:
        """Whether the registry has the schedule reads (asked until it says yes; the client caches a no)."""
        session = self.session
        if session.public_schedules or session.status.busy:
            return
        self.services.jobs.submit(session.registry.supports_public_schedules, session.registry_offers_schedules,
                                  lambda error: log.warning("asking the registry about schedules: %s", error))

    def _make_next_screen(self, _dt: float) -> bool:
        missing = [name for name in REGISTRY if self.manager is not None and not self.manager.has_screen(name)]
        if missing:
            self.screen(missing[0])
        return len(missing) > 1  # False stops the interval

    def screen(self, name: str) -> KioskScreen:
        """The screen called ``name``, made on first use."""
        assert self.manager is not None
        if not self.manager.has_screen(name):
            made = screen_class(name)(name=name)
            self.manager.add_widget(made)
            return made
        return self.manager.get_screen(name)

    # -- session → screens -----------------------------------------------------------------------

    def _on_session(self) -> None:
        assert self.manager is not None
        session = self.session
        if LOCALIZER.lang != session.language:  # the patient's choice, or the default again after a wipe
            LOCALIZER.switch(session.language)
        name = session.screen
        screen = self.screen(name)
        if session.wipes != self._wipes_seen:  # a new patient (even without the start screen between)
            self._wipes_seen = session.wipes
            for made in self.manager.screens:
                made.clear()
        screen.show(session)
        if self.manager.current != name:
            self.manager.current = name
        busy = session.status.busy
        root = self.root
        if root is not None:
            if busy and self._busy.parent is None:
                root.add_widget(self._busy)
            elif not busy and self._busy.parent is not None:
                root.remove_widget(self._busy)
        self._switch.follow()
        if name == "welcome":
            for other in self.manager.screens:
                if other is not screen:
                    other.clear()
            self._idle.dismiss()
        self.touched()

    def _demo_card_button(self) -> Button:
        """Demo only: put the virtual policy card into the reader, or take it out."""
        button = Factory.DemoCardButton(text=_("Demo: insert or remove the policy card"))
        button.test_id = DEMO_STRIP
        card = self.services.card

        def toggle(_button: Button) -> None:
            button.disabled = True
            self.services.jobs.submit(card.toggle_demo_card, lambda _inserted: None,
                                      lambda error: log.warning("demo card: %s", error))
            Clock.schedule_once(lambda _dt: setattr(button, "disabled", False), 1.5)

        button.bind(on_release=toggle)
        return button

    def _demo_scan_button(self) -> Button:
        """Demo only: "scan" the demo patient's paper policy through the virtual scanner's pty."""
        button = Factory.DemoCardButton(text=_("Demo: scan the paper policy"))
        button.test_id = DEMO_SCAN
        scanner = self.services.scanner

        def scan(_button: Button) -> None:
            button.disabled = True
            self.services.jobs.submit(scanner.scan_demo_policy, lambda _none: None,
                                      lambda error: log.warning("demo scan: %s", error))
            Clock.schedule_once(lambda _dt: setattr(button, "disabled", False), 1.5)

        button.bind(on_release=scan)
        return button

    def _key_down(self, _window: Any, key: int, _scancode: int, codepoint: str | None, _modifiers: Any) -> bool:
        self.services.scanner.key_typed(codepoint, enter=key in (13, 271))  # Enter, keypad Enter
        return False

    def switch_language(self) -> None:
        """The patient's choice on the start screen: Russian or English for this session."""
        self.session.set_language("en" if self.session.language == "ru" else "ru")  # texts are made again

    def _on_health(self) -> None:
        """A device or the registry changed state: the start screen says what a patient needs to know."""
        if self.manager is not None:
            self.screen("welcome").show_devices(*start_screen_text(self.services.health.snapshot()))

    # -- idle timeout (the session decides; the app shows the countdown) -------------------------

    def touched(self) -> None:
        self.session.touched()
        if self._idle.parent is not None:
            self._idle.dismiss()

    def check_idle(self, _dt: float = 0) -> None:
        countdown = self.session.check_idle()  # may wipe the session, which redraws the start screen
        if countdown is None:
            return
        if self._idle.parent is None:
            self._idle.open()
        self._idle.seconds_left = countdown

    def on_stop(self) -> None:
        if EventLoop.window is not None:
            EventLoop.window.unbind(on_flip=self._first_frame_drawn)
            EventLoop.window.unbind(on_key_down=self._key_down)
        for event in self._clock_events:  # a stopped app must not time out or open dialogs later
            event.cancel()
        self._idle.dismiss()
        self.services.close()
