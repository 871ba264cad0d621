"""Technician command for speech («Озвучить»).

``kiosk speech-check [--text TEXT] [--language ru|en] [--wav FILE]``
    Says which engine and voice [speech] uses and whether headphones are plugged in (plugged, unplugged,
    unknown), then speaks TEXT through the sound card, or with ``--wav`` into FILE and tells its length and
    loudness (RMS). Exit 0 = spoken (the WAV is not silence); 1 = the engine failed or the WAV is silent;
    2 = ``engine = none`` or espeak-ng is not installed.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from pathlib import Path

from kiosk.config import load_config
from kiosk.speech.engine import EspeakEngine, SpeechError, sound_failed
from kiosk.speech.headphones import headphones_plugged
from kiosk.speech.wav import wav_rms

EXIT_OK, EXIT_FAILED, EXIT_NO_ENGINE = 0, 1, 2
#: RMS (share of full scale) below which a rendering counts as silence
SILENCE = 0.005
SAMPLE = {"ru": "Проверка звука инфомата. Раз, два, три.", "en": "Kiosk sound check. One, two, three."}


def register(subparsers: argparse._SubParsersAction) -> None:
    check = subparsers.add_parser("speech-check", help="speak a test phrase; tell the engine and the headphones")
    check.add_argument("--text", default=None, help="what to say (default: a sound check phrase)")
    check.add_argument("--language", choices=("ru", "en"), default="ru", help="voice to use (default ru)")
    check.add_argument("--wav", type=Path, default=None, help="speak into this WAV file instead of the sound card")
    check.set_defaults(func=run_check)


def run_check(args: argparse.Namespace) -> int:
    speech = load_config(args.config).speech
    plugged = headphones_plugged()
    print(f"headphones: {'unknown' if plugged is None else 'plugged' if plugged else 'unplugged'}"
          f" ([speech] headphones = {speech.headphones})")
    engine = EspeakEngine(speech)
    if speech.engine == "none" or not engine.available():
        print("engine: none" if speech.engine == "none" else f"engine: {engine.program} is not installed")
        return EXIT_NO_ENGINE
    voice = speech.voice_en if args.language == "en" else speech.voice_ru
    print(f"engine: {engine.program}, voice {voice}, rate {speech.rate}, volume {speech.volume}")
    text = args.text or SAMPLE[args.language]
    if args.wav is None:
        return _to_sound_card(engine, text, args.language, speech.deadline)
    try:
        seconds, rms = wav_rms(engine.render(text, args.language, args.wav))
    except (SpeechError, ValueError, OSError) as error:
        print(f"failed: {error}")
        return EXIT_FAILED
    print(f"wav: {args.wav}: {seconds:.1f} s, RMS {rms:.3f}{' (silence)' if rms < SILENCE else ''}")
    return EXIT_OK if rms >= SILENCE else EXIT_FAILED


def _to_sound_card(engine: EspeakEngine, text: str, language: str, deadline: float) -> int:
    with tempfile.TemporaryFile() as errors:
        try:
            done = subprocess.run(engine.command(language), input=text.encode("utf-8"), stdout=subprocess.DEVNULL,
                                  stderr=errors, timeout=deadline, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            print(f"failed: {error}")
            return EXIT_FAILED
        errors.seek(0)
        why = sound_failed(done.returncode, errors.read())
    if why is not None:
        print(f"not heard: {engine.program} {why} (no sound card, or it is busy?)")
        return EXIT_FAILED
    print("spoken through the sound card")
    return EXIT_OK
