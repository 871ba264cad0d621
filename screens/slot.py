"""Step 3 of booking: the day, then the time."""

from __future__ import annotations

from kivy.factory import Factory
from kivy.metrics import dp
from kivy.properties import StringProperty

from kiosk.format import clock, long_date, short_date
from kiosk.i18n import _
from kiosk.offline.notice import offline_note
from kiosk.session.kernel import Session
from screens.base import KioskScreen
from screens.kv import load_kv
from screens.moving import moving_line, with_whose


class SlotScreen(KioskScreen):
    title = StringProperty("")
    subtitle = StringProperty("")
    day_title = StringProperty("")
    #: «Нет связи с регистратурой. Расписание на 14:05» when the schedule came from the offline cache
    offline_text = StringProperty("")

    def clear(self) -> None:
        super().clear()
        self.title = self.subtitle = self.day_title = self.offline_text = ""
        self.ids.days.clear_widgets()
        self.ids.times.clear_widgets()

    def show(self, session: Session) -> None:
        super().show(session)
        self.offline_text = offline_note(session.registry)
        state = session.book.state
        doctor = state.doctor
        self.title = doctor.name if doctor else ""
        days = state.schedule.days if state.schedule else ()
        self.subtitle = _("Choose a day and a time") if days else _("There is no free time with this doctor now.")
        if state.moving is not None:
            self.subtitle = moving_line(state.moving) + "\n" + self.subtitle
        self.subtitle = with_whose(session, self.subtitle)
        self.day_title = long_date(state.day.day) if state.day else ""
        day_box = self.ids.days
        day_box.clear_widgets()
        for day in days:
            button = Factory.BigButton(text=short_date(day.day), size_hint_x=None, width=dp(260), font_size="36sp",
                                      height=dp(140))
            button.test_id = f"day-{day.day.isoformat()}"
            if state.day is not None and day.day == state.day.day:
                button.background_color = (0.05, 0.25, 0.50, 1)
            button.bind(on_release=lambda _b, d=day.day: session.book.choose_day(d))
            day_box.add_widget(button)
        grid = self.ids.times
        grid.clear_widgets()
        for slot in state.day.slots if state.day else ():
            button = Factory.ChoiceButton(text=clock(slot.start), height=dp(128), font_size="44sp")
            button.test_id = f"slot-{slot.start.strftime('%H%M')}"
            button.bind(on_release=lambda _b, s=slot: session.book.choose_slot(s))
            grid.add_widget(button)

    def button(self, test_id: str) -> object:
        widgets = [*self.ids.days.children, *self.ids.times.children]
        return next(w for w in widgets if getattr(w, "test_id", None) == test_id)


load_kv(__file__)
