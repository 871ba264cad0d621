"""Speech and keys for every screen: the «Озвучить» bar below the screens, the focus ring, and the tick
that speaks what is on top when it changes.

What is on top: the idle dialog when it is open, else the busy overlay while a request runs, else the
current screen with the bar. Its intro is spoken when it appears or its text changes (a new screen, an
error), then the focused choice; a new ``say`` cuts off the last one, so leaving a screen interrupts it.
The session holds the speech flag (``Session.speech``, wiped with the session like the language).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from kivy.clock import Clock
from kivy.properties import BooleanProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk.i18n import _
from kiosk.session.kernel import Session
from kiosk.speech.privacy import sentences
from kiosk.speech.speaker import Speaker
from screens.base import KioskScreen
from screens.focus import FocusRing
from screens.keys import Action, key_action
from screens.kv import load_kv
from screens.speech import choice_text, intro_lines

TICK = 0.2


class SpeechBar(BoxLayout):
    """«Озвучить» / «Не озвучивать», at the same place below every screen."""

    speaking = BooleanProperty(False)


class Accessibility:
    def __init__(self, window: Widget, session: Session, speaker: Speaker, bar: SpeechBar | None,
                 screen: Callable[[], KioskScreen], overlays: Sequence[Widget],
                 touched: Callable[[], None]) -> None:
        self._session = session
        self._speaker = speaker
        self._bar = bar
        self._screen = screen
        self._overlays = overlays  # top first: the idle dialog, the busy overlay
        self._touched = touched
        self.ring = FocusRing(window, self._containers)
        #: the patient has used a key: new screens get the focus on their first button
        self.keys_used = False
        self._shown: tuple[Any, ...] | None = None
        self._top: Widget | None = None
        self._event = Clock.schedule_interval(self.tick, TICK)
        if bar is not None:
            bar.ids.toggle.bind(on_release=lambda _button: self.toggle_speech())
            session.subscribe(self._show_flag)

    def _show_flag(self) -> None:
        if self._bar is not None:
            self._bar.speaking = self._session.speech

    # -- what is on top --------------------------------------------------------------------------

    def _top_overlay(self) -> Widget | None:
        return next((overlay for overlay in self._overlays if overlay.parent is not None), None)

    def _containers(self) -> list[Widget]:
        overlay = self._top_overlay()
        if overlay is not None:
            return [overlay]
        return [self._screen()] + ([self._bar] if self._bar is not None else [])

    def intro(self) -> str:
        """What the thing on top says first: its title, its prompt, its error."""
        overlay = self._top_overlay()
        return sentences(intro_lines(overlay)) if overlay is not None else self._screen().spoken_intro()

    def choice(self, widget: Widget) -> str:
        bar_button = self._bar.ids.toggle.__self__ if self._bar is not None else None  # ids are proxies
        if self._top_overlay() is None and widget is not bar_button:
            return self._screen().spoken_choice(widget)
        return choice_text(widget)

    # -- the tick: follow the screen ------------------------------------------------------------

    def tick(self, _dt: float = 0) -> None:
        overlay = self._top_overlay()
        top = overlay if overlay is not None else self._screen()
        if top is not self._top:
            previous, self._top = self._top, top
            if previous is not None and overlay is None and self._session.screen == "welcome":
                self.keys_used = False  # back at the start: the next patient may touch, no ring until a key
            if self.ring.focused not in self.ring.items():  # a new screen: its first button, if keys are used
                if self.keys_used:
                    self.ring.first()
                else:
                    self.ring.clear()
        if not self._session.speech:  # off: nothing is read from the widgets, nothing goes on being said
            if self._shown is not None:
                self._shown = None
                self._speaker.stop()
            return
        shown = self._now_shown(top, overlay)
        if shown != self._shown:
            self._shown = shown
            self.say_screen()

    def _now_shown(self, top: Widget, overlay: Widget | None) -> tuple[Any, ...]:
        # the idle dialog's countdown changes every second: it is said once, when it opens
        return (id(top),) if overlay is not None and overlay is self._overlays[0] else (id(top), self.intro())

    def say_screen(self) -> None:
        focused = self.ring.focused
        parts = [self.intro()] + ([self.choice(focused)] if focused is not None else [])
        self._say(sentences(parts))

    def _say(self, text: str) -> None:
        if self._session.speech:
            self._speaker.say(text, self._session.language)

    def toggle_speech(self) -> None:
        on = not self._session.speech
        self._session.set_speech(on)
        if on:
            self._speaker.say(_("Speech is on. Arrows move between the buttons, Enter presses.") + " "
                              + self.intro(), self._session.language)
            overlay = self._top_overlay()
            self._shown = self._now_shown(overlay if overlay is not None else self._screen(), overlay)
        else:
            self._speaker.stop()

    # -- keys ------------------------------------------------------------------------------------

    def key_down(self, key: int, codepoint: str | None, modifiers: Sequence[str]) -> bool:
        """One key of the window's keyboard or keypad; True if it was ours."""
        screen = self._screen()
        typing = self._top_overlay() is None and screen.keypad
        found = key_action(key, codepoint, modifiers, typing)
        if found is None:
            return False
        action, digit = found
        self._touched()
        if action in (Action.NEXT, Action.PREVIOUS):
            self.keys_used = True
            widget = self.ring.move(1 if action is Action.NEXT else -1)
            if widget is not None:
                self._say(self.choice(widget))
        elif action is Action.PRESS:
            if self.ring.press() is None:
                return False  # no focus: Enter may end a keyboard-style scanner's code
        elif action is Action.DIGIT or action is Action.ERASE:
            self._say(screen.type_key(digit or None))
        elif action is Action.TOGGLE_SPEECH:
            self.toggle_speech()
        elif action is Action.REPEAT:
            self.say_screen()
        return True

    def close(self) -> None:
        self._event.cancel()
        self.ring.close()
        self._speaker.stop()


load_kv(__file__)
