"""Read a WAV file back and measure it: is it speech or silence? (``kiosk speech-check --wav``, the tests)"""

from __future__ import annotations

import array
import math
import wave
from pathlib import Path


def wav_rms(path: Path) -> tuple[float, float]:
    """(seconds, RMS of the 16-bit samples as a share of full scale)."""
    with wave.open(str(path), "rb") as wav:
        if wav.getsampwidth() != 2:
            raise ValueError(f"{path}: not 16-bit PCM, as espeak-ng writes")
        frames = wav.readframes(wav.getnframes())
        seconds = wav.getnframes() / wav.getframerate()
    samples = array.array("h", frames)
    if not samples:
        return seconds, 0.0
    return seconds, math.sqrt(sum(s * s for s in samples) / len(samples)) / 32768
