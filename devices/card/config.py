"""[card_reader] section. Plain dataclass: devices never import kiosk."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CardReaderConfig:
    kind: str = field(default="virtual", metadata={
        "help": "pcsc = a real PC/SC reader; virtual = the built-in virtual OMS card over vpcd; "
                "none = typed entry only",
        "choices": ("pcsc", "virtual", "none")})
    reader: str = field(default="", metadata={
        "help": "part of the reader name to use (empty = the first reader)"})
    virtual_profile: str = field(default="demo", metadata={
        "help": "virtual card profile: a name from devices/card/profiles or a path to a JSON file",
        "pattern": r"[A-Za-z0-9._/-]{1,200}"})
    start_pcscd: bool = field(default=True, metadata={
        "help": "kind = virtual: start a private pcscd with the vpcd reader if none is running (needs root)"})
    apdu_timeout: float = field(default=3.0, metadata={
        "help": "seconds to wait for the card to answer one command before calling it mute",
        "min": 0.5, "max": 30})
    poll_interval: float = field(default=0.5, metadata={
        "help": "seconds between checks of the reader for a card (also the first retry delay)",
        "min": 0.1, "max": 10})
    reject_expired: bool = field(default=True, metadata={
        "help": "refuse a card whose policy expiry date has passed (yes) or let the registry decide (no)"})
