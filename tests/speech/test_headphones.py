"""Headphones from what the audio system prints; anything it does not say is unknown, and unknown is off."""

from __future__ import annotations

import threading

from kiosk.speech.headphones import HeadphonesWatch, amixer_jack, pactl_headphones

SINKS_PLUGGED = """Sink #0
\tState: SUSPENDED
\tName: alsa_output.pci-0000_00_1f.3.analog-stereo
\tPorts:
\t\tanalog-output-speaker: Speakers (type: Speaker, priority: 10000, availability unknown)
\t\tanalog-output-headphones: Headphones (type: Headphones, priority: 9900, availability group: Legacy 2, available)
\tActive Port: analog-output-headphones
\tFormats:
\t\tpcm
"""
SINKS_UNPLUGGED = SINKS_PLUGGED.replace("Legacy 2, available)", "Legacy 2, not available)")
SINKS_NO_JACK = """Sink #0
\tPorts:
\t\tanalog-output: Analog Output (type: Analog, priority: 9900, availability unknown)
\tActive Port: analog-output
"""
AMIXER_ON = """numid=18,iface=CARD,name='Headphone Jack'
  ; type=BOOLEAN,access=r-------,values=1
  : values=on
"""


def test_pactl_tells_plugged_unplugged_or_nothing() -> None:
    assert pactl_headphones(SINKS_PLUGGED) is True
    assert pactl_headphones(SINKS_UNPLUGGED) is False
    assert pactl_headphones(SINKS_NO_JACK) is None
    assert pactl_headphones("") is None
    assert pactl_headphones("\x00garbage (available)\n\tPorts:\n\t\t:::") is None


def test_amixer_jack_state() -> None:
    assert amixer_jack(AMIXER_ON) is True
    assert amixer_jack(AMIXER_ON.replace("values=on", "values=off")) is False
    assert amixer_jack("amixer: Cannot find the given element from control hw:0") is None


def test_the_watch_tells_changes_only_and_survives_a_failing_look() -> None:
    answers: list[bool | Exception | None] = [None, True, True, RuntimeError("pactl crashed"), False, True]
    heard: list[bool] = []

    def ask() -> bool | None:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    watch = HeadphonesWatch(heard.append, interval=60, ask=ask)
    for _ in range(6):
        watch.look()
    assert heard == [True, False, True]


def test_the_watch_thread_stops() -> None:
    looked = threading.Event()
    watch = HeadphonesWatch(lambda _plugged: None, interval=0.5, ask=lambda: looked.set() or None)
    watch.start()
    assert looked.wait(5)
    watch.stop()
    assert not any(t.name == "headphones" and t.is_alive() for t in threading.enumerate())
