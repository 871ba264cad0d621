"""KioskScreen: a thin view of the session and of the journey it shows."""

from __future__ import annotations

from kivy.app import App
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.screenmanager import Screen
from kivy.uix.widget import Widget

from kiosk.i18n import _
from kiosk.session.kernel import Session
from kiosk.speech.privacy import sentences
from screens.speech import choice_text, intro_lines
from screens.widgets import NavBar


class KioskScreen(Screen):
    #: text of the last error, already translated, or ""
    error_text = StringProperty("")
    busy = BooleanProperty(False)
    #: digit keys type on this screen (the keypad screen); elsewhere the number pad moves the focus
    keypad = False
    #: the navigation bar offers the queue ticket of an error (a screen with its own such button says no)
    navbar_walk_in = True

    @property
    def session(self) -> Session:
        return App.get_running_app().session

    def clear(self) -> None:
        """Forget everything shown about the patient (called for every screen on reset)."""
        self.error_text = ""
        self.busy = False

    def show(self, session: Session) -> None:
        """Redraw from the session. Screens extend this (reading their journey's state); call super first."""
        status = session.status
        self.error_text = (_(status.error) % status.error_params if status.error_params else _(status.error)
                           ) if status.error else ""
        self.busy = status.busy
        offered = status.walk_in is not None and self.navbar_walk_in
        for bar in self.walk(restrict=True):
            if isinstance(bar, NavBar):
                bar.walk_in = offered

    # -- speech and keys (screens.accessible); a screen overrides these only to say less or more --

    def spoken_intro(self) -> str:
        """Said when the screen appears or its text changes: the title, the prompt, the error."""
        return sentences(intro_lines(self))

    def spoken_choice(self, widget: Widget) -> str:
        """Said when the focus reaches ``widget``: its text, after its row's."""
        return choice_text(widget, stop=self)

    def type_key(self, digit: str | None) -> str:
        """A digit key (``None``: Backspace) on a screen with ``keypad``; returns what to say back."""
        return ""
