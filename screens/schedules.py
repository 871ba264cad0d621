"""«Расписание врачей» without identification: specialties, a specialty's doctors with their cabinets, and
a doctor's working hours with the free slots of each day («Записаться к этому врачу» above them)."""

from __future__ import annotations

from functools import partial

from kiosk.domain import WorkingDay
from kiosk.format import short_date
from kiosk.i18n import _, ngettext
from kiosk.session.kernel import Session
from screens.choice_list import ChoiceListScreen


def describe_day(day: WorkingDay) -> str:
    """«пн, 7 дек.: 08:00–14:00 · свободно 5 мест»"""
    hours = f"{day.start:%H:%M}–{day.end:%H:%M}"
    free = (ngettext("%(n)d free slot", "%(n)d free slots", day.free_slots) % {"n": day.free_slots}
            if day.free_slots else _("no free slots"))
    return f"{short_date(day.day)}: {hours} · {free}"


class ScheduleSpecialtyScreen(ChoiceListScreen):
    def show(self, session: Session) -> None:
        super().show(session)
        journey = session.schedules
        self.title = _("Doctors' schedules")
        self.subtitle = _("Choose a specialist")
        self.columns = 2
        self.set_choices([(f"specialty-{s.code}", s.name, partial(journey.choose_specialty, s.code))
                          for s in journey.state.specialties])


class ScheduleDoctorScreen(ChoiceListScreen):
    def show(self, session: Session) -> None:
        super().show(session)
        state = session.schedules.state
        self.title = state.specialty.name if state.specialty else ""
        self.subtitle = _("Choose a doctor to see the working hours")
        self.columns = 1
        self.set_choices([
            (f"doctor-{d.resource_id}", f"{d.name}\n" + _("cabinet %(room)s") % {"room": d.cabinet},
             partial(session.schedules.choose_doctor, d.resource_id))
            for d in state.doctors])


class ScheduleHoursScreen(ChoiceListScreen):
    def show(self, session: Session) -> None:
        super().show(session)
        state = session.schedules.state
        doctor = state.doctor
        self.title = doctor.name if doctor else ""
        self.subtitle = (_("cabinet %(room)s") % {"room": doctor.cabinet} + "\n" if doctor else "") + (
            _("Working hours for the next two weeks") if state.days else _("No working hours in the next two weeks"))
        self.columns = 1
        self.action_text = _("Book this doctor")
        self.set_choices([(f"day-{d.day.isoformat()}", describe_day(d), lambda: None) for d in state.days])

    def on_action(self) -> None:
        self.session.schedules.book_this_doctor()
