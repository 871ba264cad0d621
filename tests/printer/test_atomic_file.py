"""Ticket files are written whole or not at all: temporary file beside them, then rename."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from devices.printer.atomic_file import write_atomically
from devices.printer.config import PrinterConfig
from devices.printer.preview_printer import save_ticket_png
from kiosk.tickets.layout import ticket_document
from kiosk.tickets.model import Ticket
from tests.pinned import clock_now


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "ticket.png"
    target.write_bytes(b"old picture")
    os.chmod(target, 0o640)

    def power_cut(_src: object, _dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", power_cut)
    with pytest.raises(OSError, match="No space"):
        write_atomically(target, b"new picture")
    assert target.read_bytes() == b"old picture" and sorted(tmp_path.iterdir()) == [target]
    monkeypatch.undo()
    write_atomically(target, b"new picture")
    assert target.read_bytes() == b"new picture" and sorted(tmp_path.iterdir()) == [target]
    assert target.stat().st_mode & 0o777 == 0o640  # a replaced file keeps its permissions


def test_ticket_pictures_are_renamed_into_place(ticket: Ticket, tmp_path: Path) -> None:
    from devices.printer.escpos_writer import render_escpos
    from devices.printer.options import writer_options

    cfg = PrinterConfig(kind="preview", path=tmp_path)
    data = render_escpos(ticket_document(ticket), writer_options(cfg))
    written: list[tuple[str, str]] = []
    real_replace = os.replace

    def watching(src: str, dst: str) -> None:
        written.append((Path(src).name, Path(dst).name))
        real_replace(src, dst)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "replace", watching)
        path = save_ticket_png(data, cfg, tmp_path / "tickets", clock_now)
    assert path.is_file() and path.stat().st_size > 1_000
    assert written == [(written[0][0], path.name)] and written[0][0].startswith(f".{path.name}.")
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # the temporary is gone
