"""open_registry() for both kinds, the TLS options, and ``kiosk demo-registry`` as a real process."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from kiosk.clock import ManualClock
from kiosk.demo_registry import DEMO_PATIENTS
from kiosk.errors import RegistryUnavailable
from kiosk.registry.config import RegistryConfig
from kiosk.registry.emias import EmiasRegistry
from kiosk.registry.factory import open_registry, tls_options
from tests.pinned import TEST_NOW
from tests.registry.support import ELENA, key_of

ROOT = Path(__file__).resolve().parents[2]


def test_demo_kind_starts_a_registry_on_a_free_port_and_stops_it(tmp_path: Path) -> None:
    registry, stop = open_registry(RegistryConfig(demo_db=Path("var/reg.sqlite")), tmp_path, ManualClock(TEST_NOW))
    assert stop is not None
    try:
        assert registry.specialties(key_of(ELENA))
        assert (tmp_path / "var" / "reg.sqlite").exists()  # a relative demo_db lives in the data dir
    finally:
        registry.close()
        stop()
    again = EmiasRegistry(registry.rpc.url, 0.5, 0.5, read_retries=0)  # type: ignore[attr-defined]
    with pytest.raises(RegistryUnavailable):
        again.specialties(key_of(ELENA))


def test_emias_kind_starts_nothing(tmp_path: Path) -> None:
    registry, stop = open_registry(RegistryConfig(kind="emias", url="https://emias.example/api/"), tmp_path,
                                   ManualClock(TEST_NOW))
    assert stop is None and isinstance(registry, EmiasRegistry)
    assert registry.rpc.verify is True
    registry.close()


def test_tls_options(tmp_path: Path) -> None:
    assert tls_options(RegistryConfig()) == (True, None)
    bundle, cert, key = tmp_path / "ca.pem", tmp_path / "client.pem", tmp_path / "client.key"
    assert tls_options(RegistryConfig(ca_bundle=bundle, client_cert=cert)) == (str(bundle), str(cert))
    assert tls_options(RegistryConfig(client_cert=cert, client_key=key))[1] == (str(cert), str(key))
    assert tls_options(RegistryConfig(tls_verify=False, ca_bundle=bundle))[0] is False


def test_cli_runs_in_the_foreground_prints_patients_and_stops_on_sigterm(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kiosk",
            "demo-registry",
            "--port",
            "0",
            "--db",
            str(tmp_path / "cli.sqlite"),
            "--seed",
            "3",
            "--latency",
            "0",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert process.stdout is not None
        lines = []
        for line in process.stdout:
            lines.append(line)
            if line.startswith("Ctrl+C"):
                break
        text = "".join(lines)
        url = re.search(r"endpoint\s+(\S+)", text)
        assert url, text
        for patient in DEMO_PATIENTS:
            assert patient.policy in text and patient.birth_date.isoformat() in text
        elena = DEMO_PATIENTS[ELENA]
        answer = requests.post(
            url.group(1),
            json={
                "jsonrpc": "2.0",
                "id": "1",
                "method": "getSpecialitiesInfo",
                "params": {"omsNumber": elena.policy, "birthDate": elena.birth_date.isoformat()},
            },
            timeout=5,
        )
        assert answer.json()["result"]
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0


def test_registry_check_says_whether_the_registry_answers(tmp_path: Path, refused_url: str, capsys) -> None:
    from kiosk.cli import main
    from kiosk.demo_registry import start_demo_registry

    config = tmp_path / "kiosk.ini"
    config.write_text("[kiosk]\ndata_dir = .\n[registry]\nread_retries = 0\n", encoding="utf-8")
    with start_demo_registry(tmp_path / "check.sqlite", seed=1, clock=ManualClock(TEST_NOW)) as demo:
        assert main(["--config", str(config), "registry-check", "--url", demo.url]) == 0
        assert "PATIENT_NOT_FOUND" in capsys.readouterr().out
    assert main(["--config", str(config), "registry-check", "--url", refused_url]) == 1
    assert "NOT AVAILABLE" in capsys.readouterr().out
