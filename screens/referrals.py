"""Booking by referral: the patient's referrals that can be booked today."""

from __future__ import annotations

from functools import partial

from kivy.factory import Factory

from kiosk.format import numeric_date, short_date
from kiosk.i18n import _
from kiosk.session.kernel import Session
from screens.choice_list import ChoiceListScreen
from screens.moving import with_whose


class ReferralsScreen(ChoiceListScreen):
    def show(self, session: Session) -> None:
        super().show(session)
        state = session.referral.state
        self.title = _("Your referrals")
        self.subtitle = _(state.notice) if state.notice else _("Choose a referral")
        choices = []
        for referral in state.referrals:
            until = (_("valid until %(date)s") % {"date": short_date(referral.valid_to)}
                     if referral.valid_to else "")
            choices.append((f"referral-{referral.referral_id}", f"{referral.target_name}\n{until}".strip(),
                            partial(session.referral.choose, referral.referral_id)))
        self.subtitle = with_whose(session, self.subtitle)
        self.set_choices(choices)
        for referral in state.expired:  # greyed: not bookable, and the patient is told who renews it
            assert referral.valid_to is not None
            text = _("%(target)s\nThe referral expired on %(date)s: ask the doctor who issued it") % {
                "target": referral.target_name, "date": numeric_date(referral.valid_to)}
            button = Factory.ChoiceButton(text=text, disabled=True)
            button.test_id = f"expired-{referral.referral_id}"
            self.ids.choices.add_widget(button)
