"""The technician commands, run through the real ``kiosk`` parser against the pty emulator."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from devices.printer.emulator import PtyPrinter
from devices.printer.preview import escpos_text
from kiosk.cli import main
from kiosk.cli.printer import EMULATOR_FAULTS
from kiosk.tickets.print_test import LOWER, UPPER

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "appointment.json"


@pytest.fixture
def emulator() -> Iterator[PtyPrinter]:
    with PtyPrinter() as printer:
        yield printer


def _ini(tmp_path: Path, printer: str) -> Path:
    path = tmp_path / "kiosk.ini"
    path.write_text(f"[kiosk]\nkiosk_id = test-07\n\n[printer]\n{printer}\n", encoding="utf-8")
    return path


def _serial_ini(tmp_path: Path, port: str) -> Path:
    return _ini(
        tmp_path,
        f"kind = serial\nserial_port = {port}\nbaudrate = 115200\nstatus_timeout = 0.3\n"
        f"fallback_dir = {tmp_path}/pictures",
    )


def test_print_test_prints_the_whole_alphabet(
    tmp_path: Path, emulator: PtyPrinter, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--config", str(_serial_ini(tmp_path, emulator.port)), "print-test"]) == 0
    out = capsys.readouterr().out
    assert "printed:" in out and "status: online" in out
    deadline = time.monotonic() + 5
    while "[cut]" not in emulator.rendered().lines and time.monotonic() < deadline:
        time.sleep(0.05)
    lines = emulator.rendered().lines
    assert UPPER in lines and LOWER in lines and "0123456789" in lines
    assert "[qr KIOSK-PRINT-TEST]" in lines


@pytest.mark.parametrize(
    ("fault", "state", "code"),
    [
        ({}, "online", 0),
        ({"paper_near_end": True}, "paper_near_end", 0),
        ({"paper_out": True}, "paper_end", 1),
        ({"cover_open": True}, "cover_open", 1),
        ({"silent": True}, "unknown", 2),
    ],
)
def test_printer_status_json(
    tmp_path: Path,
    emulator: PtyPrinter,
    capsys: pytest.CaptureFixture[str],
    fault: dict[str, bool],
    state: str,
    code: int,
) -> None:
    emulator.set(**fault)
    assert (
        main(["--config", str(_serial_ini(tmp_path, emulator.port)), "printer", "status", "--json"]) == code
    )
    report = json.loads(capsys.readouterr().out)
    assert report["state"] == state and report["kind"] == "serial"


@pytest.mark.parametrize("fault", sorted(EMULATOR_FAULTS))
def test_emulate_starts_with_a_fault(fault: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["printer", "emulate", "--seconds", "0.1", "--fault", fault]) == 0  # a wrong field would raise
    assert f"(fault: {fault})" in capsys.readouterr().out


def test_print_test_says_when_the_printer_did_not_confirm(
    tmp_path: Path, emulator: PtyPrinter, capsys: pytest.CaptureFixture[str]
) -> None:
    emulator.set(mute=True)  # prints, never answers a status request
    assert main(["--config", str(_serial_ini(tmp_path, emulator.port)), "print-test"]) == 2
    out = capsys.readouterr().out
    assert "sent, NOT confirmed:" in out and "did not confirm" in out and "status: unknown" in out
    assert "picture:" in out  # the technician can see what should have come out


def test_print_test_reports_a_missing_printer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ini = _ini(tmp_path, f"kind = file\npath = {tmp_path}/no/such/lp0\nfallback_dir = {tmp_path}/pictures")
    assert main(["--config", str(ini), "print-test"]) == 1
    out = capsys.readouterr().out
    assert "NOT printed: cannot open file printer" in out and "picture:" in out


@pytest.mark.parametrize("columns", [48, 32])
def test_ticket_render_escpos(tmp_path: Path, columns: int) -> None:
    ini = _ini(
        tmp_path, f"kind = preview\ncolumns = {columns}\nmodel = {'epson' if columns == 48 else 'generic-58'}"
    )
    out = tmp_path / "ticket.bin"
    assert (
        main(
            [
                "--config",
                str(ini),
                "ticket",
                "render",
                "--appointment",
                str(EXAMPLE),
                "--out",
                str(out),
                "--format",
                "escpos",
            ]
        )
        == 0
    )
    lines = escpos_text(out.read_bytes(), paper_dots=576 if columns == 48 else 384)
    flat = " ".join(lines)
    assert "Пациент: Иванова А. С." in flat and "Кабинет 215" in flat and "Терминал test-07" in flat
    assert max(len(line) for line in lines if not line.startswith("[")) <= columns


def test_ticket_render_png_and_walk_in(tmp_path: Path) -> None:
    ini = _ini(tmp_path, "kind = preview")
    for extra, name in (([], "ticket.png"), (["--walk-in"], "walkin.png")):
        out = tmp_path / name
        assert (
            main(
                [
                    "--config",
                    str(ini),
                    "ticket",
                    "render",
                    "--appointment",
                    str(EXAMPLE),
                    "--out",
                    str(out),
                    *extra,
                ]
            )
            == 0
        )
        assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_ticket_render_rejects_a_broken_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"appointment": {}}', encoding="utf-8")
    assert (
        main(
            [
                "--config",
                str(_ini(tmp_path, "kind = preview")),
                "ticket",
                "render",
                "--appointment",
                str(bad),
                "--out",
                str(tmp_path / "x.png"),
            ]
        )
        == 1
    )
    assert "cannot read the appointment" in capsys.readouterr().err


@pytest.mark.parametrize("transport", [[], ["--tcp"]])
def test_emulate_says_how_to_reach_it(transport: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["printer", "emulate", "--seconds", "0.1", *transport]) == 0
    out = capsys.readouterr().out
    assert ("kind = network" if transport else "kind = serial, serial_port = /dev/") in out
