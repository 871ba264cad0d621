"""Sections of kiosk.ini owned by the application itself."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kiosk.errands import ALLOWED as ERRANDS_ALLOWED
from kiosk.errands import DEFAULT as DEFAULT_ERRANDS
from kiosk.ini_schema import setting


@dataclass(frozen=True)
class KioskSection:
    kiosk_id: str = setting("demo-01", "name of this terminal on tickets and in logs",
                            pattern=r"[A-Za-z0-9._-]{1,32}")
    region: str = setting("77", "two-digit region code of this polyclinic (the first digits of local policies)",
                          pattern=r"[0-9]{2}")
    language: str = setting("ru", "language of the patient screens", choices=("ru", "en"))
    data_dir: Path = setting(Path("var"), "where the kiosk keeps its files (tickets, screenshots, databases); "
                             "empty = $STATE_DIRECTORY under systemd, else var beside kiosk.ini")


@dataclass(frozen=True)
class UiSection:
    fullscreen: bool = setting(False, "cover the whole display (yes on a terminal)")
    width: int = setting(1080, "window width in pixels when not fullscreen", min=320, max=7680)
    height: int = setting(1920, "window height in pixels when not fullscreen", min=240, max=7680)
    idle_timeout: int = setting(90, "seconds without a touch before asking if the patient is still there",
                                min=10, max=3600)
    idle_warning: int = setting(30, "seconds of visible countdown before the patient is forgotten",
                                min=20, max=300)
    done_timeout: int = setting(30, "seconds the final screen stays before returning to the start",
                                min=5, max=600)
    transitions: bool = setting(True, "animate screen changes (off makes the UI feel faster on slow GPUs)")
    errands: str = setting(DEFAULT_ERRANDS, "the start screen's errands, in this order: " + ERRANDS_ALLOWED)


@dataclass(frozen=True)
class LoggingSection:
    level: str = setting("INFO", "log level", choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    target: str = setting(
        "auto", "where log lines go: journal (native protocol, structured fields), stderr, or auto "
                "(journal when systemd connected stderr to it)", choices=("auto", "journal", "stderr"))
