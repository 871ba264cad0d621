"""Widgets shared by every screen."""

from __future__ import annotations

from kivy.properties import BooleanProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.floatlayout import FloatLayout

from screens.kv import load_kv


class NavBar(BoxLayout):
    """«Назад» and «В начало» at the bottom of every step."""

    show_back = BooleanProperty(True)
    #: a queue ticket to the registry desk is offered beside the screen's error (Status.walk_in)
    walk_in = BooleanProperty(False)


class BusyOverlay(FloatLayout):
    """Dims the screen and swallows touches while a request is running; after ``[jobs]
    offer_cancel_after`` seconds it offers «Отменить» (``session.cancel``)."""

    cancellable = BooleanProperty(False)

    def on_touch_down(self, touch: object) -> bool:
        if self.cancellable:
            super().on_touch_down(touch)  # the «Отменить» button; the screen below stays untouchable
        return True


load_kv(__file__)
