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
QUEUED_TITLE = N_("ACCEPTED")
QUEUED_NOTE = N_("Will be passed on to the registry as soon as the connection is back.")
QUEUED_ACTION = N_("Action")
QUEUED_NUMBER = N_("Receipt No.")
QUEUED_CANCEL = N_("Cancellation of the appointment")
QUEUED_CHECK_IN = N_("Arrival at the appointment")
QUEUED_KEEP = N_("Keep this receipt. If anything is unclear, show it at the registry desk.")

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
    QUEUED_TITLE: "ПРИНЯТО",
    QUEUED_NOTE: "Будет передано в регистратуру, как только появится связь.",
    QUEUED_ACTION: "Действие",
    QUEUED_NUMBER: "Номер квитанции",
    QUEUED_CANCEL: "Отмена записи",
    QUEUED_CHECK_IN: "Отметка о приходе на приём",
    QUEUED_KEEP: "Сохраните квитанцию. Если что-то неясно, покажите её в регистратуре.",
}
