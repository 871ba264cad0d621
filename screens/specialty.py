"""Step 1 of booking: which specialist."""

from __future__ import annotations

from functools import partial

from kiosk.flow import FlowState
from kiosk.i18n import _
from screens.choice_list import ChoiceListScreen


class SpecialtyScreen(ChoiceListScreen):
    def show(self, state: FlowState) -> None:
        super().show(state)
        self.title = _("Choose a specialist")
        self.subtitle = state.patient.short_name if state.patient else ""
        self.columns = 2
        self.set_choices([
            (f"specialty-{s.code}", s.name, partial(self.flow.choose_specialty, s.code))
            for s in state.specialties
        ])
