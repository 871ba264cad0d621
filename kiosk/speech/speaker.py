"""Speaker: says one thing at a time on its own thread; a new ``say`` cuts off what is being said.

The UI thread only hands over text (never waits for the engine): ``say`` returns at once. Each utterance is a
child process of the engine, killed when something new is to be said, on ``stop`` or past ``[speech]
deadline``. What was said last is kept (``said``), masked as every spoken text is.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import threading
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from kiosk.speech.engine import sound_failed
from kiosk.speech.privacy import speakable

log = logging.getLogger(__name__)


class Engine(Protocol):
    def available(self) -> bool: ...

    def command(self, language: str) -> Sequence[str]: ...


@dataclass(frozen=True)
class Utterance:
    text: str
    language: str


class Speaker:
    def __init__(self, engine: Engine | None, deadline: float = 60.0, keep: int = 50) -> None:
        self._engine = engine if engine is not None and engine.available() else None
        if engine is not None and self._engine is None:
            log.warning("speech engine not installed: «Озвучить» stays silent")
        self._deadline = deadline
        self._lock = threading.Condition()
        self._pending: Utterance | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._closed = False
        #: the last utterances handed to the engine, newest last
        self.said: deque[Utterance] = deque(maxlen=keep)
        self._thread: threading.Thread | None = None
        #: utterances the engine failed to speak (not those cut off)
        self.failures = 0

    @property
    def enabled(self) -> bool:
        """An engine is there (``[speech] engine`` is not none and the program is installed)."""
        return self._engine is not None

    @property
    def speaking(self) -> bool:
        """An utterance is being spoken now."""
        with self._lock:
            return self._process is not None and self._process.poll() is None

    def say(self, text: str, language: str) -> None:
        """Say ``text`` (masked) instead of whatever is being said; returns at once."""
        spoken = speakable(text)
        if self._engine is None or self._closed or not spoken:
            return
        with self._lock:
            self._pending = Utterance(spoken, language)
            self._kill()
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="speaker", daemon=True)
                self._thread.start()
            self._lock.notify()

    def stop(self) -> None:
        """Stop speaking now (the patient left, speech was turned off)."""
        if self._process is None and self._pending is None:
            return  # nothing to stop: the UI tick calls this often
        with self._lock:
            self._pending = None
            self._kill()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._pending = None
            self._kill()
            self._lock.notify()
        if self._thread is not None:
            self._thread.join(timeout=2)

    def _kill(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()

    def _run(self) -> None:
        while True:
            with self._lock:
                while self._pending is None and not self._closed:
                    self._lock.wait()
                if self._closed:
                    return
                utterance, self._pending = self._pending, None
            assert utterance is not None and self._engine is not None
            try:  # started outside the lock: ``say`` on the UI thread never waits for a fork
                process = subprocess.Popen(list(self._engine.command(utterance.language)), stdin=subprocess.PIPE,
                                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            except OSError as error:
                log.warning("speech engine failed to start: %s", error)
                continue
            with self._lock:
                if self._pending is not None or self._closed:  # superseded while it was starting
                    process.kill()
                    process.wait()
                    continue
                self._process = process
                self.said.append(utterance)
            stderr = b""
            try:
                _out, stderr = process.communicate(utterance.text.encode("utf-8"), timeout=self._deadline)
            except subprocess.TimeoutExpired:
                log.warning("speech cut off after %.0f s", self._deadline)
                process.kill()
                process.communicate()
            except OSError:  # killed while its stdin was being written: something new is to be said
                process.communicate()
            with self._lock:
                self._process = None
            why = None if process.returncode == -signal.SIGKILL else sound_failed(process.returncode, stderr)
            if why is not None:
                self.failures += 1
                if self.failures == 1:  # once: a kiosk without a sound card would say it at every button
                    log.warning("speech not heard: %s (no sound card, or it is busy?)", why)
