"""``kiosk speech-check``, run as a real process with the real espeak-ng."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.config.edit import ini_with
from kiosk.speech.wav import wav_rms

ROOT = Path(__file__).resolve().parents[2]


def kiosk(tmp_path: Path, *args: str, **speech: str) -> subprocess.CompletedProcess[str]:
    ini = tmp_path / "kiosk.ini"
    values = {("kiosk", "data_dir"): str(tmp_path / "data"), **{("speech", k): v for k, v in speech.items()}}
    ini.write_text(ini_with((ROOT / "kiosk.ini").read_text(encoding="utf-8"), values), encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "kiosk", "--config", str(ini), "speech-check", *args],
                          capture_output=True, text=True, timeout=60, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_speaks_into_a_wav_and_measures_it(tmp_path: Path) -> None:
    done = kiosk(tmp_path, "--wav", str(tmp_path / "check.wav"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "engine: espeak-ng, voice ru, rate 140, volume 100" in done.stdout
    assert "headphones: " in done.stdout
    seconds, rms = wav_rms(tmp_path / "check.wav")
    assert f"{seconds:.1f} s, RMS {rms:.3f}" in done.stdout and rms > 0.02


def test_silence_is_a_failure_and_no_engine_says_so(tmp_path: Path) -> None:
    silent = kiosk(tmp_path, "--wav", str(tmp_path / "0.wav"), volume="0")
    assert silent.returncode == 1 and "(silence)" in silent.stdout
    none = kiosk(tmp_path, engine="none")
    assert none.returncode == 2 and "engine: none" in none.stdout


def test_a_bad_voice_is_a_technicians_message(tmp_path: Path) -> None:
    done = kiosk(tmp_path, "--wav", str(tmp_path / "x.wav"), voice_ru="zz-no-such-voice")
    assert done.returncode == 1 and "voice does not exist" in done.stdout


def test_without_a_sound_card_it_is_not_heard_never_fine(tmp_path: Path) -> None:
    if Path("/dev/snd").exists():
        pytest.skip("this machine has a sound card")
    done = kiosk(tmp_path)
    assert done.returncode == 1 and "not heard" in done.stdout, done.stdout
