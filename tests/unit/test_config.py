"""kiosk.ini → frozen dataclasses; every problem names file, section, key and what is allowed."""

from __future__ import annotations

import configparser
import dataclasses
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.config import SECTIONS, ConfigError, load_config

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "kiosk.ini"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kiosk.ini"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_file_loads_with_demo_defaults() -> None:
    config = load_config(SHIPPED)
    assert config.registry.kind == "demo"
    assert config.card_reader.kind == "virtual"
    assert config.printer.kind == "preview"
    assert config.ui.fullscreen is False
    assert config.kiosk.data_dir == ROOT / "var"
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.ui.idle_timeout = 5  # type: ignore[misc]


def test_shipped_file_lists_every_key_with_a_comment() -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(text)
    lines = text.splitlines()
    for section, kind in SECTIONS.items():
        assert parser.has_section(section), section
        for field in dataclasses.fields(kind):
            assert parser.has_option(section, field.name), f"[{section}] {field.name} missing from kiosk.ini"
            index = next(i for i, line in enumerate(lines) if re.match(rf"{field.name}\s*=", line))
            above = lines[index - 1]
            assert above.startswith("#") or re.match(r"\w+\s*=", above), f"{field.name} has no comment"


def test_empty_file_gives_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, ""))
    assert config.ui.idle_timeout == 90
    assert config.registry.read_timeout == 10.0


def test_misspelled_key_names_file_section_and_key(tmp_path: Path) -> None:
    path = write(tmp_path, "[ui]\nidle_timout = 30\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert str(path) in message and "[ui]" in message and "idle_timout" in message
    assert "idle_timeout" in message  # the keys that exist are listed


def test_unknown_section(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"\[printr\].*unknown section"):
        load_config(write(tmp_path, "[printr]\nkind = file\n"))


@pytest.mark.parametrize(("section", "key", "value", "allowed"), [
    ("ui", "idle_timeout", "soon", "a whole number from 10 to 3600"),
    ("ui", "idle_timeout", "5", "a whole number from 10 to 3600"),
    ("ui", "fullscreen", "maybe", "yes or no"),
    ("registry", "kind", "cloud", "one of: demo, emias"),
    ("registry", "read_timeout", "-1", "from 0.1 to 120"),
    ("registry", "call_deadline", "0", "from 1 to 300"),
    ("registry", "max_answer_kb", "100000", "a whole number from 64 to 65536"),
    ("kiosk", "kiosk_id", "кабинет 1", "matching"),
])
def test_bad_values_say_what_is_allowed(tmp_path: Path, section: str, key: str, value: str, allowed: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, f"[{section}]\n{key} = {value}\n"))
    message = str(caught.value)
    assert f"[{section}] {key}" in message
    assert repr(value) in message
    assert allowed in message


def test_relative_paths_are_relative_to_the_file(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "[kiosk]\ndata_dir = state\n"))
    assert config.kiosk.data_dir == tmp_path / "state"


def test_not_an_ini_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not a valid ini file"):
        load_config(write(tmp_path, "just text\n"))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "nope.ini")


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def test_check_config_cli(tmp_path: Path) -> None:
    good = run_cli("check-config", str(SHIPPED))
    assert good.returncode == 0, good.stderr
    bad_path = tmp_path / "kiosk.ini"
    bad_path.write_text(SHIPPED.read_text(encoding="utf-8").replace("read_timeout =", "read_timout ="),
                        encoding="utf-8")
    bad = run_cli("check-config", str(bad_path))
    assert bad.returncode != 0
    line = bad.stderr.strip().splitlines()[-1]
    assert str(bad_path) in line and "[registry]" in line and "read_timout" in line


def test_ini_with_replaces_values_and_keeps_the_rest() -> None:
    from kiosk.config.edit import ini_with

    text = "[ui]\n# seconds\nidle_timeout = 90\n[kiosk]\nidle_timeout = 5\n"
    changed = ini_with(text, {("ui", "idle_timeout"): "60"})
    assert changed == "[ui]\n# seconds\nidle_timeout = 60\n[kiosk]\nidle_timeout = 5\n"
    with pytest.raises(KeyError, match="idle_timout"):
        ini_with(text, {("ui", "idle_timout"): "60"})
