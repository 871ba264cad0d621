"""Registry benchmark, against the demo registry over loopback HTTP, all in one run.

1. Booking path: round trips and time of our client (identify → specialties → doctors →
   schedule → book → appointments) against a naive client that refetches everything on
   every screen, as the old terminal apps did. Prints the ratio.
2. Load: N simulated kiosks book for a bounded time; prints bookings/s, p50/p95 of the
   booking call and of the whole path, the scaling ratio against one kiosk measured in the
   same run, and a no-double-booking check (the registry's own count of slots booked twice).

    /work/venv/bin/python bench/registry.py [--rounds 20] [--latency-ms 2] [--kiosks 8] [--duration 3]

Prints figures and ratios; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.demo_registry import generated_patients
from kiosk.domain import Doctor, PatientKey, Slot
from kiosk.errors import AppointmentExists, KioskError, SlotTaken
from kiosk.registry.emias import EmiasRegistry

SPECIALTIES = ("200", "6", "603", "3", "2", "2008", "2017")


def pick(
    registry: EmiasRegistry, key: PatientKey, code: str, rng: random.Random
) -> tuple[Doctor, Slot] | None:
    doctors = [d for d in registry.doctors(key, code) if d.bookable]
    if not doctors:
        return None
    schedule = registry.schedule(key, rng.choice(doctors))
    slots = [slot for day in schedule.days for slot in day.slots][:12]
    return (schedule.doctor, rng.choice(slots)) if slots else None


# --- 1. the booking path ---------------------------------------------------------------------


def our_booking(registry: EmiasRegistry, key: PatientKey, code: str, rng: random.Random) -> None:
    registry.identify(key)
    registry.specialties(key)
    chosen = pick(registry, key, code, rng)
    assert chosen is not None
    booking = registry.book(key, *chosen)
    assert any(a.appointment_id == booking.appointment_id for a in registry.appointments(key))


def naive_booking(registry: EmiasRegistry, key: PatientKey, code: str, rng: random.Random) -> None:
    """Every screen reloads the patient, the menus, the referrals, the visits, and what came before."""

    def everything() -> None:
        registry.identify(key)
        registry.specialties(key)
        registry.referrals(key)
        registry.appointments(key)

    everything()  # identification screen
    everything()  # specialty screen
    doctors = registry.doctors(key, code)
    everything()  # doctor screen
    doctors = registry.doctors(key, code)
    for doctor in doctors:  # nearest time of every doctor
        registry.schedule(key, doctor)
    everything()  # time screen
    doctor = rng.choice([d for d in registry.doctors(key, code) if d.bookable])
    schedule = registry.schedule(key, doctor)
    slot = rng.choice([s for day in schedule.days for s in day.slots][:12])
    everything()  # confirmation screen
    booking = registry.book(key, schedule.doctor, slot)
    assert any(a.appointment_id == booking.appointment_id for a in registry.appointments(key))


def booking_path(url: str, latency_ms: float, rounds: int) -> None:
    crowd = [PatientKey(p.policy, p.birth_date) for p in generated_patients(2 * rounds)]
    rng = random.Random(1)
    results = {}
    for name, flow, keys in (("ours", our_booking, crowd[:rounds]), ("naive", naive_booking, crowd[rounds:])):
        client = EmiasRegistry(url, 3, 10)
        started = time.perf_counter()
        for key in keys:
            flow(client, key, "6", rng)
        results[name] = (client.round_trips / rounds, (time.perf_counter() - started) / rounds)
        client.close()
    (ours_trips, ours_time), (naive_trips, naive_time) = results["ours"], results["naive"]
    print(f"booking path, {rounds} bookings each, {latency_ms:.0f} ms added per answer")
    print(f"  ours : {ours_trips:5.1f} round trips, {ours_time * 1000:7.1f} ms per booking")
    print(f"  naive: {naive_trips:5.1f} round trips, {naive_time * 1000:7.1f} ms per booking")
    print(
        f"  ratio naive/ours: {naive_trips / ours_trips:.1f}x round trips, {naive_time / ours_time:.1f}x time"
    )


# --- 2. load ---------------------------------------------------------------------------------


@dataclass
class KioskStats:
    book_seconds: list[float] = field(default_factory=list)
    path_seconds: list[float] = field(default_factory=list)
    booked: list[int] = field(default_factory=list)
    taken: int = 0
    other_errors: int = 0


def kiosk_loop(url: str, patients: list[PatientKey], until: float, seed: int, stats: KioskStats) -> None:
    rng = random.Random(seed)
    client = EmiasRegistry(url, 3, 10)
    queue = [(key, code) for key in patients for code in SPECIALTIES]
    rng.shuffle(queue)
    for key, code in queue:
        if time.perf_counter() >= until:
            break
        path_start = time.perf_counter()
        try:
            chosen = pick(client, key, code, rng)
            if chosen is None:
                continue
            book_start = time.perf_counter()
            booking = client.book(key, *chosen)
            now = time.perf_counter()
            stats.book_seconds.append(now - book_start)
            stats.path_seconds.append(now - path_start)
            stats.booked.append(booking.appointment_id)
        except SlotTaken:
            stats.taken += 1
        except AppointmentExists:
            stats.other_errors += 1
        except KioskError:
            stats.other_errors += 1
    client.close()


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values, default=0.0)


def load(url: str, kiosks: int, duration: float, crowd: list[PatientKey]) -> tuple[float, int]:
    per_kiosk = len(crowd) // kiosks
    stats = [KioskStats() for _ in range(kiosks)]
    until = time.perf_counter() + duration
    started = time.perf_counter()
    threads = [
        threading.Thread(
            target=kiosk_loop, args=(url, crowd[i * per_kiosk : (i + 1) * per_kiosk], until, i, stats[i])
        )
        for i in range(kiosks)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    booked = [b for s in stats for b in s.booked]
    book_times = [t for s in stats for t in s.book_seconds]
    path_times = [t for s in stats for t in s.path_seconds]
    rate = len(booked) / elapsed
    print(
        f"  {kiosks:3d} kiosks: {len(booked):5d} bookings in {elapsed:4.1f} s = {rate:7.1f}/s; "
        f"book p50 {statistics.median(book_times or [0]) * 1000:6.1f} ms, "
        f"p95 {p95(book_times) * 1000:6.1f} ms; "
        f"path p95 {p95(path_times) * 1000:6.1f} ms; slot taken {sum(s.taken for s in stats)}, "
        f"other refusals {sum(s.other_errors for s in stats)}"
    )
    if len(set(booked)) != len(booked):
        print("  !! the same appointment id was reported to two bookings")
    return rate, len(booked)


class RegistryProcess:
    """``kiosk demo-registry`` in its own process, so the simulated kiosks do not share its GIL."""

    def __init__(self, db: Path, latency_ms: float, crowd: int) -> None:
        root = Path(__file__).resolve().parents[1]
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kiosk",
                "demo-registry",
                "--port",
                "0",
                "--db",
                str(db),
                "--seed",
                "2026",
                "--crowd",
                str(crowd),
                "--latency",
                str(latency_ms / 1000),
            ],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env={**os.environ, "PYTHONPATH": str(root)},
        )
        assert self.process.stdout is not None
        self.url = ""
        for line in self.process.stdout:
            if line.strip().startswith("endpoint"):
                self.url = line.split()[1]
            if line.startswith("Ctrl+C"):
                break
        if not self.url:
            raise RuntimeError("the demo registry did not start")
        self.stats_url = self.url.split("/api/")[0] + "/_admin/stats"

    def stats(self) -> dict[str, int]:
        return requests.get(self.stats_url, timeout=10).json()

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=10)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=20, help="bookings per client in the path comparison")
    parser.add_argument(
        "--latency-ms", type=float, default=2.0, help="latency the demo registry adds per answer"
    )
    parser.add_argument("--kiosks", type=int, default=8, help="simulated kiosks in the load part")
    parser.add_argument("--duration", type=float, default=3.0, help="seconds each load run lasts")
    args = parser.parse_args()
    crowd_size = 3000
    crowd = [PatientKey(p.policy, p.birth_date) for p in generated_patients(crowd_size)]
    with tempfile.TemporaryDirectory() as tmp:
        registry = RegistryProcess(Path(tmp) / "bench.sqlite", args.latency_ms, crowd_size)
        try:
            booking_path(registry.url, args.latency_ms, args.rounds)
        finally:
            registry.stop()
        print(
            f"load, {args.duration:.0f} s per run, {args.latency_ms:.0f} ms added per answer, "
            "registry in its own process"
        )
        # each load run gets a fresh polyclinic: a long single-kiosk run would otherwise use up the
        # free slots and leave the many-kiosk run measuring an empty schedule
        half = len(crowd) // 2
        rates, duplicates, booked_in_all = [], 0, 0
        for run, (kiosks, patients) in enumerate(((1, crowd[:half]), (args.kiosks, crowd[half:]))):
            registry = RegistryProcess(Path(tmp) / f"load-{run}.sqlite", args.latency_ms, crowd_size)
            try:
                rate, _ = load(registry.url, kiosks, args.duration, patients)
                stats = registry.stats()
            finally:
                registry.stop()
            rates.append(rate)
            duplicates += stats["duplicates"]
            booked_in_all += stats["booked"]
        single_rate, many_rate = rates
    print(f"  scaling {args.kiosks} kiosks / 1 kiosk: {many_rate / single_rate:.1f}x bookings/s")
    print(
        f"  no double booking: {'OK' if duplicates == 0 else 'FAILED'} ({duplicates} slots booked twice, "
        f"{booked_in_all} booked in all, the demo patients' standing visits included)"
    )
    return 0 if duplicates == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
