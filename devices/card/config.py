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
