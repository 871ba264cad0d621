"""The idle countdown: "Are you still here?" with a button for more time."""

from __future__ import annotations

from collections.abc import Callable

from kivy.properties import NumericProperty, StringProperty
from kivy.uix.modalview import ModalView

from kiosk.i18n import ngettext
from screens.kv import load_kv


class IdleDialog(ModalView):
    seconds_left = NumericProperty(0)
    countdown_text = StringProperty("")

    def __init__(self, on_more_time: Callable[[], None], **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._on_more_time = on_more_time

    def on_seconds_left(self, _instance: object, value: float) -> None:
        n = int(value)
        self.countdown_text = ngettext(
            "Your data will be cleared in %(n)d second.", "Your data will be cleared in %(n)d seconds.", n
        ) % {"n": n}

    def more_time(self) -> None:
        self.dismiss()
        self._on_more_time()


load_kv(__file__)
