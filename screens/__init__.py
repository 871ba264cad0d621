"""Kivy screens and widgets only. Importing this package loads every .kv once.

``tr`` (screens.localizer.LOCALIZER) is put into kv's global namespace first, so kv rules can
say ``tr._('Back')`` and follow a change of language.
"""

from __future__ import annotations

import os

os.environ.setdefault("KIVY_NO_ARGS", "1")

from kivy.lang import global_idmap

from screens.localizer import LOCALIZER

global_idmap["tr"] = LOCALIZER

from screens import widgets  # noqa: E402, F401  (kv rules the screens use)
from screens.base import KioskScreen  # noqa: E402
from screens.confirm import ConfirmScreen  # noqa: E402
from screens.doctor import DoctorScreen  # noqa: E402
from screens.done import DoneScreen  # noqa: E402
from screens.identify import IdentifyScreen  # noqa: E402
from screens.menu import MenuScreen  # noqa: E402
from screens.referrals import ReferralsScreen  # noqa: E402
from screens.slot import SlotScreen  # noqa: E402
from screens.specialty import SpecialtyScreen  # noqa: E402
from screens.visits import VisitsScreen  # noqa: E402
from screens.welcome import WelcomeScreen  # noqa: E402

#: screen name (Session.screen: welcome, menu, done, or a journey step's value) → class
REGISTRY: dict[str, type[KioskScreen]] = {
    "welcome": WelcomeScreen,
    "identify": IdentifyScreen,
    "menu": MenuScreen,
    "specialty": SpecialtyScreen,
    "referrals": ReferralsScreen,
    "visits": VisitsScreen,
    "doctor": DoctorScreen,
    "slot": SlotScreen,
    "confirm": ConfirmScreen,
    "done": DoneScreen,
}
