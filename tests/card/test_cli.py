"""The technician commands, run as real processes against the real stack."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from smartcard import scard

from devices.card.enp import mask_enp
from devices.card.profile import load_profile
from tests.card.conftest import TEST_VPCD_PORT, PcscdControl, wait_for_reader_state

pytestmark = pytest.mark.pcsc
ROOT = Path(__file__).resolve().parents[2]
DEMO = load_profile("demo").owner


def kiosk(*args: str, runtime: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if runtime is not None:
        env["KIOSK_RUNTIME_DIR"] = str(runtime)
    return subprocess.run([sys.executable, "-m", "kiosk", "--config", str(ROOT / "kiosk.ini"), *args],
                          capture_output=True, text=True, timeout=60, env=env, cwd=ROOT)


def test_read_masks_personal_data_unless_asked(insert_card: Any) -> None:
    insert_card("demo")
    masked = kiosk("card", "read", "--json")
    assert masked.returncode == 0, masked.stderr
    result = json.loads(masked.stdout)
    assert result["surname"] == DEMO.surname and result["policy"] == mask_enp(DEMO.policy)
    assert result["snils"] == "***-***-*** 95" and result["birth_date"] == "**.**.****"
    assert DEMO.policy not in masked.stdout and DEMO.birth_date[:4] not in masked.stdout
    assert result["apdu_count"] <= 8 and result["elapsed_ms"] > 0
    assert result["atr"].startswith("3B F7")
    full = json.loads(kiosk("card", "read", "--json", "--show-personal-data").stdout)
    assert full["policy"] == DEMO.policy
    assert full["birth_date"] == date.fromisoformat(DEMO.birth_date).strftime("%d.%m.%Y")
    text = kiosk("card", "read", "--reader", "PCD 00 00")
    assert text.returncode == 0 and "policy" in text.stdout and mask_enp(DEMO.policy) in text.stdout


def test_read_failures_exit_non_zero_with_a_reason(insert_card: Any) -> None:
    no_card = kiosk("card", "read")
    assert no_card.returncode == 3 and "no_card" in no_card.stderr
    no_reader = kiosk("card", "read", "--reader", "ACR38", "--json")
    assert no_reader.returncode == 2 and json.loads(no_reader.stdout)["error"] == "no_reader"
    insert_card("bank-card")
    bank = kiosk("card", "read")
    assert bank.returncode == 1 and "not_oms" in bank.stderr


def test_readers_lists_presence(insert_card: Any) -> None:
    empty = kiosk("card", "readers")
    assert empty.returncode == 0 and "Virtual PCD 00 00: empty" in empty.stdout
    insert_card("demo")
    assert "Virtual PCD 00 00: card present" in kiosk("card", "readers").stdout


def test_virtual_card_insert_and_remove(stack: PcscdControl, tmp_path: Path) -> None:
    inserted = kiosk("virtual-card", "insert", "expired", "--port", str(TEST_VPCD_PORT), runtime=tmp_path)
    assert inserted.returncode == 0, inserted.stderr
    try:
        assert (tmp_path / "virtual-card.pid").exists()
        assert kiosk("virtual-card", "insert", "demo", runtime=tmp_path).returncode == 1  # one card at a time
        read = kiosk("card", "read", "--json")
        assert read.returncode == 0 and json.loads(read.stdout)["expired"] is True
    finally:
        removed = kiosk("virtual-card", "remove", runtime=tmp_path)
    assert removed.returncode == 0, removed.stderr
    assert not (tmp_path / "virtual-card.pid").exists()
    assert kiosk("virtual-card", "remove", runtime=tmp_path).returncode == 1
    wait_for_reader_state(scard.SCARD_STATE_EMPTY)
    assert kiosk("card", "read").returncode == 3


def test_no_pcscd(pcscd: PcscdControl) -> None:
    pcscd.stop()
    for command in (("card", "read"), ("card", "readers")):
        result = kiosk(*command)
        assert result.returncode == 2 and "pcscd is not available" in result.stderr
