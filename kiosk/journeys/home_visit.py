"""«Вызов врача на дом»: the address the registry has (or «Другой адрес», typed on the on-screen Russian
keyboard) → the reason → the temperature → a contact phone on the keypad → confirm → a printed ticket
with the request number and when the doctor is expected (docs/registry-protocol.md «Home visits»).

Opened from the start screen after identification (``Errand.HOME_VISIT``); shown only where the
registry takes home-visit requests. A pending request is cancelled from «Мои записи» (visits journey).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from kiosk.contact_phone import phone_problem
from kiosk.domain import HOME_VISIT_REASONS, HOME_VISIT_TEMPERATURES, HomeVisit, HomeVisitRequest
from kiosk.i18n import N_
from kiosk.session.journey import Done, Journey, Receipt, intent
from kiosk.tickets.outcome import PrintOutcome

log = logging.getLogger("kiosk.journeys.home_visit")

REASON_LABELS: dict[str, str] = {
    "FEVER": N_("High temperature, I feel unwell"),
    "CANNOT_WALK": N_("I cannot come to the polyclinic"),
    "CHRONIC_WORSE": N_("My chronic illness got worse"),
}
TEMPERATURE_LABELS: dict[str, str] = {
    "NOT_MEASURED": N_("Not measured"),
    "UP_TO_37": N_("Up to 37.0"),
    "FROM_37_TO_38": N_("37.1 to 38.0"),
    "FROM_38_TO_39": N_("38.1 to 39.0"),
    "ABOVE_39": N_("Above 39.0"),
}
MIN_ADDRESS, MAX_ADDRESS = 5, 200
ADDRESS_TOO_SHORT = N_("Type the address: street, house and flat.")
ADDRESS_TOO_LONG = N_("The address is too long: at most 200 characters.")
NO_ADDRESS = N_("The registry has no address for you: type it, please.")
HOME_VISIT_UNKNOWN = N_("We could not confirm your home visit request. Please ask at the registry desk.")
#: the queue ticket offered when the registry cannot take the request
HOME_VISIT_DESK_REASON = N_("Home visit request")


class HomeVisitStep(StrEnum):
    ADDRESS = "home_address"
    TYPED_ADDRESS = "home_typed_address"
    REASON = "home_reason"
    TEMPERATURE = "home_temperature"
    PHONE = "home_phone"
    CONFIRM = "home_confirm"


@dataclass(frozen=True)
class HomeVisitState:
    step: HomeVisitStep = HomeVisitStep.ADDRESS
    #: the address the registry has ("" when none)
    registered: str = ""
    address: str = ""
    reason: str = ""
    temperature: str = ""
    #: 10 digits after +7
    phone: str = ""


class HomeVisitJourney(Journey[HomeVisitStep, HomeVisitState]):
    name = "home_visit"
    moves: ClassVar[Mapping[HomeVisitStep, frozenset[HomeVisitStep]]] = {
        HomeVisitStep.ADDRESS: frozenset({HomeVisitStep.TYPED_ADDRESS, HomeVisitStep.REASON}),
        HomeVisitStep.TYPED_ADDRESS: frozenset({HomeVisitStep.ADDRESS, HomeVisitStep.REASON}),
        HomeVisitStep.REASON: frozenset({HomeVisitStep.ADDRESS, HomeVisitStep.TEMPERATURE}),
        HomeVisitStep.TEMPERATURE: frozenset({HomeVisitStep.REASON, HomeVisitStep.PHONE}),
        HomeVisitStep.PHONE: frozenset({HomeVisitStep.TEMPERATURE, HomeVisitStep.CONFIRM}),
        HomeVisitStep.CONFIRM: frozenset({HomeVisitStep.PHONE}),
    }
    entries: ClassVar[frozenset[HomeVisitStep]] = frozenset({HomeVisitStep.ADDRESS})

    def initial(self) -> HomeVisitState:
        return HomeVisitState()

    def load(self) -> None:
        """The address the registry has; the address step opens when it is read."""
        patient = self._need_patient()
        host = self.host

        def done(registered: str) -> None:
            self._enter(HomeVisitState(registered=registered))
            host.activate(self)
            if not registered:
                host.fail(NO_ADDRESS)

        host.run(lambda: host.registry.home_visit_address(patient.key), done)

    @intent(HomeVisitStep.ADDRESS)
    def use_registered_address(self) -> None:
        if self.state.registered:
            self._move(HomeVisitStep.REASON, address=self.state.registered)
            self.host.changed()

    @intent(HomeVisitStep.ADDRESS)
    def other_address(self) -> None:
        """«Другой адрес»: the on-screen keyboard."""
        self._move(HomeVisitStep.TYPED_ADDRESS)
        self.host.clear_error()
        self.host.changed()

    @staticmethod
    def address_problem(text: str) -> str | None:
        cleaned = " ".join(text.split())
        if len(cleaned) < MIN_ADDRESS:
            return ADDRESS_TOO_SHORT
        if len(cleaned) > MAX_ADDRESS:
            return ADDRESS_TOO_LONG
        return None

    @intent(HomeVisitStep.TYPED_ADDRESS)
    def type_address(self, text: str) -> str | None:
        """The typed address; returns the problem (msgid) when it cannot be an address (nothing moves)."""
        problem = self.address_problem(text)
        if problem is None:
            self._move(HomeVisitStep.REASON, address=" ".join(text.split()))
            self.host.changed()
        return problem

    @intent(HomeVisitStep.REASON)
    def choose_reason(self, reason: str) -> None:
        if reason in HOME_VISIT_REASONS:
            self._move(HomeVisitStep.TEMPERATURE, reason=reason)
            self.host.changed()

    @intent(HomeVisitStep.TEMPERATURE)
    def choose_temperature(self, temperature: str) -> None:
        if temperature in HOME_VISIT_TEMPERATURES:
            self._move(HomeVisitStep.PHONE, temperature=temperature)
            self.host.changed()

    @intent(HomeVisitStep.PHONE)
    def enter_phone(self, digits: str) -> str | None:
        """The phone after +7; returns the problem (msgid) when it is not complete (nothing moves)."""
        problem = phone_problem(digits)
        if problem is not None:
            return problem
        self._move(HomeVisitStep.CONFIRM, phone=digits)
        self.host.changed()
        return None

    @intent(HomeVisitStep.CONFIRM)
    def confirm(self) -> None:
        """Send the request, then print the ticket with its number and when the doctor is expected."""
        patient, state, host = self._need_patient(), self.state, self.host
        request = HomeVisitRequest(state.address, state.reason, state.temperature, "7" + state.phone)

        def work() -> tuple[HomeVisit, PrintOutcome]:
            visit = host.registry.request_home_visit(patient.key, request)
            log.info("home visit request %s kept", visit.visit_id)
            return visit, host.tickets.print_home_visit(visit, patient)

        def done(result: tuple[HomeVisit, PrintOutcome]) -> None:
            visit, ticket = result
            host.finish(Receipt(Done.HOME_VISIT, ticket=ticket, home_visit=visit))

        def failed(_error: BaseException) -> None:
            host.offer_walk_in(HOME_VISIT_DESK_REASON)

        host.run(work, done, on_error=failed, write=HOME_VISIT_UNKNOWN)

    @intent(*HomeVisitStep)
    def back(self) -> None:
        step = self.step
        if step is HomeVisitStep.ADDRESS:
            self.host.leave()
        elif step in (HomeVisitStep.TYPED_ADDRESS, HomeVisitStep.REASON):
            self._move(HomeVisitStep.ADDRESS, address="", reason="")
        elif step is HomeVisitStep.TEMPERATURE:
            self._move(HomeVisitStep.REASON, temperature="")
        elif step is HomeVisitStep.PHONE:
            self._move(HomeVisitStep.TEMPERATURE, phone="")
        else:
            self._move(HomeVisitStep.PHONE)
