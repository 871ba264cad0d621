"""Live language switching for kv: ``tr._('Back')`` re-evaluates when the language changes.

kv binds to the ``_`` property of the :class:`Localizer` it reads; switching the
language puts a new function object there, so every kv text bound to it is
computed again. Python-side texts are redrawn by the app (``show`` again).
"""

from __future__ import annotations

from kivy.event import EventDispatcher
from kivy.properties import ObjectProperty, StringProperty

from kiosk import i18n


class Localizer(EventDispatcher):
    lang = StringProperty(i18n.language())
    _ = ObjectProperty(None)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._ = self._translator()

    @staticmethod
    def _translator() -> object:
        return lambda message: i18n._(message)  # a new object each time: kv sees the change

    def switch(self, language: str) -> None:
        if language == i18n.language() and language == self.lang:
            return
        i18n.set_language(language)
        self.lang = language
        self._ = self._translator()


#: the one instance kv knows as ``tr``
LOCALIZER = Localizer()
