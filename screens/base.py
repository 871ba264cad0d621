"""KioskScreen: a thin view of the session and of the journey it shows."""

from __future__ import annotations

from kivy.app import App
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.screenmanager import Screen

from kiosk.i18n import _
from kiosk.session.kernel import Session
from screens.widgets import NavBar


class KioskScreen(Screen):
    #: text of the last error, already translated, or ""
    error_text = StringProperty("")
    busy = BooleanProperty(False)
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
