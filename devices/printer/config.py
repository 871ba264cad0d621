"""[printer] section. Plain dataclass: devices never import kiosk."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class PrinterConfig:
    kind: str = field(default="preview", metadata={
        "help": "preview = render the ticket to PNG on screen; file = write ESC/POS bytes to a file or device",
        "choices": ("preview", "file")})
    path: Path = field(default=Path("var/tickets"), metadata={
        "help": "preview: directory for ticket PNGs; file: the file or device to write to"})
    columns: int = field(default=48, metadata={"help": "characters per line (48 for 80 mm, 32 for 58 mm)",
                                                 "min": 24, "max": 64})
