"""An on-screen Russian keyboard (ЙЦУКЕН) for typing an address: letters, digits, space, punctuation,
erase and a one-shot capital key. Each key has the test id ``kb-<character>`` (``kb-space``, ``kb-erase``,
``kb-shift``); the keyboard calls ``on_text`` with the whole text after every key."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from kivy.factory import Factory
from kivy.uix.boxlayout import BoxLayout

ROWS = ("1234567890", "йцукенгшщзх", "фывапролджэ", "ячсмитьбюъё", ",.-/")
MAX_LENGTH = 200


class RussianKeyboard(BoxLayout):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(orientation="vertical", spacing=6, **kwargs)
        self.text = ""
        self.capital = True  # the first letter is a capital
        self.on_text: Callable[[str], None] = lambda _text: None
        self.keys: dict[str, object] = {}
        for row in ROWS:
            line = BoxLayout(spacing=6)
            for char in row:
                line.add_widget(self._key(char, char, partial(self.type, char)))
            if row == ROWS[-1]:
                line.add_widget(self._key("shift", "Аа", self.shift))
                line.add_widget(self._key("space", "␣", partial(self.type, " "), size_hint_x=3))
                line.add_widget(self._key("erase", "⌫", self.erase, size_hint_x=2))
            self.add_widget(line)
        self._show_case()

    def _key(self, name: str, label: str, action: Callable[[], None], size_hint_x: float = 1) -> object:
        key = Factory.KeyButton(text=label, font_size="34sp", size_hint_x=size_hint_x)
        key.test_id = f"kb-{name}"
        key.bind(on_release=lambda _k: action())
        self.keys[name] = key
        return key

    def _show_case(self) -> None:
        for row in ROWS[1:4]:
            for char in row:
                self.keys[char].text = char.upper() if self.capital else char  # type: ignore[attr-defined]

    def type(self, char: str) -> None:
        if len(self.text) >= MAX_LENGTH:
            return
        self.text += char.upper() if self.capital and char.isalpha() else char
        if char.isalpha():
            self.capital = False
        self._show_case()
        self.on_text(self.text)

    def shift(self) -> None:
        self.capital = not self.capital
        self._show_case()

    def erase(self) -> None:
        self.text = self.text[:-1]
        self.capital = not self.text
        self._show_case()
        self.on_text(self.text)

    def reset(self) -> None:
        self.text = ""
        self.capital = True
        self._show_case()
        self.on_text(self.text)
