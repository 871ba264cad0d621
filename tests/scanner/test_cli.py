"""``kiosk scanner decode`` and ``kiosk scanner listen``, run as real processes (listen through a pty)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from devices.scanner.virtual_scanner import VirtualScanner, demo_paper_policy
from kiosk.config.edit import ini_with
from kiosk.domain import PatientKey
from kiosk.tickets.check_in_pass import seal
from tests.pinned import TEST_NOW
from tests.scanner.samples import TYPE_01, TYPE_02

ROOT = Path(__file__).resolve().parents[2]
KEY = bytes(range(7, 39))


@pytest.fixture
def ini(tmp_path: Path) -> Path:
    (tmp_path / "ticket.key").write_bytes(KEY)
    path = tmp_path / "kiosk.ini"
    path.write_text(ini_with((ROOT / "kiosk.ini").read_text(encoding="utf-8"), {
        ("kiosk", "data_dir"): str(tmp_path / "data"), ("scanner", "ticket_key_file"): str(tmp_path / "ticket.key")}),
        encoding="utf-8")
    return path


def kiosk(ini: Path, *args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "kiosk", "--config", str(ini), *args], capture_output=True,
                          text=True, timeout=60, env=env, cwd=ROOT, **kwargs)  # type: ignore[call-overload]


def test_decode_both_published_samples_masked_by_default(ini: Path) -> None:
    first = kiosk(ini, "scanner", "decode", "--json", "--hex", TYPE_01.hex())
    assert first.returncode == 0, first.stderr
    fields = json.loads(first.stdout)
    assert fields["card_type"] == "paper_policy_01" and fields["kind"] == "paper_policy"
    assert (fields["surname"], fields["name"], fields["patronymic"]) == ("ПАРФЕНОВА", "ЕКАТЕРИНА", "ДМИТРИЕВНА")
    assert (fields["sex"], fields["expiry"]) == ("female", "not limited")
    assert (fields["insurer_ogrn"], fields["insurer_okato"]) == ("1027739008440", "63000")
    assert fields["policy"] == "6449 **** **** 6380" and fields["birth_date"] == "**.**.****"
    assert "6449020886006380" not in first.stdout and "1979" not in first.stdout
    second = kiosk(ini, "scanner", "decode", "--json", "--show-personal-data", "--hex", TYPE_02.hex(" "))
    fields = json.loads(second.stdout)
    assert fields["policy"] == "6449020886006380" and fields["birth_date"] == "18.06.1992"
    assert fields["surname"] == "ШМАТОВА" and fields["hex"].startswith("02 00 16 E9")


def test_decode_refusals_and_bad_hex(ini: Path) -> None:
    damaged = bytearray(TYPE_02)
    damaged[8] ^= 1
    refused = kiosk(ini, "scanner", "decode", "--json", "--hex", bytes(damaged).hex())
    assert refused.returncode == 1
    assert json.loads(refused.stdout)["error"] == "check_digit"
    url = kiosk(ini, "scanner", "decode", "--hex", b"https://example.org/7700000000000016".hex())
    assert url.returncode == 1 and "This code does not fit" in url.stdout and "7700000000000016" not in url.stdout
    assert kiosk(ini, "scanner", "decode", "--hex", "zz").returncode == 2


def test_decode_checks_a_ticket_with_the_kiosks_key(ini: Path) -> None:
    patient = PatientKey("7700000000000024", TEST_NOW.date() - timedelta(days=365 * 40))
    today = kiosk(ini, "scanner", "decode", "--json", "--hex", seal(KEY, patient, 4242, TEST_NOW.date()).encode().hex())
    assert today.returncode == 0, today.stdout
    assert json.loads(today.stdout)["appointment_id"] == 4242
    other = kiosk(ini, "scanner", "decode", "--hex", seal(bytes(32), patient, 4242, TEST_NOW.date()).encode().hex())
    assert other.returncode == 1 and "cannot be checked here" in other.stdout


def test_listen_prints_each_scan_masked(ini: Path, tmp_path: Path) -> None:
    scanner = VirtualScanner(link=tmp_path / "ttyACM0")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "kiosk", "--config", str(ini), "scanner", "listen", "--port",
                                scanner.port, "--count", "2", "--seconds", "30"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline(), process.stdout.readline()]
        assert lines[0].startswith("listening on") and lines[1].startswith("scanner available"), lines
        time.sleep(0.2)
        scanner.scan(demo_paper_policy(), pieces=[64], pause=0.01)
        time.sleep(0.5)
        scanner.scan(b"7700000000000024\r")
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
        scanner.close()
    assert process.returncode == 0, err
    assert "scan 1: bytes=130; kind=paper_policy" in out and "surname=ПЕТРОВ" in out
    assert "scan 2: bytes=17; kind=policy_number" in out
    assert "7700000000000024" not in out and "7700 **** **** 0024" in out and "1960" not in out


def test_a_refused_text_never_shows_a_number_in_full(ini: Path) -> None:
    grouped = kiosk(ini, "scanner", "decode", "--json", "--hex", b"7700 0000 0000 0017".hex())
    assert grouped.returncode == 1
    assert json.loads(grouped.stdout)["text"] == "7700 **** **** 0017"
    snils = kiosk(ini, "scanner", "decode", "--json", "--hex", b"112-233-445 95".hex())
    assert json.loads(snils.stdout)["text"] == "***-***-*** **"


def test_a_named_ticket_key_that_is_not_there_stops_the_start(ini: Path, tmp_path: Path) -> None:
    text = ini.read_text(encoding="utf-8")
    bad = tmp_path / "bad.ini"
    bad.write_text(ini_with(text, {("scanner", "ticket_key_file"): str(tmp_path / "nowhere.key")}), encoding="utf-8")
    checked = kiosk(bad, "check-config", str(bad))
    assert checked.returncode == 2
    said = checked.stderr + checked.stdout
    assert "[scanner] ticket_key_file" in said and "32 bytes" in said
