"""Ticket benchmark: bytes per ticket, build and preview time, native vs image QR, serial transfer time.

The baseline is the native-QR ticket (GS ( k) on an 80 mm Epson-compatible printer, measured
in the same run; every other variant is printed as a ratio to it. Transfer time is estimated
for 8N1 serial (10 bits per byte) at 19200 and 115200 baud.

    /work/venv/bin/python bench/ticket.py [--rounds 200]

Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from devices.printer.escpos_writer import WriterOptions, render_escpos
from devices.printer.models import MODELS
from devices.printer.preview import render
from kiosk.domain import Appointment
from kiosk.i18n import set_language
from kiosk.tickets.layout import ticket_document
from kiosk.tickets.model import ticket_for

MOSCOW = ZoneInfo("Europe/Moscow")
BAUDS = (19200, 115200)


@dataclass(frozen=True)
class Variant:
    name: str
    model: str
    columns: int
    native_qr: bool
    barcode: bool


VARIANTS = (
    Variant("80 mm, native QR (baseline)", "epson", 48, True, False),
    Variant("80 mm, image QR", "generic-80", 48, False, False),
    Variant("80 mm, native QR + CODE128", "epson", 48, True, True),
    Variant("58 mm, image QR", "generic-58", 32, False, False),
    Variant("58 mm, image QR + image CODE128", "generic-58", 32, False, True),
)


def _interleaved_medians(jobs: list[Callable[[], object]], rounds: int) -> list[float]:
    """Median seconds per job; jobs take turns every round so machine load hits them alike."""
    for job in jobs:  # warm-up: imports, glyph and profile caches
        for _ in range(3):
            job()
    samples: list[list[float]] = [[] for _ in jobs]
    for _ in range(rounds):
        for index, job in enumerate(jobs):
            start = time.perf_counter()
            job()
            samples[index].append(time.perf_counter() - start)
    return [statistics.median(s) for s in samples]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    set_language("ru")
    appointment = Appointment(
        123456789,
        "RECEPTION",
        datetime(2026, 11, 24, 9, 40, tzinfo=MOSCOW),
        None,
        "ГБУЗ «Городская поликлиника № 12 ДЗМ»",
        "г. Москва, ул. Ленина, д. 1, корп. 2",
        "215",
        "69",
        "Врач-терапевт участковый",
        "Петров Пётр Петрович",
    )
    ticket = ticket_for(
        appointment,
        "Иванова А. С.",
        footer="Приходите за 10 минут до приёма.",
        kiosk_id="bench-01",
        now=datetime(2026, 11, 24, 8, 55, tzinfo=MOSCOW),
    )

    builds: list[Callable[[], bytes]] = []
    previews: list[Callable[[], object]] = []
    sizes: list[int] = []
    for variant in VARIANTS:
        options = WriterOptions(MODELS[variant.model], native_qr=variant.native_qr, barcode=variant.barcode)

        def build(v: Variant = variant, o: WriterOptions = options) -> bytes:
            return render_escpos(ticket_document(ticket, v.columns, barcode=v.barcode), o)

        data = build()
        sizes.append(len(data))
        builds.append(build)
        previews.append(lambda d=data, v=variant: render(d, paper_dots=MODELS[v.model].paper_dots))
    build_times = _interleaved_medians(list(builds), args.rounds)
    preview_times = _interleaved_medians(previews, max(args.rounds // 10, 5))
    rows = list(zip(VARIANTS, sizes, build_times, preview_times, strict=True))

    base_bytes, base_build, base_preview = rows[0][1], rows[0][2], rows[0][3]
    print(f"ticket benchmark, {args.rounds} rounds, medians; ratios against: {rows[0][0].name}")
    header = (
        f"{'variant':34} {'bytes':>6} {'x':>6} {'build ms':>9} {'x':>6} {'preview ms':>10} {'x':>6}"
        + "".join(f" {f'{b} Bd s':>10}" for b in BAUDS)
    )
    print(header)
    for variant, size, build_s, preview_s in rows:
        transfer = "".join(f" {size * 10 / baud:10.3f}" for baud in BAUDS)
        print(
            f"{variant.name:34} {size:6d} {size / base_bytes:6.2f}"
            f" {build_s * 1e3:9.2f} {build_s / base_build:6.2f}"
            f" {preview_s * 1e3:10.2f} {preview_s / base_preview:6.2f}{transfer}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
