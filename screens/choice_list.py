"""A screen that offers a list of big buttons: specialties, doctors."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from kivy.factory import Factory
from kivy.properties import NumericProperty, StringProperty

from screens.base import KioskScreen
from screens.kv import load_kv


class ChoiceListScreen(KioskScreen):
    title = StringProperty("")
    subtitle = StringProperty("")
    columns = NumericProperty(1)

    def clear(self) -> None:
        super().clear()
        self.title = self.subtitle = ""
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
