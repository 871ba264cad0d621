"""After identification: book, book by referral, or see one's appointments."""

from __future__ import annotations

from kivy.properties import StringProperty

from kiosk.session.kernel import Session
from screens.base import KioskScreen
from screens.kv import load_kv


class MenuScreen(KioskScreen):
    patient_name = StringProperty("")

    def clear(self) -> None:
        super().clear()
        self.patient_name = ""

    def show(self, session: Session) -> None:
        super().show(session)
        self.patient_name = session.patient.short_name if session.patient else ""


load_kv(__file__)
