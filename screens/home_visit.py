"""«Вызов врача на дом»: the address (the registry's or typed), the reason, the temperature, the phone and
the confirmation."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from kivy.properties import StringProperty

from kiosk.domain import HOME_VISIT_REASONS, HOME_VISIT_TEMPERATURES
from kiosk.i18n import _
from kiosk.journeys.home_visit import REASON_LABELS, TEMPERATURE_LABELS
from kiosk.session.kernel import Session
from screens.base import KioskScreen
from screens.choice_list import ChoiceListScreen
from screens.kv import load_kv
from screens.moving import with_whose
from screens.phone_keypad import PhoneKeypadScreen, format_phone
from screens.russian_keyboard import RussianKeyboard


class HomeAddressScreen(ChoiceListScreen):
    def show(self, session: Session) -> None:
        super().show(session)
        state = session.home_visit.state
        self.title = _("Call a doctor home")
        self.subtitle = with_whose(session, _("Where should the doctor come?"))
        choices: list[tuple[str, str, Callable[[], None]]] = []
        if state.registered:
            choices.append(("address-registered", state.registered, session.home_visit.use_registered_address))
        choices.append(("address-other", _("Another address"), session.home_visit.other_address))
        self.set_choices(choices)


class HomeTypedAddressScreen(KioskScreen):
    typed = StringProperty("")

    def on_kv_post(self, _base: object) -> None:
        self.keyboard = RussianKeyboard()
        self.keyboard.on_text = self._typed
        self.ids.keyboard_box.add_widget(self.keyboard)

    def _typed(self, text: str) -> None:
        self.typed = text
        self.error_text = ""

    def clear(self) -> None:
        super().clear()
        if hasattr(self, "keyboard"):
            self.keyboard.reset()

    def submit(self) -> None:
        problem = self.session.home_visit.type_address(self.typed)
        if problem is not None:  # shown at the field, nothing moves
            self.error_text = _(problem)


class HomeReasonScreen(ChoiceListScreen):
    def show(self, session: Session) -> None:
        super().show(session)
        self.title = _("Why do you call the doctor?")
        self.subtitle = with_whose(session, session.home_visit.state.address)
        self.set_choices([(f"reason-{code}", _(REASON_LABELS[code]), partial(session.home_visit.choose_reason, code))
                          for code in HOME_VISIT_REASONS])


class HomeTemperatureScreen(ChoiceListScreen):
    def show(self, session: Session) -> None:
        super().show(session)
        self.title = _("Your temperature")
        self.subtitle = with_whose(session, _(REASON_LABELS.get(session.home_visit.state.reason, "")))
        self.set_choices([(f"temperature-{code}", _(TEMPERATURE_LABELS[code]),
                           partial(session.home_visit.choose_temperature, code)) for code in HOME_VISIT_TEMPERATURES])


class HomePhoneScreen(PhoneKeypadScreen):
    def show(self, session: Session) -> None:
        super().show(session)
        self.subtitle = with_whose(session, _("The doctor or the registry may call you before the visit."))
        self.submit_text = _("Next")

    def send(self, digits: str) -> str | None:
        return self.session.home_visit.enter_phone(digits)


class HomeConfirmScreen(ChoiceListScreen):
    def show(self, session: Session) -> None:
        super().show(session)
        state = session.home_visit.state
        self.title = _("Call the doctor home?")
        self.subtitle = with_whose(session, "\n".join([
            state.address, _(REASON_LABELS.get(state.reason, "")),
            _("Temperature: %(value)s") % {"value": _(TEMPERATURE_LABELS.get(state.temperature, ""))},
            _("Phone: %(phone)s") % {"phone": format_phone(state.phone)},
        ]))
        self.action_text = _("Call the doctor")
        self.set_choices([])

    def on_action(self) -> None:
        self.session.home_visit.confirm()


load_kv(__file__)
