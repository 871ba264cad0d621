"""Step 1 of booking: which specialist."""

from __future__ import annotations

from functools import partial

from kiosk.i18n import _
from kiosk.session.kernel import Session
from screens.choice_list import ChoiceListScreen


class SpecialtyScreen(ChoiceListScreen):
    def show(self, session: Session) -> None:
        super().show(session)
        self.title = _("Choose a specialist")
        self.subtitle = session.patient.short_name if session.patient else ""
        self.columns = 2
        self.set_choices([
            (f"specialty-{s.code}", s.name, partial(session.book.choose_specialty, s.code))
            for s in session.book.state.specialties
        ])
