"""A screen that offers a list of big buttons: specialties, doctors."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from kivy.factory import Factory
from kivy.properties import NumericProperty, StringProperty

from kiosk.offline.notice import offline_note
from kiosk.session.kernel import Session
from screens.base import KioskScreen
from screens.kv import load_kv


class ChoiceListScreen(KioskScreen):
    title = StringProperty("")
    subtitle = StringProperty("")
    columns = NumericProperty(1)
    #: text of an optional button above the list ("" = none); tapping it calls on_action()
    action_text = StringProperty("")
    #: «Нет связи с регистратурой. Расписание на 14:05» when the list came from the offline cache
    offline_text = StringProperty("")

    def show(self, session: Session) -> None:
        super().show(session)
        self.offline_text = offline_note(session.registry)

    def on_action(self) -> None:
        """What the button above the list does (screens that show it override this)."""

    def clear(self) -> None:
        super().clear()
        self.title = self.subtitle = self.action_text = self.offline_text = ""
        self.ids.choices.clear_widgets()

    def set_choices(self, choices: Sequence[tuple[str, str, Callable[[], None]]]) -> None:
        """Replace the buttons: (test id, text, action) each."""
        grid = self.ids.choices
        grid.clear_widgets()
        for test_id, text, action in choices:
            button = Factory.ChoiceButton(text=text)
            button.test_id = test_id
            button.bind(on_release=lambda _button, act=action: act())
            grid.add_widget(button)

    def choice(self, test_id: str) -> object:
        """The button with this test id (for tests and the walk-through)."""
        return next(w for w in self.ids.choices.children if getattr(w, "test_id", None) == test_id)


load_kv(__file__)
