"""Another person's card came while a patient is here: end this patient's session and start theirs?"""

from __future__ import annotations

from kivy.properties import StringProperty
from kivy.uix.modalview import ModalView

from kiosk.i18n import _
from kiosk.session.kernel import Session
from screens.kv import load_kv


class SwitchPatientDialog(ModalView):
    question = StringProperty("")

    def __init__(self, session: Session, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._session = session

    def follow(self) -> None:
        """Open or close with the session's question (called on every redraw)."""
        session = self._session
        if session.card_waiting and session.patient is not None:
            self.question = _("%(name)s is being served now. End this session and start for another person?") % {
                "name": session.patient.short_name}
            if self.parent is None:
                self.open(animation=False)
        elif self.parent is not None:
            self.dismiss(animation=False)

    def answer(self, confirmed: bool) -> None:
        self.dismiss(animation=False)
        self._session.switch_patient(confirmed)


load_kv(__file__)
