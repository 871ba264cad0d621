"""Booking by referral: the patient's referrals that can be booked today, then the booking's doctor list."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from kiosk.domain import Doctor, Referral, Specialty
from kiosk.i18n import N_
from kiosk.session.journey import DoctorChoice, Journey, intent

NO_REFERRALS = N_("You have no referrals that can be used for booking now.")


class ReferralStep(StrEnum):
    LIST = "referrals"


@dataclass(frozen=True)
class ReferralState:
    step: ReferralStep = ReferralStep.LIST
    referrals: tuple[Referral, ...] = ()
    #: msgid shown instead of the list's caption (no referrals)
    notice: str | None = None
    #: referrals whose time ran out unused: listed greyed, with who can renew them
    expired: tuple[Referral, ...] = ()


class ReferralJourney(Journey[ReferralStep, ReferralState]):
    name = "referral"
    moves: ClassVar[Mapping[ReferralStep, frozenset[ReferralStep]]] = {ReferralStep.LIST: frozenset()}
    entries: ClassVar[frozenset[ReferralStep]] = frozenset({ReferralStep.LIST})

    def initial(self) -> ReferralState:
        return ReferralState()

    def load(self) -> None:
        """«По направлению»: read the referrals; the list opens when they are there."""
        patient = self._need_patient()
        host = self.host

        def done(referrals: list[Referral]) -> None:
            today = host.clock.today()
            usable = tuple(r for r in referrals if r.is_valid_on(today) and r.active_appointments == 0)
            expired = tuple(r for r in referrals if r.valid_to is not None and r.valid_to < today
                            and r.completed_appointments == 0 and r.active_appointments == 0)
            self._enter(ReferralState(referrals=usable, notice=None if usable else NO_REFERRALS, expired=expired))
            host.activate(self)

        host.run(lambda: host.registry.referrals(patient.key), done)

    @intent(ReferralStep.LIST)
    def choose(self, referral_id: int) -> None:
        patient = self._need_patient()
        referral = next(r for r in self.state.referrals if r.referral_id == referral_id)
        host = self.host

        def done(doctors: list[Doctor]) -> None:
            host.open_doctors(DoctorChoice(tuple(doctors), Specialty(referral.target_id, referral.target_name),
                                           origin=self.name))

        host.run(lambda: host.registry.doctors_by_referral(patient.key, referral_id), done)
