"""Printer tests: Russian tickets, a sample appointment, real python-escpos bytes."""

from __future__ import annotations

import gettext
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

import kiosk.i18n as i18n
from kiosk.domain import Appointment
from kiosk.tickets.messages import RUSSIAN
from kiosk.tickets.model import Ticket, WalkInTicket, ticket_for

MOSCOW = ZoneInfo("Europe/Moscow")


class _WithTicketFallback(gettext.NullTranslations):
    """The project catalog first, then the ticket module's reference Russian (until the catalog has them)."""

    def __init__(self, catalog: gettext.NullTranslations) -> None:
        super().__init__()
        self.catalog = catalog

    def gettext(self, message: str) -> str:
        translated = self.catalog.gettext(message)
        return RUSSIAN.get(message, translated) if translated == message else translated


@pytest.fixture(autouse=True)
def russian(monkeypatch: pytest.MonkeyPatch) -> None:
    i18n.set_language("ru")
    monkeypatch.setattr(i18n, "_current", _WithTicketFallback(i18n._current))


@pytest.fixture
def appointment() -> Appointment:
    return Appointment(
        appointment_id=123456789,
        kind="RECEPTION",
        start=datetime(2026, 11, 24, 9, 40, tzinfo=MOSCOW),
        end=None,
        clinic="ГБУЗ «Городская поликлиника № 12 Департамента здравоохранения города Москвы»",
        address="г. Москва, ул. Ленина, д. 1, корп. 2",
        room="215",
        specialty_id="69",
        specialty_name="Врач-терапевт участковый",
        doctor_name="Петров Пётр Петрович",
    )


@pytest.fixture
def ticket(appointment: Appointment) -> Ticket:
    return ticket_for(
        appointment,
        "Иванова А. С.",
        footer="Приходите за 10 минут до приёма — не опаздывайте…",
        kiosk_id="demo-01",
        now=datetime(2026, 11, 24, 8, 55, tzinfo=MOSCOW),
        building="Филиал № 3",
    )


@pytest.fixture
def walkin() -> WalkInTicket:
    return WalkInTicket(
        queue_number="А-017",
        reason="Справка для бассейна",
        kiosk_id="demo-01",
        printed_at=datetime(2026, 11, 24, 8, 55, tzinfo=MOSCOW),
        clinic="Поликлиника № 12",
    )
