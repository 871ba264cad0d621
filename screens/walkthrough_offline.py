"""The scripted offline walk-through (``bash .ci/demo --offline``): the registry goes down while a
patient uses the kiosk.

A patient identifies while the registry answers (the kiosk sees their appointments); the registry goes
down; the patient browses the cached schedule, cancels an appointment (queued), checks in to today's
visit (queued), tries to book (refused, takes the queue ticket on that very screen); the registry comes
back and the outbox drains by itself. Every screen is shot; what happened is returned as lines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kiosk.i18n import _
from screens.pilot import Pilot
from screens.walkthrough import Shot, _shooter, check_in_from_start, identify_by_keypad, open_schedule, start_booking


@dataclass
class OfflineWalkthrough:
    screenshots: list[Path] = field(default_factory=list)
    #: what happened, one line each, in order
    lines: list[str] = field(default_factory=list)


def _home(pilot: Pilot, screen: str) -> None:
    from screens.widgets import NavBar

    bar = next(w for w in pilot.screen(screen).walk() if isinstance(w, NavBar))
    pilot.tap(bar.ids.home)
    pilot.wait_step("welcome")


def walk_through_offline(pilot: Pilot, patient: tuple[str, date], registry_down: Callable[[], None],
                         registry_up: Callable[[], None], out_dir: Path | None,
                         drain_timeout: float = 60.0) -> OfflineWalkthrough:
    from kiosk.health.state import HealthStatus

    result = OfflineWalkthrough()
    shot: Shot = _shooter(pilot, out_dir, result.screenshots)
    session = pilot.app.session
    services = pilot.app.services
    offline = services.offline
    assert offline is not None, "the walk-through needs [cache] enabled = yes"
    coordinator = services.health["registry"]
    pilot.wait_until(lambda: offline.store.status()["syncs"].get("full", {}).get("ok", False), "the first sync",
                     limit=drain_timeout)
    result.lines.append("the cache is filled by the first full sync")

    identify_by_keypad(pilot, *patient, shot, "visits")  # online: the kiosk sees the appointments
    known = list(session.visits.state.visits)
    result.lines.append(f"the patient identified online: {len(known)} appointments seen")
    _home(pilot, "visits")

    registry_down()
    pilot.wait_until(lambda: coordinator.probe_once().status is HealthStatus.UNAVAILABLE, "the registry offline")
    result.lines.append("the registry went down: the kiosk is offline")

    start_booking(pilot, *patient, shot)
    open_schedule(pilot, shot=shot)
    result.lines.append(f"cached schedule shown: «{pilot.screen('slot').offline_text}»")
    day = session.book.state.day
    assert day is not None and day.slots, "the cache has no free time for the first doctor"
    pilot.tap(pilot.screen("slot").button(f"slot-{day.slots[0].start.strftime('%H%M')}"))
    pilot.wait_step("confirm")
    pilot.tap_id("confirm", "confirm")
    confirm = pilot.screen("confirm")
    pilot.wait_until(lambda: confirm.walk_in_offered and not session.status.busy, "the queue ticket offer")
    shot("confirm")
    result.lines.append(f"booking refused: «{confirm.error_text}»")
    pilot.tap_id("walk_in", "confirm")
    pilot.wait_step("done")
    shot("done")
    receipt = session.receipt
    result.lines.append(f"queue ticket taken instead: {receipt.walk_in_number if receipt else '?'}")
    pilot.tap_id("finish", "done")

    today = services.clock.today()
    later = [v for v in known if v.start.date() != today and not v.checked_in]
    if later:
        identify_by_keypad(pilot, *patient, shot, "visits")
        target = later[0].appointment_id
        screen = pilot.screen("visits")
        pilot.tap(screen.button(f"cancel-{target}"))
        pilot.wait_until(lambda: session.visits.state.cancel_asked is not None, "the second question")
        pilot.tap_id("cancel_yes", "visits")
        pilot.wait_until(lambda: session.visits.state.notice is not None and not session.status.busy,
                         "the queued cancel")
        shot("visits")
        result.lines.append(f"cancel of appointment {target} queued: «{screen.notice_text}»")
        _home(pilot, "visits")
    else:
        result.lines.append("no appointment after today to cancel")

    visit = check_in_from_start(pilot, *patient, shot)
    if session.screen == "done" and session.receipt is not None:
        notice = _(session.receipt.notice) if session.receipt.notice else ""
        result.lines.append(f"check-in queued: «{notice}»" if visit else "no visit to check in to today (or its "
                            "window is not open yet): queue ticket taken")
        result.lines.append(f"final screen: «{pilot.screen('done').title}»")
        pilot.tap_id("finish", "done")
    counts = offline.outbox.counts()
    result.lines.append(f"outbox while offline: {counts['pending']} pending")

    registry_up()
    pilot.wait_until(lambda: coordinator.probe_once().status is HealthStatus.AVAILABLE, "the registry back")
    result.lines.append("the registry is back")
    pilot.wait_until(lambda: (lambda c: c["pending"] + c["sent"] == 0)(offline.outbox.counts()),
                     "the outbox drained", limit=drain_timeout)
    for action in offline.outbox.listed():
        result.lines.append(f"outbox action {action.action_id} ({action.kind}): {action.status}, {action.detail}")
    return result
