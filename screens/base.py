"""KioskScreen: a thin view of the flow state."""

from __future__ import annotations

from kivy.app import App
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.screenmanager import Screen

from kiosk.flow import BookingFlow, FlowState
from kiosk.i18n import _


class KioskScreen(Screen):
    #: text of the last error, already translated, or ""
    error_text = StringProperty("")
    busy = BooleanProperty(False)

    @property
    def flow(self) -> BookingFlow:
        return App.get_running_app().flow

    def clear(self) -> None:
        """Forget everything shown about the patient (called for every screen on reset)."""
        self.error_text = ""
        self.busy = False

    def show(self, state: FlowState) -> None:
        """Redraw from the state. Screens extend this; call super first."""
        self.error_text = (_(state.error) % state.error_params if state.error_params else _(state.error)
                           ) if state.error else ""
        self.busy = state.busy
