"""Attract screen: insert the card or tap to start; what a patient should know about the devices first."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

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

    def show_devices(self, notices: tuple[str, ...], problem: bool) -> None:
        """The health board's word (msgids), on the UI thread."""
        self._notices = notices
        self.notice_problem = problem
        self._translate()

    def show(self, session: Session) -> None:
        super().show(session)
        self._translate()  # the language may have changed

    def clear(self) -> None:
        super().clear()  # the notices are about the devices, not the patient: they stay

    def _translate(self) -> None:
        self.notice_text = "\n".join(_(msgid) for msgid in self._notices)


load_kv(__file__)
