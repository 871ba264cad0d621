"""Are headphones plugged in? Asked of the audio system, defensively: PulseAudio/PipeWire (``pactl list
sinks``), else ALSA's jack control (``amixer cget``). Any failure, timeout or answer that does not say is
``None`` — unknown, which counts as "not plugged in"."""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)

ASK_TIMEOUT = 2.0
_PORT = re.compile(r"^\s*([\w.\-:]+):\s.*\((.*)\)\s*$")
_HEADPHONE = re.compile(r"headphone|headset", re.IGNORECASE)


def pactl_headphones(sinks: str) -> bool | None:
    """From ``pactl list sinks``: True if a headphone port says ``available``, False if every headphone port
    says ``not available``, None if no headphone port (or no availability) is listed."""
    seen: list[bool] = []
    in_ports = False
    for line in sinks.splitlines():
        stripped = line.strip()
        if stripped.startswith("Ports:"):
            in_ports = True
            continue
        if in_ports and stripped.startswith("Active Port:"):
            in_ports = False
            continue
        match = _PORT.match(line) if in_ports else None
        if match is None or not _HEADPHONE.search(match.group(1)):
            continue
        details = match.group(2).lower()
        if "not available" in details:
            seen.append(False)
        elif re.search(r"(?<!not )\bavailable\b", details):
            seen.append(True)
    return any(seen) if seen else None


def amixer_jack(cget: str) -> bool | None:
    """From ``amixer cget iface=CARD,name='Headphone Jack'``: the ``: values=on|off`` line."""
    match = re.search(r":\s*values=(on|off)\b", cget)
    return None if match is None else match.group(1) == "on"


def _ask(argv: list[str]) -> str | None:
    if shutil.which(argv[0]) is None:
        return None
    try:
        done = subprocess.run(argv, capture_output=True, timeout=ASK_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        log.debug("%s: %s", argv[0], error)
        return None
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", "replace")


def headphones_plugged() -> bool | None:
    """True, False, or None when the audio system does not tell."""
    sinks = _ask(["pactl", "list", "sinks"])
    state = pactl_headphones(sinks) if sinks is not None else None
    if state is None:
        jack = _ask(["amixer", "-c", "0", "cget", "iface=CARD,name=Headphone Jack"])
        state = amixer_jack(jack) if jack is not None else None
    return state


class HeadphonesWatch:
    """Looks at the jack every ``interval`` seconds on its own thread; ``changed(plugged)`` hears each change
    (on that thread: the composition root hands it to the UI thread). Unknown counts as unplugged."""

    def __init__(self, changed: Callable[[bool], None], interval: float,
                 ask: Callable[[], bool | None] = headphones_plugged) -> None:
        self._changed = changed
        self._interval = interval
        self._ask = ask
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.plugged = False

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="headphones", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=ASK_TIMEOUT * 2 + 1)

    def look(self) -> None:
        """One look; tells ``changed`` when the state differs from the last one."""
        try:
            plugged = self._ask() is True
        except Exception:  # the watch must outlive any surprise from the audio system
            log.exception("headphones: look failed")
            plugged = False
        if plugged != self.plugged:
            self.plugged = plugged
            log.info("headphones %s", "plugged in" if plugged else "unplugged")
            self._changed(plugged)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.look()
            self._stop.wait(self._interval)
