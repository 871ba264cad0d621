"""The home-visit ticket: the request number and when the doctor comes, in the patient's language, and
nothing personal beyond the short name (no address, policy or birth date)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kiosk.clock import ManualClock
from kiosk.domain import HomeVisit
from kiosk.i18n import language, set_language
from kiosk.tickets.home_visit import home_visit_document


@pytest.fixture
def russian() -> Iterator[None]:
    before = language()
    set_language("ru")
    yield
    set_language(before)


def test_the_ticket_says_the_number_and_when_the_doctor_comes_and_not_where(russian: None,
                                                                            clock: ManualClock) -> None:
    start = clock.now().replace(hour=10, minute=0, second=0, microsecond=0)
    visit = HomeVisit(4711, "PENDING", start, start.replace(hour=18), "ул. Лесная, д. 5, кв. 12")
    document = home_visit_document(visit, "Иванова А. С.", "K-01", clock.now())
    text = " ".join(" ".join(str(getattr(op, "text", "")) for op in document.ops).split())  # wrapped lines joined
    assert "ВЫЗОВ ВРАЧА НА ДОМ" in text and "4711" in text and "с 10:00 до 18:00" in text
    assert "Иванова А. С." in text and "Лесная" not in text
