"""The offline speech engine: espeak-ng (Debian's ``espeak-ng``) as a child process.

The text goes in on stdin (``--stdin``), never on the command line, so no text can be taken for an option.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from kiosk.speech.config import SpeechConfig

ESPEAK = "espeak-ng"


class SpeechError(RuntimeError):
    """The engine is missing, failed or ran past its deadline."""


def sound_failed(returncode: int, stderr: bytes) -> str | None:
    """Why espeak-ng was not heard, or None. Without a usable sound card it still exits 0, but says
    ``error: …`` (after ALSA's own complaints) on stderr."""
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    errors = [line for line in lines if "error" in line.lower()]
    if returncode != 0 or errors:
        return f"exit {returncode}: {(errors or lines or [''])[-1][:200]}"
    return None


@dataclass(frozen=True)
class EspeakEngine:
    config: SpeechConfig
    program: str = ESPEAK

    def available(self) -> bool:
        return shutil.which(self.program) is not None

    def command(self, language: str, wav: Path | None = None) -> list[str]:
        """The command line that speaks stdin in ``language`` (ru or en), to the sound card or to ``wav``."""
        voice = self.config.voice_en if language == "en" else self.config.voice_ru
        argv = [self.program, "-v", voice, "-s", str(self.config.rate), "-a", str(self.config.volume)]
        if wav is not None:
            argv += ["-w", str(wav)]
        return [*argv, "--stdin"]

    def render(self, text: str, language: str, wav: Path) -> Path:
        """Speak ``text`` into the WAV file ``wav`` (for tests and for the technician's check)."""
        try:
            done = subprocess.run(self.command(language, wav), input=text.encode("utf-8"),
                                  capture_output=True, timeout=self.config.deadline, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise SpeechError(f"{self.program}: {error}") from error
        if done.returncode != 0 or not wav.is_file():
            raise SpeechError(f"{self.program} exited {done.returncode}: "
                               f"{done.stderr.decode('utf-8', 'replace').strip()[-200:]}")
        return wav
