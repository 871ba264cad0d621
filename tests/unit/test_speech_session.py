"""The speech flag lives in the session beside the language: on for this patient only, kept from the start
screen into the session, wiped with it; plugged-in headphones turn it on for every session until unplugged."""

from __future__ import annotations

from tests.unit.test_session import Harness, identified


def test_speech_is_kept_into_the_session_and_wiped_with_it() -> None:
    h = Harness()
    assert not h.session.speech
    h.session.set_speech(True)  # «Озвучить» on the start screen
    identified(h)
    assert h.session.speech and h.session.patient is not None
    h.session.wipe()
    assert not h.session.speech


def test_headphones_turn_speech_on_for_the_next_patient_too() -> None:
    h = Harness()
    h.session.headphones_changed(True)
    assert h.session.speech
    h.session.set_speech(False)  # this patient does not want it
    h.session.wipe()
    assert h.session.speech  # the next one gets it while the headphones are in
    h.session.headphones_changed(False)
    assert not h.session.speech
    h.session.wipe()
    assert not h.session.speech
