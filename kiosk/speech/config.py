"""``[speech]``: the engine, its voices, volume and rate, and the headphones rule."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.ini_schema import setting

VOICE = r"[A-Za-z0-9_+\-/]{1,40}"


@dataclass(frozen=True)
class SpeechConfig:
    engine: str = setting("espeak-ng", "the offline speech engine (none: no «Озвучить» button)",
                          choices=("espeak-ng", "none"))
    volume: int = setting(100, "loudness, espeak-ng's amplitude", min=0, max=200)
    rate: int = setting(140, "words per minute", min=80, max=450)
    voice_ru: str = setting("ru", "espeak-ng voice for Russian", pattern=VOICE)
    voice_en: str = setting("en", "espeak-ng voice for English", pattern=VOICE)
    headphones: str = setting("auto", "auto: speech is on while headphones are plugged in, where the audio "
                                      "system tells; off: only the «Озвучить» button turns it on",
                              choices=("auto", "off"))
    headphones_interval: float = setting(2.0, "seconds between looks at the headphone jack", min=0.5, max=60)
    deadline: float = setting(60.0, "seconds one utterance may take before it is cut off", min=2, max=600)
