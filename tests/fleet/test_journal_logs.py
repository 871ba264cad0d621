"""Structured journald lines through the native protocol, read back from a real datagram socket; personal
data masked; the session's id, errand and step taken from a real session against the demo registry."""

from __future__ import annotations

import logging
import queue
import re
import socket
import struct
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.app.services import build_services
from kiosk.clock import ManualClock
from kiosk.config import load_config
from kiosk.demo_registry import DEMO_PATIENTS
from kiosk.journal import JournalHandler, encode
from kiosk.log_context import ContextFilter
from kiosk.log_privacy import PrivacyFilter, mask_personal
from tests.fleet.support import write_ini

ANNA = DEMO_PATIENTS[0]


def parse(datagram: bytes) -> dict[str, str]:
    """journald's native format: KEY=value lines, or KEY\\n<u64 length><value>\\n."""
    fields: dict[str, str] = {}
    rest = datagram
    while rest:
        newline = rest.index(b"\n")
        head = rest[:newline]
        if b"=" in head:
            key, _, value = head.partition(b"=")
            rest = rest[newline + 1:]
        else:
            key = head
            (length,) = struct.unpack("<Q", rest[newline + 1:newline + 9])
            value = rest[newline + 9:newline + 9 + length]
            assert rest[newline + 9 + length:newline + 10 + length] == b"\n"
            rest = rest[newline + 10 + length:]
        fields[key.decode("ascii")] = value.decode("utf-8")
    return fields


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[tuple[socket.socket, JournalHandler]]:
    path = tmp_path / "journal.socket"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(str(path))
    server.settimeout(5)
    handler = JournalHandler(path)
    handler.addFilter(PrivacyFilter())
    handler.addFilter(ContextFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.INFO)
    yield server, handler
    root.removeHandler(handler)
    root.setLevel(old_level)
    handler.close()
    server.close()


def received(server: socket.socket) -> list[dict[str, str]]:
    lines = []
    server.setblocking(False)
    try:
        while True:
            lines.append(parse(server.recv(65536)))
    except BlockingIOError:
        pass
    finally:
        server.settimeout(5)
    return lines


def test_a_record_is_one_datagram_with_fields_and_masked_data(journal: tuple[socket.socket, JournalHandler]) -> None:
    server, _ = journal
    log = logging.getLogger("devices.printer.test")
    log.warning("registry echoed %s born %s", ANNA.policy, ANNA.birth_date.strftime("%d.%m.%Y"))
    fields = parse(server.recv(65536))
    assert fields["PRIORITY"] == "4"
    assert fields["SYSLOG_IDENTIFIER"] == "kiosk"
    assert fields["LOGGER"] == "devices.printer.test"
    assert fields["KIOSK_DEVICE"] == "printer"
    assert ANNA.policy not in fields["MESSAGE"] and "**.**.****" in fields["MESSAGE"]
    assert f"{ANNA.policy[:4]} **** **** {ANNA.policy[-4:]}" in fields["MESSAGE"]


def test_a_traceback_is_one_length_prefixed_value_and_masked(journal: tuple[socket.socket, JournalHandler]) -> None:
    server, _ = journal
    try:
        raise ValueError(f"bad patient {ANNA.policy} {ANNA.birth_date.isoformat()}")
    except ValueError:
        logging.getLogger("kiosk.test").exception("it failed")
    fields = parse(server.recv(65536))
    assert fields["PRIORITY"] == "3"
    assert "Traceback" in fields["MESSAGE"] and "\n" in fields["MESSAGE"]
    assert ANNA.policy not in fields["MESSAGE"] and ANNA.birth_date.isoformat() not in fields["MESSAGE"]


def test_a_gone_journal_drops_the_line_and_the_kiosk_goes_on(tmp_path: Path) -> None:
    handler = JournalHandler(tmp_path / "nobody.socket")
    handler.handle(logging.LogRecord("kiosk", logging.INFO, __file__, 1, "hello", None, None))
    assert handler.dropped == 1
    handler.close()


def test_the_session_id_errand_and_step_follow_a_real_session(
        journal: tuple[socket.socket, JournalHandler], tmp_path: Path, clock: ManualClock) -> None:
    server, _ = journal
    inbox: queue.Queue[Callable[[], None]] = queue.Queue()
    ini = write_ini(tmp_path, card_reader={"kind": "none"}, printer={"kind": "preview"}, metrics={"port": "0"})
    services = build_services(load_config(ini), inbox.put, clock)
    try:
        session = services.session
        for attempt in range(2):
            session.start()
            session.identify.submit("0000000000000000", ANNA.birth_date)  # nobody has it: a warning is logged
            while services.jobs.pending:
                inbox.get(timeout=30)()
            session.wipe()
            lines = [f for f in received(server) if f.get("LOGGER") == "kiosk.session"]
            assert lines, "the failed request was not logged"
            fields = lines[-1]
            assert fields["KIOSK_ERRAND"] == "identify" and fields["KIOSK_STEP"] == "identify"
            assert re.fullmatch(r"[0-9a-f]{8}", fields["KIOSK_SESSION"])
            if attempt == 0:
                first = fields["KIOSK_SESSION"]
            else:
                assert fields["KIOSK_SESSION"] != first  # a new patient, a new id
    finally:
        services.close()
    logging.getLogger("kiosk.test").info("after the session")
    after = [f for f in received(server) if f.get("LOGGER") == "kiosk.test"]
    assert after and "KIOSK_SESSION" not in after[-1]


def test_newlines_use_the_binary_form() -> None:
    assert parse(encode({"MESSAGE": "a\nb", "X": "y"})) == {"MESSAGE": "a\nb", "X": "y"}


@given(st.from_regex(r"[0-9]{16}", fullmatch=True), st.dates(min_value=date(1900, 1, 1)),
       st.text(alphabet="abc :", max_size=20))
def test_masking_leaves_no_policy_or_date(policy: str, born: date, words: str) -> None:
    text = f"{words}{policy} {born:%d.%m.%Y} {born.isoformat()} {words}"
    masked = mask_personal(text)
    assert policy not in masked
    assert f"{born:%d.%m.%Y}" not in masked and born.isoformat() not in masked


def test_timestamps_stay() -> None:
    assert mask_personal("since 2026-11-24T09:40:00+03:00") == "since 2026-11-24T09:40:00+03:00"
