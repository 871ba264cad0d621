"""A real Kivy window (SDL offscreen without a display) driven by taps, on the embedded demo."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.clock import ManualClock
from kiosk.config import KioskConfig, load_config
from kiosk.config.edit import ini_with

ROOT = Path(__file__).resolve().parents[2]


def demo_config(tmp: Path, **overrides: str) -> KioskConfig:
    """The shipped kiosk.ini, with every file in ``tmp`` and a small, unanimated window."""
    text = (ROOT / "kiosk.ini").read_text(encoding="utf-8")
    values = {
        ("kiosk", "data_dir"): str(tmp),
        ("registry", "demo_db"): str(tmp / "registry.sqlite"),
        ("printer", "path"): str(tmp / "tickets"),
        ("ui", "width"): "540",
        ("ui", "height"): "960",
        ("ui", "transitions"): "no",
        ("card_reader", "kind"): "none",
        ("scanner", "kind"): "none",
        ("metrics", "port"): "0",  # no endpoint: the tests' kiosks would compete for the shipped port
    }
    for key, value in overrides.items():
        section, name = key.split("__")
        values[(section, name)] = value
    path = tmp / "kiosk.ini"
    path.write_text(ini_with(text, values), encoding="utf-8")
    return load_config(path)


@pytest.fixture(scope="session")
def window_ready() -> None:
    from screens.pilot import configure_window

    configure_window(demo_config(Path("/tmp")).ui)


@pytest.fixture
def pilot(tmp_path: Path, window_ready: None, clock: ManualClock) -> Iterator[object]:
    from kiosk.app.pilot import open_pilot  # imports kivy: only once the window is configured

    config = demo_config(tmp_path)
    driver = open_pilot(config, clock)
    yield driver
    driver.close()
