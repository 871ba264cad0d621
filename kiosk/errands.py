"""The errands the start screen offers, and the order the technician chose for them (``[ui] errands``).

Plain Python. An errand is what a patient came for; the session opens it from the start screen,
asks for identification only when the errand needs it, and lands the patient in the errand
afterwards (``Session.open_errand``).
"""

from __future__ import annotations

from enum import StrEnum

from kiosk.i18n import N_


class Errand(StrEnum):
    BOOK = "book"
    REFERRALS = "referrals"
    VISITS = "visits"
    CHECK_IN = "check_in"
    SCHEDULES = "schedules"
    WALK_IN = "walk_in"
    HOME_VISIT = "home_visit"


#: the start screen's button for each errand (msgid)
LABELS: dict[Errand, str] = {
    Errand.BOOK: N_("Book a visit to a doctor"),
    Errand.REFERRALS: N_("Book by referral"),
    Errand.VISITS: N_("My appointments: ticket, cancel, move"),
    Errand.CHECK_IN: N_("I have come for my appointment"),
    Errand.SCHEDULES: N_("Doctors' schedules"),
    Errand.WALK_IN: N_("Queue ticket to the registry desk"),
    Errand.HOME_VISIT: N_("Call a doctor home"),
}

#: errands a patient may do without saying who they are
ANONYMOUS: frozenset[Errand] = frozenset({Errand.SCHEDULES, Errand.WALK_IN})

#: errands shown only where the registry offers what they need (the kiosk asks it once)
NEEDS_REGISTRY_EXTENSION: frozenset[Errand] = frozenset({Errand.SCHEDULES, Errand.HOME_VISIT})

#: what the shipped kiosk.ini offers, in its order
DEFAULT = "book, visits, check_in, schedules, walk_in, home_visit, referrals"

ALLOWED = ("a comma-separated list of " + ", ".join(e.value for e in Errand)
           + ", each at most once and at least one")

#: the reason printed on a queue ticket taken from the start screen
WALK_IN_REASON = N_("Question to the registry desk")


def parse_errands(text: str) -> tuple[Errand, ...]:
    """``book, visits`` → the errands in that order; ValueError (with the word at fault) otherwise."""
    words = [word.strip() for word in text.split(",")]
    if words == [""]:
        raise ValueError("no errand named")
    chosen: list[Errand] = []
    for word in words:
        try:
            errand = Errand(word)
        except ValueError:
            raise ValueError(f"unknown errand {word!r}") from None
        if errand in chosen:
            raise ValueError(f"{word!r} named twice")
        chosen.append(errand)
    return tuple(chosen)
