"""The README's demo patients are the demo registry's; its commands exist."""

from __future__ import annotations

from pathlib import Path

from kiosk.demo_registry import DEMO_PATIENTS

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_demo_patient_is_listed() -> None:
    for patient in DEMO_PATIENTS:
        assert f"| {patient.policy} | {patient.birth_date:%d.%m.%Y} | {patient.full_name} |" in README


def test_the_two_commands_are_scripts_here() -> None:
    for command in ("bash .ci/demo", "bash .ci/test"):
        assert command in README
        assert (ROOT / command.split()[1]).is_file()
    assert "bash .ci/test" in (ROOT / ".ci/run").read_text(encoding="utf-8")
