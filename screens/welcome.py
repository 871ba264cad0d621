"""Attract screen: the errands as large buttons (the technician's order), or insert the card; what a
patient should know about the devices first."""

from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.widget import Widget

from kiosk.errands import LABELS, Errand
from kiosk.i18n import _
from kiosk.session.kernel import Session
from screens.base import KioskScreen
from screens.kv import load_kv


class WelcomeScreen(KioskScreen):
    #: the devices' notices («Принтер не работает — талон будет на экране»), or the card hint, translated
    notice_text = StringProperty("")
    #: the notices tell of a problem
    notice_problem = BooleanProperty(False)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._notices: tuple[str, ...] = ()
        self._errands: tuple[Errand, ...] = ()

    def show_devices(self, notices: tuple[str, ...], problem: bool) -> None:
        """The health board's word (msgids), on the UI thread."""
        self._notices = notices
        self.notice_problem = problem
        self._translate()

    def show(self, session: Session) -> None:
        super().show(session)
        self._translate()  # the language may have changed
        if self._errands != session.errands:
            self._errands = session.errands
            box = self.ids.errands
            box.clear_widgets()
            for errand in session.errands:
                button = Factory.BigButton(font_size="44sp", size_hint_y=1)
                button.test_id = f"errand-{errand.value}"
                button.bind(on_release=lambda _b, chosen=errand: self.session.open_errand(chosen))
                box.add_widget(button)
        for button, errand in zip(reversed(self.ids.errands.children), session.errands, strict=True):
            button.text = _(LABELS[errand])
            button.disabled = session.status.busy

    def button(self, test_id: str) -> Widget:
        """The errand button with this test id («errand-book», …), for tests and the walk-through."""
        for widget in self.ids.errands.children:
            if getattr(widget, "test_id", None) == test_id:
                return widget
        raise LookupError(test_id)

    def clear(self) -> None:
        super().clear()  # the notices are about the devices, not the patient: they stay

    def _translate(self) -> None:
        self.notice_text = "\n".join(_(msgid) for msgid in self._notices)


load_kv(__file__)
