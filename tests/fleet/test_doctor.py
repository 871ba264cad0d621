"""``kiosk doctor`` against real parts: the demo registry over HTTP (and HTTPS), a pty and a TCP printer
emulator, a real data directory, pcscd as it is on this machine, and a stand-in timedatectl on PATH."""

from __future__ import annotations

import json
import os
import shutil
import socket
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from devices.printer.emulator import PtyPrinter, TcpPrinter
from kiosk.cli import main
from kiosk.clock import ManualClock
from kiosk.demo_registry import DemoRegistryHandle, TlsFiles, start_demo_registry
from tests.fleet.support import write_ini

NO_READER = {"card_reader": {"kind": "none"}}


def doctor(capsys: pytest.CaptureFixture[str], ini: Path) -> tuple[int, dict[str, dict[str, str]]]:
    code = main(["--config", str(ini), "doctor", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is (code == 0)
    return code, {check["check"]: check for check in report["checks"]}


@pytest.fixture
def timedatectl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A timedatectl on PATH that prints ``answer`` (the file beside it) like ``timedatectl show``."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    answer = bin_dir / "answer"
    answer.write_text("Timezone=Europe/Moscow\nNTP=yes\nNTPSynchronized=yes\n")
    script = bin_dir / "timedatectl"
    script.write_text(f"#!/bin/sh\ncat {answer}\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    yield answer


@pytest.fixture
def demo(tmp_path: Path, clock: ManualClock) -> Iterator[DemoRegistryHandle]:
    with start_demo_registry(tmp_path / "standalone.sqlite", seed=1, clock=clock) as handle:
        yield handle


def test_the_demo_kiosk_is_healthy(capsys: pytest.CaptureFixture[str], tmp_path: Path, timedatectl: Path) -> None:
    code, checks = doctor(capsys, write_ini(tmp_path, **NO_READER))
    assert code == 0
    for name in ("config", "data_dir", "clock", "printer", "registry.read"):
        assert checks[name]["status"] == "ok", checks[name]
    assert checks["card_reader"]["status"] == "skipped"
    assert "answers JSON-RPC" in checks["registry.read"]["summary"]


def test_plain_lines_say_what_to_do(capsys: pytest.CaptureFixture[str], tmp_path: Path, timedatectl: Path) -> None:
    timedatectl.write_text("Timezone=UTC\nNTP=no\nNTPSynchronized=no\n")
    code = main(["--config", str(write_ini(tmp_path, **NO_READER)), "doctor"])
    lines = capsys.readouterr().out.splitlines()
    assert code == 1
    assert any(line.startswith("FAIL    clock") for line in lines)
    assert any("systemctl enable --now systemd-timesyncd" in line for line in lines)
    assert any(line.startswith("WARN    clock") and "UTC" in line for line in lines)


def test_a_broken_config_is_the_one_failure(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, checks = doctor(capsys, write_ini(tmp_path, ui={"idle_timeout": "soon"}))
    assert code == 1
    assert list(checks) == ["config"]
    assert "[ui] idle_timeout" in checks["config"]["summary"]
    assert "kiosk.ini:" in checks["config"]["summary"]


def test_unwritable_data_dir_fails(capsys: pytest.CaptureFixture[str], tmp_path: Path, timedatectl: Path) -> None:
    ini = write_ini(tmp_path, **NO_READER)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    # the registry's database stays writable, so only the data directory is at fault
    ini.write_text(ini.read_text().replace(str(tmp_path / "var"), str(blocker / "var"), 1).replace(
        "demo_db = var/demo-registry.sqlite", f"demo_db = {tmp_path / 'demo.sqlite'}"))
    code = main(["--config", str(ini), "doctor", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    failed = {c["check"] for c in out["checks"] if c["status"] == "fail"}
    assert failed & {"config", "data_dir"}, out


def test_free_space_threshold_warns(capsys: pytest.CaptureFixture[str], tmp_path: Path, timedatectl: Path) -> None:
    code, checks = doctor(capsys, write_ini(tmp_path, doctor={"min_free_mb": "1000000"}, **NO_READER))
    if shutil.disk_usage(tmp_path).free >= 1_000_000 * 1024 * 1024:
        pytest.skip("this disk has a terabyte free")
    assert code == 0
    assert checks["data_dir"]["status"] == "warn"
    assert "min_free_mb" in checks["data_dir"]["summary"]


def test_no_timedatectl_is_unknown_not_ok(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                          timedatectl: Path) -> None:
    timedatectl.parent.joinpath("timedatectl").write_text("#!/bin/sh\necho 'Failed to connect to bus' >&2\nexit 1\n")
    _, checks = doctor(capsys, write_ini(tmp_path, **NO_READER))
    assert checks["clock"]["status"] == "unknown"


@pytest.mark.parametrize(("fault", "status", "words"), [
    ({"paper_out": True}, "fail", "new paper roll"),
    ({"paper_near_end": True}, "warn", "soon"),
    ({"cover_open": True}, "fail", "cover"),
    ({"silent": True}, "fail", "power and cable"),
    ({}, "ok", ""),
])
def test_serial_printer_states(capsys: pytest.CaptureFixture[str], tmp_path: Path, timedatectl: Path,
                               fault: dict[str, bool], status: str, words: str) -> None:
    with PtyPrinter() as emulator:
        emulator.set(**fault)
        ini = write_ini(tmp_path, printer={"kind": "serial", "serial_port": emulator.port, "status_timeout": "0.5"},
                        **NO_READER)
        code, checks = doctor(capsys, ini)
    assert checks["printer"]["status"] == status, checks["printer"]
    assert words in checks["printer"]["remedy"]
    assert code == (1 if status == "fail" else 0)


def test_network_printer_switched_off(capsys: pytest.CaptureFixture[str], tmp_path: Path, timedatectl: Path) -> None:
    with TcpPrinter() as emulator:
        host, port = emulator.host, emulator.port
    ini = write_ini(tmp_path, printer={"kind": "network", "host": host, "port": str(port), "status_timeout": "0.5"},
                    **NO_READER)
    code, checks = doctor(capsys, ini)
    assert code == 1
    assert checks["printer"]["status"] == "fail"


def test_registry_refusing_connections(capsys: pytest.CaptureFixture[str], tmp_path: Path, timedatectl: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    ini = write_ini(tmp_path, registry={"kind": "emias", "url": f"http://127.0.0.1:{port}/api/"}, **NO_READER)
    code, checks = doctor(capsys, ini)
    assert code == 1
    assert checks["registry.dns"]["status"] == "ok"
    assert checks["registry.tcp"]["status"] == "fail"
    assert checks["registry.read"]["status"] == "skipped"


def test_registry_name_not_resolving(capsys: pytest.CaptureFixture[str], tmp_path: Path, timedatectl: Path) -> None:
    ini = write_ini(tmp_path, registry={"kind": "emias", "url": "http://registry.invalid:8080/api/",
                                        "connect_timeout": "2"}, **NO_READER)
    code, checks = doctor(capsys, ini)
    assert code == 1
    assert checks["registry.dns"]["status"] == "fail"
    assert "registry.invalid" in checks["registry.dns"]["summary"]


def test_registry_in_maintenance(capsys: pytest.CaptureFixture[str], tmp_path: Path, timedatectl: Path,
                                 demo: DemoRegistryHandle) -> None:
    demo.set_faults(down=True)
    ini = write_ini(tmp_path, registry={"kind": "emias", "url": demo.url}, health={"registry_timeout": "2"},
                    **NO_READER)
    code, checks = doctor(capsys, ini)
    assert code == 1
    assert checks["registry.tcp"]["status"] == "ok"
    assert checks["registry.tls"]["status"] == "skipped"
    assert checks["registry.read"]["status"] == "fail"
    demo.set_faults(down=False)
    code, checks = doctor(capsys, ini)
    assert code == 0
    assert checks["registry.read"]["status"] == "ok"


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key",
                    "-out", "server.pem", "-days", "3650", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], cwd=tmp_path, check=True, capture_output=True)
    return tmp_path / "server.pem", tmp_path / "server.key"


@pytest.mark.parametrize(("warn_days", "status"), [(30, "ok"), (365, "ok")])
def test_registry_over_tls_reports_the_certificate(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                   timedatectl: Path, clock: ManualClock,
                                                   certificate: tuple[Path, Path], warn_days: int,
                                                   status: str) -> None:
    cert, key = certificate
    with start_demo_registry(tmp_path / "tls.sqlite", seed=1, clock=clock, tls=TlsFiles(cert, key)) as handle:
        ini = write_ini(tmp_path, registry={"kind": "emias", "url": handle.url, "ca_bundle": str(cert)},
                        doctor={"cert_warn_days": str(warn_days)}, **NO_READER)
        code, checks = doctor(capsys, ini)
    assert checks["registry.tls"]["status"] == status, checks["registry.tls"]
    assert "certificate verified, valid until" in checks["registry.tls"]["summary"]
    assert checks["registry.read"]["status"] == "ok"
    assert code == 0


def test_registry_with_an_unknown_certificate_fails_tls(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                        timedatectl: Path, clock: ManualClock,
                                                        certificate: tuple[Path, Path]) -> None:
    cert, key = certificate
    with start_demo_registry(tmp_path / "tls.sqlite", seed=1, clock=clock, tls=TlsFiles(cert, key)) as handle:
        ini = write_ini(tmp_path, registry={"kind": "emias", "url": handle.url, "connect_timeout": "3"}, **NO_READER)
        code, checks = doctor(capsys, ini)
    assert code == 1
    assert checks["registry.tls"]["status"] == "fail"
    assert "ca_bundle" in checks["registry.tls"]["remedy"]


def test_a_card_reader_that_is_not_there_fails(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                               timedatectl: Path) -> None:
    ini = write_ini(tmp_path, card_reader={"kind": "pcsc", "reader": "No Such Reader 9000"})
    code, checks = doctor(capsys, ini)
    assert code == 1
    assert checks["card_reader"]["status"] == "fail"
    assert "pcscd" in checks["card_reader"]["summary"]
