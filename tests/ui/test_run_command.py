"""The README's promise without a display: `kiosk` books a visit and says where to look."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ui.conftest import demo_config

pytestmark = pytest.mark.ui
ROOT = Path(__file__).resolve().parents[2]


def test_kiosk_without_display_walks_through_and_saves_the_ticket(tmp_path: Path) -> None:
    config = demo_config(tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")}
    done = subprocess.run([sys.executable, "-m", "kiosk", "--config", str(config.path)], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "no display found" in done.stderr
    booked = re.search(r"Booked: appointment (\d+)", done.stdout)
    assert booked, done.stdout
    shots_dir = tmp_path / "walkthrough"
    assert f"Screenshots of every screen: {shots_dir}" in done.stdout
    names = sorted(p.name for p in shots_dir.glob("[01]*.png"))
    assert names[:10] == ["01-welcome.png", "02-identify.png", "03-specialty.png", "04-doctor.png", "05-slot.png",
                          "06-confirm.png", "07-done.png",  # the booking, then from the start screen: check-in
                          "08-welcome.png", "09-identify.png", "10-visits.png"]
    # then «Я пришёл» (or, at an hour when the registry's check-in window is closed, the visits' message),
    # the queue ticket without identification, and the doctors' schedules without identification
    assert names[-4:] == [f"{len(names) - 3:02d}-welcome.png", f"{len(names) - 2:02d}-schedule_specialty.png",
                          f"{len(names) - 1:02d}-schedule_doctor.png", f"{len(names):02d}-schedule_hours.png"]
    assert sum(name.endswith("-done.png") for name in names) >= 2
    assert f"Ticket: {shots_dir / 'ticket.png'}" in done.stdout
    # nothing personal in what the kiosk logged
    from kiosk.demo_registry import DEMO_PATIENTS

    patient = next(p for p in DEMO_PATIENTS if p.kind == "attached")
    assert patient.policy not in done.stderr and patient.birth_date.isoformat() not in done.stderr
