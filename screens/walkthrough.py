"""The scripted walk-through: a demo patient books a visit by tapping through every screen.

The run command does this on a machine without a display, so that it still does
the kiosk's main job and leaves screenshots and the ticket to look at.
"""

from __future__ import annotations

import contextlib
import dataclasses
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kiosk.domain import Appointment, Doctor
from kiosk.errands import NEEDS_REGISTRY_EXTENSION, Errand
from screens.pilot import Pilot, PilotTimeoutError


@dataclass(frozen=True)
class WalkthroughResult:
    screenshots: list[Path]
    ticket: Path | None
    appointment: Appointment


Shot = Callable[[str], None]


def _no_shot(_screen: str) -> None:
    return None


#: the screen each start-screen errand lands on once the patient is identified
LANDS_ON = {"book": "specialty", "referrals": "referrals", "visits": "visits", "check_in": "visits",
            "home_visit": "home_address"}


def tap_errand(pilot: Pilot, errand: str, shot: Shot = _no_shot) -> None:
    """On the start screen, tap the errand's button («errand-book», «errand-check_in», …)."""
    pilot.wait_step("welcome")
    # the registry's answer on its extensions rebuilds the buttons: tap once it is in; an errand that
    # needs no extension is there anyway, so a registry that never answers (a test's) is not waited for
    session = pilot.app.session
    if Errand(errand) in NEEDS_REGISTRY_EXTENSION:
        pilot.wait_until(lambda: pilot.app.services.jobs.pending == 0, "the start screen's errands")
    else:
        with contextlib.suppress(PilotTimeoutError):
            pilot.wait_until(lambda: session.public_schedules is not None or pilot.app.services.jobs.pending == 0,
                             "the registry's answer on its extensions", limit=5)
    pilot.pump(2)
    shot("welcome")
    pilot.tap(pilot.screen("welcome").button(f"errand-{errand}"))


def type_identity(pilot: Pilot, policy: str, birth: date, shot: Shot = _no_shot, errand: str = "book") -> None:
    """From the welcome screen: tap the errand (default «Записаться к врачу»), type the policy number and
    the birth date.

    Every step here and below calls ``shot(screen)`` when a screen is ready to be seen."""
    tap_errand(pilot, errand, shot)
    pilot.wait_step("identify")
    pilot.type_digits(policy)
    pilot.type_digits(birth.strftime("%d%m%Y"))
    shot("identify")


def identify_by_keypad(pilot: Pilot, policy: str, birth: date, shot: Shot = _no_shot, errand: str = "book") -> str:
    """Type the identity and tap «Далее»; the patient lands in the errand: its screen's name is returned."""
    type_identity(pilot, policy, birth, shot, errand)
    pilot.tap_id("next", "identify")
    lands = LANDS_ON[errand]
    pilot.wait_step(lands)
    shot(lands)
    return lands


def start_booking(pilot: Pilot, policy: str, birth: date, shot: Shot = _no_shot) -> None:
    """Tap «Записаться к врачу» and identify on the keypad: the specialty list."""
    identify_by_keypad(pilot, policy, birth, shot, "book")


def open_schedule(pilot: Pilot, specialty_code: str | None = None, shot: Shot = _no_shot) -> Doctor:
    """Tap a specialty (default: the first) and its first doctor with free time; wait for the days."""
    book = pilot.app.session.book
    code = specialty_code or book.state.specialties[0].code
    pilot.tap(pilot.screen("specialty").choice(f"specialty-{code}"))
    pilot.wait_step("doctor")
    shot("doctor")
    doctor = next(d for d in book.state.doctors if d.bookable)
    pilot.tap(pilot.screen("doctor").choice(f"doctor-{doctor.resource_id}"))
    pilot.wait_step("slot")
    shot("slot")
    return doctor


def _shooter(pilot: Pilot, out_dir: Path | None, shots: list[Path]) -> Shot:
    def shot(name: str) -> None:
        if out_dir is not None:
            shots.append(pilot.shot(out_dir / f"{len(shots) + 1:02d}-{name}.png"))

    return shot


def check_in_from_start(pilot: Pilot, policy: str, birth: date, shot: Shot = _no_shot) -> Appointment | None:
    """«Я пришёл на приём» from the start screen: identify, today's visit, one tap on «Я пришёл». Late in the
    evening the demo patient's visit is tomorrow: then the screen's queue ticket is taken (None)."""
    from screens.widgets import NavBar

    identify_by_keypad(pilot, policy, birth, shot, "check_in")
    visits = [v for v in pilot.app.session.visits.state.visits if pilot.app.session.visits.can_check_in(v)]
    screen = pilot.screen("visits")
    session = pilot.app.session
    bar = next(w for w in screen.walk() if isinstance(w, NavBar))
    if visits:
        pilot.tap(screen.button(f"arrived-{visits[0].appointment_id}"))
        pilot.wait_until(lambda: session.screen == "done" or (session.status.error is not None
                                                              and not session.status.busy), "the check-in")
    if session.screen != "done":  # no visit today, or the registry's window for it is not open yet
        shot("visits")
        if session.status.walk_in is not None:
            pilot.tap(bar.ids.walk_in_offer)
        else:
            pilot.tap(bar.ids.home)
            pilot.wait_step("welcome")
            return None
    pilot.wait_step("done")
    shot("done")
    return visits[0] if visits and session.receipt and session.receipt.appointment else None


def queue_ticket_from_start(pilot: Pilot, shot: Shot = _no_shot) -> str:
    """«Талон в регистратуру» from the start screen: one tap, no identification; the queue number."""
    tap_errand(pilot, "walk_in", shot)
    pilot.wait_step("done")
    shot("done")
    receipt = pilot.app.session.receipt
    assert receipt is not None and receipt.walk_in_number, pilot.app.session.status.error
    return receipt.walk_in_number


def schedules_from_start(pilot: Pilot, shot: Shot = _no_shot) -> bool:
    """«Расписание врачей» from the start screen without identification: the first specialty with doctors,
    its first doctor, the working hours; «В начало». False when the registry has no such reads."""
    from screens.widgets import NavBar

    session = pilot.app.session
    pilot.wait_step("welcome")
    welcome = pilot.screen("welcome")
    pilot.wait_until(lambda: session.public_schedules is not None, "the registry's answer on the schedule reads")
    pilot.pump(2)
    if not any(getattr(b, "test_id", "") == "errand-schedules" for b in welcome.ids.errands.children):
        return False
    tap_errand(pilot, "schedules", shot)
    pilot.wait_step("schedule_specialty")
    shot("schedule_specialty")
    for specialty in session.schedules.state.specialties:
        pilot.tap(pilot.screen("schedule_specialty").choice(f"specialty-{specialty.code}"))
        pilot.wait_step("schedule_doctor")
        if session.schedules.state.doctors:
            break
        pilot.tap(next(w for w in pilot.screen("schedule_doctor").walk() if isinstance(w, NavBar)).ids.back)
        pilot.wait_step("schedule_specialty")
    shot("schedule_doctor")
    doctor = session.schedules.state.doctors[0]
    pilot.tap(pilot.screen("schedule_doctor").choice(f"doctor-{doctor.resource_id}"))
    pilot.wait_step("schedule_hours")
    shot("schedule_hours")
    pilot.tap(next(w for w in pilot.screen("schedule_hours").walk() if isinstance(w, NavBar)).ids.home)
    pilot.wait_step("welcome")
    return True


def walk_through_errands(pilot: Pilot, booking: tuple[str, date], arriving: tuple[str, date],
                         out_dir: Path | None) -> WalkthroughResult:
    """The no-display run: a booking, then check-in, the queue ticket and the doctors' schedules from the
    start screen (each screen shot in order)."""
    result = book_first_free_slot(pilot, *booking, out_dir)
    shots = list(result.screenshots)
    shot = _shooter(pilot, out_dir, shots)
    pilot.tap_id("finish", "done")
    if check_in_from_start(pilot, *arriving, shot) is not None or pilot.app.session.screen == "done":
        pilot.tap_id("finish", "done")
    queue_ticket_from_start(pilot, shot)
    pilot.tap_id("finish", "done")
    schedules_from_start(pilot, shot)
    pilot.wait_step("welcome")
    return dataclasses.replace(result, screenshots=shots)


def book_first_free_slot(pilot: Pilot, policy: str, birth: date, out_dir: Path | None) -> WalkthroughResult:
    """From the welcome screen to a booked appointment, as a patient would tap it."""
    shots: list[Path] = []
    shot = _shooter(pilot, out_dir, shots)
    start_booking(pilot, policy, birth, shot)
    open_schedule(pilot, shot=shot)
    session = pilot.app.session
    day = session.book.state.day
    assert day is not None and day.slots, "the demo doctor has no free time"
    pilot.tap(pilot.screen("slot").button(f"slot-{day.slots[0].start.strftime('%H%M')}"))
    pilot.wait_step("confirm")
    shot("confirm")
    pilot.tap_id("confirm", "confirm")
    pilot.wait_step("done")
    shot("done")
    receipt = session.receipt
    assert receipt is not None and receipt.appointment is not None, session.status.error
    ticket = None
    if receipt.ticket is not None and receipt.ticket.image is not None and out_dir is not None:
        ticket = out_dir / "ticket.png"
        shutil.copyfile(receipt.ticket.image, ticket)
    return WalkthroughResult(screenshots=shots, ticket=ticket, appointment=receipt.appointment)


def contact_sheet(images: list[Path], out: Path, columns: int = 4, width: int = 360) -> Path:
    """All screenshots (and the ticket) side by side in one picture, for the README and a quick look."""
    from PIL import Image

    opened = [Image.open(path).convert("RGB") for path in images]
    height = max(int(im.height * width / im.width) for im in opened)
    rows = (len(opened) + columns - 1) // columns
    gap = 12
    sheet = Image.new("RGB", (columns * (width + gap) + gap, rows * (height + gap) + gap), "white")
    for index, image in enumerate(opened):
        scaled = image.resize((width, int(image.height * width / image.width)))
        if scaled.height > height:
            scaled = scaled.crop((0, 0, width, height))
        sheet.paste(scaled, (gap + (index % columns) * (width + gap), gap + (index // columns) * (height + gap)))
    sheet.save(out)
    return out
