"""Picture of a ticket from a stalled job: the on-screen fallback must not grow with the job's size.

When a printer stops reading, the kiosk renders the job's bytes up to the first cut for the
screen. The baseline is the picture of one ticket, measured in the same run; a job of many
tickets (a stalled multi-megabyte write) is printed as a ratio to it, and so is tokenising the
whole job first (what the renderer did before it read tokens lazily).

    .venv/bin/python bench/stalled_picture.py [--rounds 20] [--megabytes 8]

Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from devices.printer.escpos_parser import tokenize
from devices.printer.escpos_writer import WriterOptions, render_escpos
from devices.printer.models import MODELS
from devices.printer.preview import render
from kiosk.domain import Appointment
from kiosk.i18n import set_language
from kiosk.tickets.layout import ticket_document
from kiosk.tickets.model import ticket_for

MOSCOW = ZoneInfo("Europe/Moscow")


def _median(job: Callable[[], object], rounds: int) -> float:
    job()  # warm-up: glyph caches
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        job()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--megabytes", type=float, default=8.0)
    args = parser.parse_args()
    set_language("ru")
    appointment = Appointment(123456789, "RECEPTION", datetime(2026, 11, 24, 9, 40, tzinfo=MOSCOW), None,
                              "ГБУЗ «Городская поликлиника № 12 ДЗМ»", "г. Москва, ул. Ленина, д. 1", "215", "69",
                              "Врач-терапевт участковый", "Петров Пётр Петрович")
    ticket = ticket_for(appointment, "Иванова А. С.", footer="Приходите за 10 минут до приёма.",
                        kiosk_id="bench-01", now=datetime(2026, 11, 24, 8, 55, tzinfo=MOSCOW))
    one = render_escpos(ticket_document(ticket), WriterOptions(MODELS["epson"]))
    job = one * int(args.megabytes * 1_000_000 // len(one) + 1)

    baseline = _median(lambda: render(one, first_ticket_only=True), args.rounds)
    stalled = _median(lambda: render(job, first_ticket_only=True), args.rounds)
    eager = _median(lambda: tokenize(job), max(args.rounds // 10, 1))
    print(f"stalled-job picture, medians of {args.rounds} rounds; ratios against one ticket's picture")
    print(f"{'what':44} {'bytes':>10} {'ms':>9} {'x':>8}")
    print(f"{'picture of one ticket (baseline)':44} {len(one):10d} {baseline * 1e3:9.2f} {1.0:8.2f}")
    print(f"{'picture of the first ticket of the job':44} {len(job):10d} {stalled * 1e3:9.2f}"
          f" {stalled / baseline:8.2f}")
    print(f"{'tokenising the whole job (the old way)':44} {len(job):10d} {eager * 1e3:9.2f}"
          f" {eager / baseline:8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
