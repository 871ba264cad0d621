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
from kiosk.watchdog import WatchdogGate
from screens import REGISTRY, screen_class
from screens.accessible import Accessibility, SpeechBar
from screens.base import KioskScreen
from screens.idle import IdleDialog
from screens.localizer import LOCALIZER
from screens.lockdown import lock_app
from screens.service_entry import watch_corner
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
        self.watchdog = WatchdogGate(services.jobs.state, services.clock)
        self._withheld: str | None = None
        #: «Озвучить» below every screen (none without a speech engine), the focus ring and speech
        self.speech_bar: SpeechBar | None = SpeechBar() if services.speaker.enabled else None
        self.accessibility: Accessibility | None = None
        self.service_panel: Any = None
        #: set by stop(): only then may the window close (lockdown refuses Esc, Alt+F4, the compositor's close)
        self.stopping = False
        self._unlock: Callable[[], None] = lambda: None

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
        bar = self.speech_bar
        if bar is not None:  # below every screen, always at the same place
            root.add_widget(bar)
            manager.y = bar.height
        if strips or bar is not None:
            taken = (strips[0].height if strips else 0) + (bar.height if bar is not None else 0)
            manager.size_hint_y = None
            root.bind(height=lambda _root, height: setattr(manager, "height", height - taken))
        service = self.services.service
        service.restart_kiosk = self.stop  # Restart=always: systemd starts the kiosk again
        watch_corner(root, service.cfg.corner, service.cfg.long_press, self.open_service)
        self._unlock = lock_app(root, stopping=lambda: self.stopping, fullscreen=self.ui_settings.fullscreen)
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
        EventLoop.window.bind(on_key_down=self._key_down)  # keys, and a keyboard-style scanner's codes
        manager = self.manager
        assert manager is not None
        self.accessibility = Accessibility(
            EventLoop.window, self.session, self.services.speaker, self.speech_bar,
            screen=lambda: self.screen(manager.current), overlays=(self._idle, self._busy), touched=self.touched)

    def _first_frame_drawn(self, window: Any) -> None:
        window.unbind(on_flip=self._first_frame_drawn)
        # bound handlers run before the window's own on_flip shows the frame: tell systemd on the next tick
        self._clock_events.append(Clock.schedule_once(self._ready))

    def _ready(self, _dt: float = 0) -> None:
        notify("READY=1\nSTATUS=serving patients")
        self.watchdog.beat()  # the first frame is drawn: the loop serves
        interval = watchdog_interval()
        if interval is not None:
            # pinged from the UI clock: a frozen UI loop stops the pings and systemd restarts us
            self._clock_events.append(Clock.schedule_interval(self._watchdog_tick, interval))
        # what the first frame did not need waits until it is on the screen: the card monitor and the
        # devices' probes start (off this thread), and the other screens are made, one per frame
        self.services.start_watching()
        self._ask_registry_errands()
        self._clock_events.append(Clock.schedule_interval(self._ask_registry_errands, 30))
        self._clock_events.append(Clock.schedule_interval(self._make_next_screen, 0))

    def _watchdog_tick(self, _dt: float) -> None:
        # returns None: an interval whose callback returns False is cancelled, and a withheld ping must
        # not stop the pings for good once the kiosk serves again
        self.ping_watchdog()

    def ping_watchdog(self) -> bool:
        """Tell systemd we are alive, unless the kiosk cannot serve (then systemd restarts it).
        True if the ping was sent."""
        reason = self.watchdog.withheld()
        if reason != self._withheld:
            self._withheld = reason
            if reason is None:
                log.warning("serving again: watchdog pings resume")
                notify("STATUS=serving patients")
            else:
                log.error("not serving: %s; watchdog pings withheld, systemd will restart the kiosk", reason)
                notify(f"STATUS=not serving: {reason}")
        return reason is None and notify("WATCHDOG=1")
    def _ask_registry_errands(self, _dt: float = 0) -> None:
        """Whether the registry has the schedule reads and home visits (asked until it says yes; the client
        caches a no)."""
        session = self.session
        if session.status.busy:
            return
        if session.public_schedules and session.home_visits_offered:
            return
        registry = session.registry
        # one job, one answer: the start screen changes once (a button moving under a finger loses the tap)
        self.services.jobs.submit(lambda: (registry.supports_public_schedules(), registry.supports_home_visits()),
                                  lambda found: session.registry_offers_errands(*found),
                                  lambda error: log.warning("asking the registry about its extensions: %s", error))

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
        self._busy.cancellable = session.status.cancellable
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
        return self._demo_button(_("Demo: insert or remove the policy card"), DEMO_STRIP,
                                 self.services.card.toggle_demo_card, "demo card")

    def _demo_scan_button(self) -> Button:
        """Demo only: "scan" the demo patient's paper policy through the virtual scanner's pty."""
        return self._demo_button(_("Demo: scan the paper policy"), DEMO_SCAN,
                                 self.services.scanner.scan_demo_policy, "demo scan")

    def _demo_button(self, text: str, test_id: str, action: Callable[[], object], what: str) -> Button:
        """A button of the demo strip: ``action`` runs off the UI thread; the button rests 1.5 s after a tap."""
        button = Factory.DemoCardButton(text=text)
        button.test_id = test_id

        def pressed(_button: Button) -> None:
            button.disabled = True
            self.services.jobs.submit(action, lambda _result: None, lambda error: log.warning("%s: %s", what, error))
            Clock.schedule_once(lambda _dt: setattr(button, "disabled", False), 1.5)

        button.bind(on_release=pressed)
        return button

    def _key_down(self, _window: Any, key: int, _scancode: int, codepoint: str | None, modifiers: Any) -> bool:
        # focus, Enter, digits and speech first; Enter with no focus and every key also reach the scanner
        ours = self.accessibility is not None and self.accessibility.key_down(key, codepoint, modifiers or ())
        self.services.scanner.key_typed(codepoint, enter=key in (13, 271) and not ours)  # Enter, keypad Enter
        return ours
    def open_service(self) -> None:
        """The hidden corner was held: the service screen, over the start screen only (no patient here)."""
        if self.session.screen != "welcome" or self.service_panel is not None:
            return
        from screens.service import ServicePanel  # its module and .kv load when a technician first needs it

        panel = ServicePanel(self.services.service, self.services.jobs, self.services.clock.monotonic)
        panel.bind(on_dismiss=lambda _panel: setattr(self, "service_panel", None))
        self.service_panel = panel
        panel.open()

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
        """The UI tick, twice a second: jobs past their deadline, the «Отменить» offer, the idle countdown."""
        self.watchdog.beat()
        self.services.jobs.tick()
        if self.session.check_wait():  # the busy screen offers «Отменить» (not a touch: idle time runs on)
            self._busy.cancellable = True
        countdown = self.session.check_idle()  # may wipe the session, which redraws the start screen
        if countdown is None:
            return
        if self._idle.parent is None:
            self._idle.open()
        self._idle.seconds_left = countdown

    # Kivy's settings panel (F1) is no way out for a patient
    use_kivy_settings = False

    def open_settings(self, *_args: Any) -> bool:
        return False

    def stop(self, *args: Any) -> None:
        self.stopping = True
        super().stop(*args)

    def on_stop(self) -> None:
        if EventLoop.window is not None:
            EventLoop.window.unbind(on_flip=self._first_frame_drawn)
            EventLoop.window.unbind(on_key_down=self._key_down)
        if self.accessibility is not None:
            self.accessibility.close()
        for event in self._clock_events:  # a stopped app must not time out or open dialogs later
            event.cancel()
        self._idle.dismiss()
        self._unlock()
        self.services.close()
