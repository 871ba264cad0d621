"""Attract screen: insert the card or tap to start."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from screens.base import KioskScreen
from screens.kv import load_kv


class WelcomeScreen(KioskScreen):
    reader_text = StringProperty("")
    reader_problem = BooleanProperty(False)


load_kv(__file__)
