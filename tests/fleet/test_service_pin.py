"""The service PIN: `kiosk set-pin` writes an scrypt hash (never the PIN) atomically with mode 0640; the
gate opens for it, locks after five wrong tries (even for the right PIN) and reopens after the lockout
on the pinned clock; a missing or malformed file never opens anything."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.clock import ManualClock
from kiosk.service_mode.pin import PinGate, Verdict, read_pin_file
from tests.fleet.support import write_ini

PIN = "48151623"


@pytest.fixture
def pin_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "secrets" / "service-pin"
    ini = write_ini(tmp_path, service={"pin_file": str(path)})
    monkeypatch.setattr("sys.stdin", io.StringIO(PIN + "\n"))
    assert main(["--config", str(ini), "set-pin", "--stdin"]) == 0
    return path


def test_the_file_holds_a_hash_not_the_pin(pin_file: Path) -> None:
    text = pin_file.read_text()
    assert text.startswith("scrypt$") and PIN not in text
    assert oct(pin_file.stat().st_mode & 0o777) == "0o640"
    assert [p.name for p in pin_file.parent.iterdir()] == ["service-pin"]


def test_five_wrong_pins_lock_the_entry_until_the_lockout_ends(pin_file: Path, clock: ManualClock) -> None:
    gate = PinGate(pin_file, clock, max_tries=5, lockout_s=300)
    assert gate.try_pin(PIN) is Verdict.OPEN
    for _ in range(4):
        assert gate.try_pin("00000000") is Verdict.WRONG
    assert gate.try_pin("1234") is Verdict.LOCKED  # the fifth wrong one (too short counts too)
    assert gate.try_pin(PIN) is Verdict.LOCKED
    assert gate.locked_for() == pytest.approx(300)
    clock.advance(299)
    assert gate.try_pin(PIN) is Verdict.LOCKED
    clock.advance(2)
    assert gate.locked_for() == 0
    assert gate.try_pin(PIN) is Verdict.OPEN


def test_a_right_pin_resets_the_count(pin_file: Path, clock: ManualClock) -> None:
    gate = PinGate(pin_file, clock, max_tries=3)
    assert gate.try_pin("11111111") is Verdict.WRONG
    assert gate.try_pin("22222222") is Verdict.WRONG
    assert gate.try_pin(PIN) is Verdict.OPEN
    assert gate.try_pin("33333333") is Verdict.WRONG


def test_no_file_or_a_broken_one_opens_nothing(tmp_path: Path, clock: ManualClock) -> None:
    missing = tmp_path / "nothing"
    assert PinGate(missing, clock).try_pin(PIN) is Verdict.NO_PIN
    broken = tmp_path / "broken"
    for text in ("", PIN, "scrypt$15$8$1$short$short", "scrypt$40$8$1$" + "A" * 24 + "$" + "B" * 44):
        broken.write_text(text)
        assert read_pin_file(broken) is None
        assert PinGate(broken, clock).try_pin(PIN) is Verdict.NO_PIN


def test_set_pin_refuses_a_short_pin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "service-pin"
    ini = write_ini(tmp_path, service={"pin_file": str(path)})
    monkeypatch.setattr("sys.stdin", io.StringIO("1234\n"))
    assert main(["--config", str(ini), "set-pin", "--stdin"]) == 1
    assert "6 to 12 digits" in capsys.readouterr().err
    assert not path.exists()
