"""Kivy screens and widgets only. Importing this package loads the shared widgets; each screen's
module and .kv load when the screen is first made (``screen_class``).

``tr`` (screens.localizer.LOCALIZER) is put into kv's global namespace first, so kv rules can
say ``tr._('Back')`` and follow a change of language.
"""

from __future__ import annotations

import importlib
import os

os.environ.setdefault("KIVY_NO_ARGS", "1")

from kivy.lang import global_idmap

from screens.localizer import LOCALIZER

global_idmap["tr"] = LOCALIZER

from screens import widgets  # noqa: E402, F401  (kv rules the screens use)
from screens.base import KioskScreen  # noqa: E402

#: screen name (Session.screen: welcome, menu, done, or a journey step's value) → "module:class".
#: A screen's module (and its .kv) loads when the screen is first made: the start screen at once,
#: the others after the first frame is on the display.
REGISTRY: dict[str, str] = {
    "welcome": "screens.welcome:WelcomeScreen",
    "identify": "screens.identify:IdentifyScreen",
    "menu": "screens.menu:MenuScreen",
    "specialty": "screens.specialty:SpecialtyScreen",
    "referrals": "screens.referrals:ReferralsScreen",
    "visits": "screens.visits:VisitsScreen",
    "doctor": "screens.doctor:DoctorScreen",
    "slot": "screens.slot:SlotScreen",
    "confirm": "screens.confirm:ConfirmScreen",
    "done": "screens.done:DoneScreen",
    "schedule_specialty": "screens.schedules:ScheduleSpecialtyScreen",
    "schedule_doctor": "screens.schedules:ScheduleDoctorScreen",
    "schedule_hours": "screens.schedules:ScheduleHoursScreen",
    "waiting_reason": "screens.waiting_list:WaitingReasonScreen",
    "waiting_phone": "screens.waiting_list:WaitingPhoneScreen",
    "home_address": "screens.home_visit:HomeAddressScreen",
    "home_typed_address": "screens.home_visit:HomeTypedAddressScreen",
    "home_reason": "screens.home_visit:HomeReasonScreen",
    "home_temperature": "screens.home_visit:HomeTemperatureScreen",
    "home_phone": "screens.home_visit:HomePhoneScreen",
    "home_confirm": "screens.home_visit:HomeConfirmScreen",
}


def screen_class(name: str) -> type[KioskScreen]:
    """The class of screen ``name``, importing its module (and so its .kv) on first use."""
    module, _, cls = REGISTRY[name].partition(":")
    made: type[KioskScreen] = getattr(importlib.import_module(module), cls)
    return made
