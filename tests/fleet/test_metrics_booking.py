"""The metrics endpoint scraped over HTTP during real bookings: the kiosk built by its composition root
from a kiosk.ini, the embedded demo registry on loopback, the real EMIAS client, the preview printer.
Every scrape is searched for the demo patients' policy numbers, birth dates and names."""

from __future__ import annotations

import queue
import socket
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from kiosk.app.services import build_services
from kiosk.clock import ManualClock
from kiosk.config import load_config
from kiosk.demo_registry import DEMO_PATIENTS
from kiosk.services_types import Services
from tests.fleet.support import write_ini

ANNA = DEMO_PATIENTS[0]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def personal_data() -> list[str]:
    words: list[str] = []
    for patient in DEMO_PATIENTS:
        born = patient.birth_date
        words += [patient.policy, patient.policy[-8:], born.isoformat(), born.strftime("%d.%m.%Y"),
                  patient.last_name, patient.first_name, patient.middle_name]
    return [word for word in words if len(word) >= 4]


class Kiosk:
    def __init__(self, services: Services, port: int) -> None:
        self.services = services
        self.session = services.session
        self.port = port
        self.scrapes: list[str] = []

    def settle(self, inbox: queue.Queue[Callable[[], None]]) -> None:
        while self.services.jobs.pending:
            inbox.get(timeout=30)()

    def scrape(self) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/metrics", timeout=10) as answer:
            text = answer.read().decode("utf-8")
        self.scrapes.append(text)
        values: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                values[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
        return values


@pytest.fixture
def inbox() -> queue.Queue[Callable[[], None]]:
    return queue.Queue()


@pytest.fixture
def kiosk(tmp_path: Path, clock: ManualClock, inbox: queue.Queue[Callable[[], None]]) -> Iterator[Kiosk]:
    port = free_port()
    ini = write_ini(tmp_path, card_reader={"kind": "none"}, printer={"kind": "preview"},
                    metrics={"port": str(port), "textfile": str(tmp_path / "textfile" / "kiosk.prom"),
                             "textfile_interval": "1"},
                    health={"registry_interval": "2"})
    (tmp_path / "textfile").mkdir()
    services = build_services(load_config(ini), inbox.put, clock)
    services.health.start()
    services.metrics.start()  # what Services.start_watching does after the first frame
    made = Kiosk(services, port)
    yield made
    services.close()


def value(values: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str) -> float:
    return values.get((name, tuple(sorted(labels.items()))), 0.0)


def book_first_free(kiosk: Kiosk, inbox: queue.Queue[Callable[[], None]]) -> None:
    session = kiosk.session
    session.start()
    session.identify.submit(ANNA.policy, ANNA.birth_date)
    kiosk.settle(inbox)
    assert session.screen == "menu", session.status.error
    kiosk.scrape()
    session.open_booking()
    specialty = next(s for s in session.book.state.specialties if not s.by_referral_only)
    session.book.choose_specialty(specialty.code)
    kiosk.settle(inbox)
    doctor = next(d for d in session.book.state.doctors if d.bookable)
    session.book.choose_doctor(doctor.resource_id)
    kiosk.settle(inbox)
    kiosk.scrape()
    day = session.book.state.day
    assert day is not None and day.slots
    session.book.choose_slot(day.slots[0])
    session.book.confirm()
    kiosk.settle(inbox)
    assert session.screen == "done", session.status.error


def test_a_booking_is_counted_and_no_personal_data_is_scraped(
        kiosk: Kiosk, inbox: queue.Queue[Callable[[], None]], tmp_path: Path) -> None:
    before = kiosk.scrape()
    assert value(before, "kiosk_bookings_total", errand="book") == 0
    book_first_free(kiosk, inbox)
    after_booking = kiosk.scrape()
    assert value(after_booking, "kiosk_bookings_total", errand="book") == 1
    assert value(after_booking, "kiosk_errands_done_total", errand="book", result="booked") == 1
    kiosk.session.wipe()  # «Завершить»
    ended = kiosk.scrape()
    assert value(ended, "kiosk_sessions_total", errand="book", outcome="done") == 1
    # the registry's round trips, by method: identification, the schedule, the booking itself
    methods = {dict(labels).get("method") for (name, labels), count in ended.items()
               if name == "kiosk_registry_request_duration_seconds_count" and count > 0}
    assert {"getPatientInfo3", "createAppointment"} <= methods, methods
    build = [dict(labels) for (name, labels), one in ended.items() if name == "kiosk_build_info" and one == 1]
    assert [b["kiosk_id"] for b in build] == [kiosk.services.config.kiosk.kiosk_id] and build[0]["version"]

    leaks = [word for text in kiosk.scrapes for word in personal_data() if word in text]
    assert leaks == [], leaks
    textfile = tmp_path / "textfile" / "kiosk.prom"
    kiosk.services.close()  # the writer's last word
    written = textfile.read_text(encoding="utf-8")
    assert "kiosk_bookings_total" in written
    assert not [word for word in personal_data() if word in written]
    assert [p.name for p in textfile.parent.iterdir()] == ["kiosk.prom"]  # no half-written temporary left


def test_errors_by_step_and_kind_and_an_abandoned_session(
        kiosk: Kiosk, inbox: queue.Queue[Callable[[], None]]) -> None:
    session = kiosk.session
    session.start()
    session.identify.submit("0000000000000000", ANNA.birth_date)  # a well-formed policy nobody has
    kiosk.settle(inbox)
    assert session.status.error is not None
    session.wipe()
    values = kiosk.scrape()
    assert value(values, "kiosk_errors_total", step="identify", kind="patient_not_found") == 1
    assert value(values, "kiosk_sessions_total", errand="identify", outcome="left") == 1
    assert not [word for word in personal_data() if word in kiosk.scrapes[-1]]


def test_device_states_come_from_the_health_board(kiosk: Kiosk) -> None:
    kiosk.services.health["registry"].refresh()
    kiosk.services.health["printer"].refresh()
    for _ in range(200):  # the probes run on the coordinators' threads
        values = kiosk.scrape()
        if value(values, "kiosk_registry_online") == 1 and value(
                values, "kiosk_device_state", device="printer", kiosk_device_state="available") == 1:
            break
        time.sleep(0.05)
    assert value(values, "kiosk_registry_online") == 1
    assert value(values, "kiosk_device_state", device="registry", kiosk_device_state="available") == 1
    assert value(values, "kiosk_device_state", device="printer", kiosk_device_state="available") == 1
    assert value(values, "kiosk_printer_paper", state="out") == 0
