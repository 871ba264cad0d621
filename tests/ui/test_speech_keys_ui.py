"""Speech and keys in the real window: a booking on the demo done by keys only, what is said along the way
(never the whole policy number or birth date), and a screen's speech rendered by the real espeak-ng."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kiosk.app.pilot import open_pilot
from kiosk.clock import ManualClock
from kiosk.demo_registry import DEMO_PATIENTS
from kiosk.speech.engine import EspeakEngine
from kiosk.speech.privacy import speakable
from kiosk.speech.wav import wav_rms
from screens.keys import DOWN, ENTER, KEYPAD_MULTIPLY, UP
from screens.pilot import Pilot
from screens.walkthrough import start_booking
from tests.ui.conftest import demo_config

pytestmark = pytest.mark.ui

PATIENT = next(p for p in DEMO_PATIENTS if p.kind == "attached")


def focus_on(pilot: Pilot, widget: Any, limit: int = 60) -> None:
    """Press ↓ until the ring is on ``widget`` (as a patient listening to each choice would)."""
    ring = pilot.app.accessibility.ring
    widget = getattr(widget, "__self__", widget)  # ids are weak proxies
    for _ in range(limit):
        if ring.focused is widget:
            return
        pilot.press_key(DOWN)
    raise AssertionError(f"the focus never reached {getattr(widget, 'text', widget)!r}")


def press_enter_on(pilot: Pilot, widget: Any) -> None:
    focus_on(pilot, widget)
    pilot.press_key(ENTER)


def said(pilot: Pilot) -> list[str]:
    return [u.text for u in pilot.app.services.speaker.said]


def hear(pilot: Pilot, expected: str, exact: bool = False) -> None:
    """Wait until the speaker's thread has handed ``expected`` (or a text containing it) to espeak-ng."""
    def heard() -> bool:
        last = said(pilot)[-1] if said(pilot) else ""
        return last == expected if exact else expected in last

    pilot.wait_until(heard, f"hearing {expected!r} (last: {said(pilot)[-1:]!r})")


def test_a_booking_by_keys_only_with_speech(pilot: Pilot) -> None:
    app, session = pilot.app, pilot.app.session
    pilot.wait_step("welcome")
    pilot.press_key(KEYPAD_MULTIPLY)  # speech on
    assert session.speech
    hear(pilot, "Озвучивание включено")
    assert "Инфомат" in said(pilot)[-1]
    press_enter_on(pilot, pilot.screen("welcome").button("errand-book"))
    pilot.wait_step("identify")
    hear(pilot, "Номер полиса")
    for digit in PATIENT.policy:
        pilot.press_key(48 + int(digit), digit)
    # the keypad moved on to the birth date by itself, and says so
    hear(pilot, "Номер полиса (16 цифр). все цифры введены. Дата рождения (день, месяц, год). 0 цифр введено из 8",
         exact=True)
    for digit in PATIENT.birth_date.strftime("%d%m%Y"):
        pilot.press_key(48 + int(digit), digit)
    pilot.pump(10)
    assert sum(text.startswith("Ваш полис ОМС") for text in said(pilot)) == 1  # not again at every digit
    identify = pilot.screen("identify")
    assert identify.policy_digits == PATIENT.policy
    assert identify.birth_digits == PATIENT.birth_date.strftime("%d%m%Y")
    hear(pilot, "8 цифр введено из 8")
    press_enter_on(pilot, identify.ids.next)
    pilot.wait_step("specialty")  # «Записаться к врачу» lands on the specialties, no menu between
    book = session.book
    press_enter_on(pilot, pilot.screen("specialty").choice(f"specialty-{book.state.specialties[0].code}"))
    pilot.wait_step("doctor")
    doctor = next(d for d in book.state.doctors if d.bookable)
    press_enter_on(pilot, pilot.screen("doctor").choice(f"doctor-{doctor.resource_id}"))
    pilot.wait_step("slot")
    day = book.state.day
    assert day is not None and day.slots
    slot_button = pilot.screen("slot").button(f"slot-{day.slots[0].start.strftime('%H%M')}")
    focus_on(pilot, slot_button)
    hear(pilot, slot_button.text)  # the focused time is said
    pilot.press_key(ENTER)
    pilot.wait_step("confirm")
    hear(pilot, "Проверьте запись")  # a listening patient waits for the screen to be said
    press_enter_on(pilot, pilot.screen("confirm").ids.confirm)
    pilot.wait_step("done")
    receipt = session.receipt
    assert receipt is not None and receipt.booking is not None, session.status.error
    hear(pilot, app.screen("done").title)
    everything = "\n".join(said(pilot))
    assert "Проверьте запись" in everything  # the confirm screen's title was said
    # never the whole policy number or birth date, with or without separators
    flat = "".join(ch for ch in everything if ch.isdigit())
    assert PATIENT.policy not in flat and PATIENT.policy[:8] not in flat
    assert PATIENT.birth_date.strftime("%d.%m.%Y") not in everything
    assert PATIENT.birth_date.strftime("%d%m%Y") not in flat


def test_the_ring_is_drawn_and_moves_both_ways(pilot: Pilot) -> None:
    pilot.wait_step("welcome")
    ring = pilot.app.accessibility.ring
    pilot.press_key(DOWN)
    first = ring.focused
    assert first is not None and ring.visible
    pilot.press_key(DOWN)
    assert ring.focused is not first
    pilot.press_key(UP)
    assert ring.focused is first
    pilot.press_key(UP)  # from the first to the last: the «Озвучить» bar below every screen
    assert ring.focused is pilot.app.speech_bar.ids.toggle.__self__


def test_speech_is_for_the_session_only(pilot: Pilot) -> None:
    pilot.wait_step("welcome")
    pilot.tap(pilot.app.speech_bar.ids.toggle)
    assert pilot.app.session.speech
    pilot.pump(3)
    assert pilot.app.speech_bar.ids.toggle.text == "Не озвучивать"
    pilot.tap(pilot.screen("welcome").button("errand-book"))
    pilot.wait_step("identify")
    assert pilot.app.session.speech  # kept from the start screen into the session, like the language
    pilot.app.session.wipe()
    pilot.wait_step("welcome")
    assert not pilot.app.session.speech


def test_a_screen_spoken_by_the_real_engine_is_not_silence(pilot: Pilot, tmp_path: Path) -> None:
    pilot.wait_step("welcome")
    text = pilot.app.accessibility.intro()
    assert "Инфомат" in text
    engine = EspeakEngine(pilot.app.services.config.speech)
    seconds, rms = wav_rms(engine.render(text, "ru", tmp_path / "welcome.wav"))
    assert seconds > 2 and rms > 0.02, (seconds, rms)


def test_the_idle_question_is_said_once_and_answered_by_keys(tmp_path: Path, window_ready: None,
                                                             clock: ManualClock) -> None:
    pilot = open_pilot(demo_config(tmp_path, ui__idle_timeout="60", ui__idle_warning="20"), clock)
    try:
        pilot.press_key(KEYPAD_MULTIPLY)
        start_booking(pilot, PATIENT.policy, PATIENT.birth_date)
        clock.advance(61)
        pilot.app.check_idle()
        dialog = pilot.app._idle
        pilot.wait_until(lambda: dialog.parent is not None, "the idle dialog")
        hear(pilot, "Вы ещё здесь?")
        for _ in range(3):  # the countdown runs on: the question is not said again at every second
            clock.advance(1)
            pilot.app.check_idle()
            pilot.pump(15)
        assert sum("Вы ещё здесь?" in text for text in said(pilot)) == 1
        pilot.press_key(DOWN)  # the focus is inside the dialog, not on the screen under it
        assert pilot.app.accessibility.ring.focused is dialog.ids.more_time.__self__
        hear(pilot, "Мне нужно больше времени")
        pilot.press_key(ENTER)
        pilot.wait_until(lambda: dialog.parent is None, "the dialog to close")
        assert pilot.app.session.patient is not None
    finally:
        pilot.close()


def test_a_button_in_an_appointment_row_says_which_appointment(pilot: Pilot) -> None:
    from screens.visits import describe
    from screens.walkthrough import book_first_free_slot

    result = book_first_free_slot(pilot, PATIENT.policy, PATIENT.birth_date, None)
    pilot.tap_id("more", "done")
    pilot.wait_step("menu")
    pilot.press_key(KEYPAD_MULTIPLY)
    press_enter_on(pilot, pilot.screen("menu").ids.visits)
    pilot.wait_step("visits")
    ticket = pilot.screen("visits").button(f"ticket-{result.appointment.appointment_id}")
    focus_on(pilot, ticket)
    hear(pilot, speakable(f"{describe(result.appointment)}. Талон"), exact=True)


def test_in_english_mode_the_screen_is_said_in_english_with_the_english_voice(pilot: Pilot) -> None:
    pilot.wait_step("welcome")
    pilot.tap_id("language", "welcome")
    pilot.pump(3)
    pilot.press_key(KEYPAD_MULTIPLY)
    hear(pilot, "Speech is on")
    last = pilot.app.services.speaker.said[-1]
    assert last.language == "en" and "Self-service kiosk" in last.text
    assert EspeakEngine(pilot.app.services.config.speech).command("en")[:3] == ["espeak-ng", "-v", "en"]
