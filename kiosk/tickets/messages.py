"""Patient-visible ticket strings: English msgids and their Russian text.

The layout translates the msgids with ``kiosk.i18n._``. ``RUSSIAN`` is the
reference translation for the catalog maintainer (and for tests run before the
catalog has these entries).
"""

from __future__ import annotations

from kiosk.i18n import N_

TITLE = N_("APPOINTMENT TICKET")
PATIENT = N_("Patient")
SPECIALTY = N_("Specialty")
DOCTOR = N_("Doctor")
DATE = N_("Date")
TIME = N_("Time")
CABINET = N_("Room")
NUMBER = N_("Appointment No.")
CHECKIN = N_("Check-in code")
KIOSK = N_("Kiosk")
ISSUED = N_("Issued")  # not "printed": the same ticket is also shown on screen
WALKIN_TITLE = N_("QUEUE TICKET")
WALKIN_NUMBER = N_("Your number")
WALKIN_REASON = N_("Purpose")
WALKIN_WAIT = N_("Please wait to be called to the registration desk.")

RUSSIAN: dict[str, str] = {
    TITLE: "ТАЛОН НА ПРИЁМ",
    PATIENT: "Пациент",
    SPECIALTY: "Специальность",
    DOCTOR: "Врач",
    DATE: "Дата",
    TIME: "Время",
    CABINET: "Кабинет",
    NUMBER: "Номер записи",
    CHECKIN: "Код отметки",
    KIOSK: "Терминал",
    ISSUED: "Выдан",
    WALKIN_TITLE: "ТАЛОН В ОЧЕРЕДЬ",
    WALKIN_NUMBER: "Ваш номер",
    WALKIN_REASON: "Цель",
    WALKIN_WAIT: "Ожидайте вызова к окну регистратуры.",
}
