"""After identification: book, book by referral, or see one's appointments."""

from __future__ import annotations

from kivy.properties import StringProperty

from kiosk.flow import FlowState
from screens.base import KioskScreen
from screens.kv import load_kv


class MenuScreen(KioskScreen):
    patient_name = StringProperty("")

    def clear(self) -> None:
        super().clear()
        self.patient_name = ""

    def show(self, state: FlowState) -> None:
        super().show(state)
        self.patient_name = state.patient.short_name if state.patient else ""


load_kv(__file__)
