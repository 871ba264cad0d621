"""The real espeak-ng: a screen's words become speech in a WAV file, not silence; the speaker works on its
own thread and a new utterance (or stop) cuts off the one being spoken."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kiosk.speech.config import SpeechConfig
from kiosk.speech.engine import EspeakEngine, SpeechError
from kiosk.speech.speaker import Speaker
from kiosk.speech.wav import wav_rms

LONG = "Запись к врачу через инфомат. " * 400


@dataclass(frozen=True)
class WavEngine(EspeakEngine):
    """espeak-ng as the kiosk runs it, but into numbered WAV files instead of the sound card."""

    out: Path = Path()
    numbers: itertools.count[int] = field(default_factory=itertools.count)

    def command(self, language: str, wav: Path | None = None) -> Sequence[str]:
        return super().command(language, wav or self.out / f"{next(self.numbers)}.wav")


def wait(predicate: object, limit: float = 30) -> None:
    deadline = time.monotonic() + limit
    while not predicate():  # type: ignore[operator]
        assert time.monotonic() < deadline, "the speaker never got there"
        time.sleep(0.01)


@pytest.mark.parametrize(("language", "text"), [("ru", "Выберите врача. Терапевт, кабинет 1-14."),
                                                 ("en", "Choose a doctor. General practitioner, room 1-14.")])
def test_the_engine_speaks_into_a_wav(tmp_path: Path, language: str, text: str) -> None:
    seconds, rms = wav_rms(EspeakEngine(SpeechConfig()).render(text, language, tmp_path / "out.wav"))
    assert seconds > 1.5 and rms > 0.02, (seconds, rms)
    _silent_seconds, silent_rms = wav_rms(EspeakEngine(SpeechConfig(volume=0)).render(text, language,
                                                                                     tmp_path / "0.wav"))
    assert silent_rms < rms / 20  # the measure tells silence from speech, and volume is obeyed


def test_rate_is_obeyed(tmp_path: Path) -> None:
    text = "Выберите время приёма"
    slow, _ = wav_rms(EspeakEngine(SpeechConfig(rate=80)).render(text, "ru", tmp_path / "slow.wav"))
    fast, _ = wav_rms(EspeakEngine(SpeechConfig(rate=300)).render(text, "ru", tmp_path / "fast.wav"))
    assert slow > 2 * fast


def test_a_missing_engine_is_an_error_and_a_silent_speaker(tmp_path: Path) -> None:
    missing = EspeakEngine(SpeechConfig(), program="no-such-espeak")
    with pytest.raises(SpeechError):
        missing.render("текст", "ru", tmp_path / "x.wav")
    speaker = Speaker(missing)
    assert not speaker.enabled
    speaker.say("текст", "ru")
    assert not speaker.said


def test_a_new_utterance_cuts_off_the_last(tmp_path: Path) -> None:
    engine = WavEngine(SpeechConfig(), out=tmp_path)
    full = engine.render(LONG, "ru", tmp_path / "full.wav").stat().st_size
    speaker = Speaker(engine)
    try:
        speaker.say(LONG, "ru")
        wait(lambda: speaker.speaking)
        speaker.say("Выберите день", "ru")
        wait(lambda: len(speaker.said) == 2 and not speaker.speaking)
        assert [u.text for u in speaker.said] == [" ".join(LONG.split()), "Выберите день"]
        cut = tmp_path / "0.wav"
        assert not cut.exists() or cut.stat().st_size < full
        seconds, rms = wav_rms(tmp_path / "1.wav")
        assert seconds > 0.5 and rms > 0.02
    finally:
        speaker.close()


def test_stop_silences_and_say_returns_at_once(tmp_path: Path) -> None:
    speaker = Speaker(WavEngine(SpeechConfig(), out=tmp_path))
    try:
        speaker.say(LONG, "ru")  # returns before the engine is done: it is on the speaker's thread
        wait(lambda: speaker.speaking)
        speaker.stop()
        wait(lambda: not speaker.speaking)
    finally:
        speaker.close()
    assert not any(t.name == "speaker" and t.is_alive() for t in threading.enumerate())


def test_an_engine_that_fails_is_counted_and_logged_once(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    speaker = Speaker(WavEngine(SpeechConfig(voice_ru="zz-no-such-voice"), out=tmp_path))
    try:
        for text in ("Первая", "Вторая"):
            speaker.say(text, "ru")
            wait(lambda text=text: bool(speaker.said) and speaker.said[-1].text == text and not speaker.speaking)
        wait(lambda: speaker.failures == 2)
    finally:
        speaker.close()
    assert sum("speech not heard: exit 1" in r.getMessage() for r in caplog.records) == 1
