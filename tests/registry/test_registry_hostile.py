"""A hostile or broken registry: the client never hangs, never follows it elsewhere, never leaks, and only
domain errors (KioskError) come out. Real loopback servers (raw sockets), the real client."""

from __future__ import annotations

import contextlib
import copy as copy_module
import gzip
import json
import logging
import socket
import threading
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.domain import Doctor, PatientKey, Slot
from kiosk.errors import BookingOutcomeUnknown, KioskError, RegistryUnavailable, UnexpectedAnswer
from kiosk.registry.emias import EmiasRegistry
from kiosk.registry.jsonrpc import JsonRpcClient, TransportFailure, UnreadableAnswer
from kiosk.registry.values import MSK

KEY = PatientKey("7700000000000016", date(1985, 4, 12))
DEADLINE = 1.5
MARGIN = 5.0


class RawServer:
    """A loopback TCP server: each connection's request is read, then ``answer(conn, request)`` runs."""

    def __init__(self, answer: Callable[[socket.socket, dict[str, Any]], None]) -> None:
        self.answer = answer
        self.stop = threading.Event()
        self.connections = 0
        self.requests: list[dict[str, Any]] = []
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.1)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/api/emc/appointment-eip/v1/"
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            conn.settimeout(10)
            while True:
                request = _read_request(conn)
                if request is None:
                    return
                self.requests.append(request)
                if self.answer(conn, request) is False:
                    return

    def close(self) -> None:
        self.stop.set()
        self.sock.close()
        self.thread.join(2)


def _read_request(conn: socket.socket) -> dict[str, Any] | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        (int(line.split(b":", 1)[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")),
        0,
    )
    while len(body) < length:
        body += conn.recv(65536)
    request: dict[str, Any] = json.loads(body)
    return request


def _send(conn: socket.socket, body: bytes, status: str = "200 OK", headers: dict[str, str] | None = None) -> None:
    lines = [f"HTTP/1.1 {status}", "Content-Type: application/json", f"Content-Length: {len(body)}"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)


def _envelope(request: dict[str, Any], result: Any) -> bytes:
    return json.dumps({"jsonrpc": "2.0", "id": request["id"], "result": result}).encode()


@pytest.fixture
def serve() -> Iterator[Callable[..., RawServer]]:
    servers: list[RawServer] = []

    def start(answer: Callable[[socket.socket, dict[str, Any]], Any]) -> RawServer:
        servers.append(RawServer(answer))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def _client(url: str, **options: Any) -> JsonRpcClient:
    return JsonRpcClient(url, 1.0, 1.0, read_retries=0, retry_backoff=0.0, call_deadline=DEADLINE, **options)


def _ends_in_time(call: Callable[[], Any]) -> BaseException | None:
    """Run ``call`` on a thread; assert it ends within the deadline plus a margin; return what it raised."""
    done = threading.Event()
    raised: list[BaseException | None] = [None]

    def run() -> None:
        try:
            call()
        except BaseException as exc:
            raised[0] = exc
        finally:
            done.set()

    threading.Thread(target=run, daemon=True).start()
    assert done.wait(DEADLINE + MARGIN), "the call did not end at its deadline"
    return raised[0]


def _trickle(head: bytes, stop: threading.Event) -> Callable[[socket.socket, dict[str, Any]], bool]:
    def answer(conn: socket.socket, request: dict[str, Any]) -> bool:
        conn.sendall(head)
        while not stop.is_set():  # one byte at a time, never the end
            conn.sendall(b" ")
            stop.wait(0.1)
        return False

    return answer


def test_a_body_trickling_forever_ends_at_the_deadline(serve) -> None:
    stop = threading.Event()
    server = serve(_trickle(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n{", stop))
    try:
        raised = _ends_in_time(lambda: _client(server.url).call("getReferralsInfo", {}))
    finally:
        stop.set()
    assert isinstance(raised, TransportFailure) and not raised.retryable


def test_headers_trickling_forever_end_at_the_deadline(serve) -> None:
    stop = threading.Event()
    server = serve(_trickle(b"HTTP/1.1 200 OK\r\nX-Slow: ", stop))
    try:
        raised = _ends_in_time(lambda: _client(server.url).call("getReferralsInfo", {}))
    finally:
        stop.set()
    assert isinstance(raised, TransportFailure) and not raised.retryable


def test_repeats_of_a_read_share_its_deadline(serve) -> None:
    def answer(conn: socket.socket, request: dict[str, Any]) -> None:
        threading.Event().wait(0.6)
        _send(conn, b"maintenance", "503 Service Unavailable")

    server = serve(answer)
    rpc = JsonRpcClient(server.url, 1.0, 1.0, read_retries=5, retry_backoff=0.0, call_deadline=DEADLINE)
    raised = _ends_in_time(lambda: rpc.call("getReferralsInfo", {}))
    assert isinstance(raised, TransportFailure)
    assert rpc.round_trips < 6  # the deadline stopped the repeats before all five were made


def test_a_trickled_booking_answer_goes_through_the_was_it_made_check(serve) -> None:
    stop = threading.Event()
    trickle = _trickle(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n{", stop)

    def answer(conn: socket.socket, request: dict[str, Any]) -> bool:
        if request["method"] == "createAppointment":
            return trickle(conn, request)
        _send(conn, _envelope(request, []))
        return True

    server = serve(answer)
    doctor, slot = _slot_and_doctor()
    registry = EmiasRegistry(server.url, 1, 1, read_retries=0, call_deadline=DEADLINE)
    try:
        raised = _ends_in_time(lambda: registry.book(KEY, doctor, slot))
    finally:
        stop.set()
    assert isinstance(raised, RegistryUnavailable) and not isinstance(raised, BookingOutcomeUnknown)
    assert [r["method"] for r in server.requests] == ["createAppointment", "getAppointmentReceptionsByPatient"]


def test_a_redirect_to_another_host_is_not_followed(serve, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    elsewhere = serve(lambda conn, request: _send(conn, _envelope(request, [])))
    target = elsewhere.url.replace("127.0.0.1", "localhost")
    server = serve(lambda conn, request: _send(conn, b"", "307 Temporary Redirect", {"Location": target}))
    with pytest.raises(TransportFailure) as caught:
        EmiasRegistry(server.url, 1, 1, read_retries=2, retry_backoff=0).referrals(KEY)
    assert "localhost" in str(caught.value)
    assert elsewhere.connections == 0 and len(server.requests) == 1  # not followed, not repeated
    assert KEY.policy not in caplog.text and "1985-04-12" not in caplog.text


def test_a_redirected_booking_is_checked_not_repeated(serve) -> None:
    def answer(conn: socket.socket, request: dict[str, Any]) -> None:
        if request["method"] == "createAppointment":
            _send(conn, b"", "307 Temporary Redirect", {"Location": "http://elsewhere.invalid/"})
        else:
            _send(conn, _envelope(request, []))

    server = serve(answer)
    doctor, slot = _slot_and_doctor()
    with pytest.raises(RegistryUnavailable):
        EmiasRegistry(server.url, 1, 1, read_retries=0).book(KEY, doctor, slot)
    assert [r["method"] for r in server.requests] == ["createAppointment", "getAppointmentReceptionsByPatient"]


def test_a_redirect_with_a_body_trickling_forever_ends_at_the_deadline(serve) -> None:
    stop = threading.Event()
    head = b"HTTP/1.1 307 Temporary Redirect\r\nLocation: http://elsewhere.invalid/\r\nContent-Length: 100000\r\n\r\n"
    server = serve(_trickle(head, stop))
    try:
        raised = _ends_in_time(lambda: _client(server.url).call("getReferralsInfo", {}))
    finally:
        stop.set()
    assert isinstance(raised, TransportFailure) and "elsewhere.invalid" in str(raised)


def test_a_redirect_with_a_broken_location_is_a_domain_error(serve) -> None:
    server = serve(lambda conn, request: _send(conn, b"", "302 Found", {"Location": "http://[::1/x"}))
    with pytest.raises(TransportFailure):
        _client(server.url).call("getReferralsInfo", {})


def _bomb(decoded_mib: int) -> bytes:
    """A gzip body of about ``decoded_mib / 1000`` MiB that decodes to ``decoded_mib`` MiB of JSON text."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip container
    parts = [packer.compress(b'{"jsonrpc": "2.0", "id": "x", "result": "')]
    block = b"A" * (1024 * 1024)
    parts += [packer.compress(block) for _ in range(decoded_mib)]
    parts.append(packer.compress(b'"}') + packer.flush())
    return b"".join(parts)


def test_a_gzip_bomb_is_unreadable_and_memory_stays_bounded(serve) -> None:
    bomb = _bomb(200)
    assert len(bomb) < 1024 * 1024
    server = serve(lambda conn, request: _send(conn, bomb, headers={"Content-Encoding": "gzip"}))
    tracemalloc.start()
    try:
        with pytest.raises(UnreadableAnswer):
            JsonRpcClient(server.url, 1.0, 5.0, read_retries=0, call_deadline=20,
                          max_answer_bytes=256 * 1024).call("getReferralsInfo", {})
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 32 * 1024 * 1024  # the bomb is 200 MiB decoded; reading stops at the cap


def test_a_plain_answer_over_the_cap_is_unreadable(serve) -> None:
    server = serve(lambda conn, request: _send(conn, _envelope(request, "x" * 300_000)))
    with pytest.raises(UnreadableAnswer):
        _client(server.url, max_answer_bytes=64 * 1024).call("getReferralsInfo", {})


def test_a_gzip_answer_within_the_cap_is_read(serve) -> None:
    server = serve(lambda conn, request: _send(
        conn, gzip.compress(_envelope(request, ["ok"])), headers={"Content-Encoding": "gzip"}))
    assert _client(server.url).call("getReferralsInfo", {}) == ["ok"]


def test_environment_proxies_and_ca_bundles_are_ignored(serve, refused_url: str, monkeypatch) -> None:
    dead = refused_url.split("/api/")[0]
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, dead)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/nonexistent/ca.pem")
    monkeypatch.setenv("CURL_CA_BUNDLE", "/nonexistent/ca.pem")
    server = serve(lambda conn, request: _send(conn, _envelope(request, ["direct"])))
    assert _client(server.url).call("getReferralsInfo", {}) == ["direct"]
    assert server.connections == 1


def _slot_and_doctor() -> tuple[Doctor, Slot]:
    start = datetime(2026, 11, 25, 9, 0, tzinfo=MSK)
    end = start + timedelta(minutes=20)
    slot = Slot(start, end, start.isoformat(), end.isoformat(), 612300112, "2-04")
    return Doctor(21035260011, "Петров Павел Петрович", "6", "Офтальмолог", "1801", ()), slot


HOSTILE_IDS = st.sampled_from(["--5", "²", "٣", "1_000", " -", "9" * 5000, "-" * 30, "1e400", ""]) | st.integers(
    min_value=-(10**5000), max_value=10**5000
)
HOSTILE = st.recursive(
    st.none() | st.booleans() | HOSTILE_IDS | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["id", "appointmentId", "appointmentNumber", "code", "name", "startTime", "room",
                         "complexResource", "specialities", "attachments", "lpu", "patient"]),
        inner, max_size=4),
    max_leaves=12,
)


def _nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


class _Hostile:
    """One server for all examples: answers the next scripted body, whatever was asked."""

    def __init__(self) -> None:
        self.body: Callable[[dict[str, Any]], bytes] = lambda request: _envelope(request, None)
        self.server = RawServer(lambda conn, request: _send(conn, self.body(request)))


@pytest.fixture(scope="module")
def hostile() -> Iterator[_Hostile]:
    box = _Hostile()
    yield box
    box.server.close()


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "protocol"
#: fixture answer → the adapter call that reads it (the server answers it, whatever is asked, so a
#: booking's was-it-made check reads it too)
CALLS: dict[str, Callable[[EmiasRegistry], Any]] = {
    "patient_info": lambda r: r.identify(KEY),
    "specialities": lambda r: r.specialties(KEY),
    "appointments": lambda r: r.appointments(KEY),
    "referrals": lambda r: r.referrals(KEY),
    "doctors": lambda r: r.doctors(KEY, "6"),
    "schedule": lambda r: r.schedule(KEY, _slot_and_doctor()[0]),
    "create": lambda r: r.book(KEY, *_slot_and_doctor()),
    "cancel": lambda r: r.cancel(KEY, 334455600001),
}


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict) and value:
        return [p for k, v in value.items() for p in _leaves(v, (*path, k))]
    if isinstance(value, list) and value:
        return [p for i, v in enumerate(value) for p in _leaves(v, (*path, i))]
    return [path]


def _replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    copy = copy_module.copy(value)
    copy[path[0]] = _replaced(value[path[0]], path[1:], new)
    return copy


def _dumps(value: Any) -> bytes:
    """JSON text; an int too long for json.dumps goes out as its digits, as a hostile registry would send."""
    huge: list[int] = []

    def default(_: Any) -> Any:
        raise TypeError

    def swap(v: Any) -> Any:
        if isinstance(v, int) and not isinstance(v, bool) and abs(v) >= 10**4000:
            huge.append(v)
            return f"@huge{len(huge) - 1}@"
        if isinstance(v, dict):
            return {k: swap(x) for k, x in v.items()}
        if isinstance(v, list):
            return [swap(x) for x in v]
        return v

    text = json.dumps(swap(value), default=default).encode()
    for i, v in enumerate(huge):
        text = text.replace(f'"@huge{i}@"'.encode(), (b"-" if v < 0 else b"") + b"9" * 5000)
    return text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), name=st.sampled_from(sorted(CALLS)), value=HOSTILE_IDS | HOSTILE)
def test_hostile_values_raise_only_domain_errors(hostile: _Hostile, data: st.DataObject, name: str, value: Any) -> None:
    answer = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))["answer"]
    result = answer.get("result")
    path = data.draw(st.sampled_from(_leaves(result)), label="leaf")
    hostile_result = _replaced(result, path, value)
    hostile.body = lambda request: (
        b'{"jsonrpc": "2.0", "id": "' + request["id"].encode() + b'", "result": ' + _dumps(hostile_result) + b"}"
    )
    registry = EmiasRegistry(hostile.server.url, 1, 2, read_retries=0, call_deadline=5)
    try:
        CALLS[name](registry)
    except KioskError:
        pass  # a domain error; anything else fails the test
    finally:
        registry.close()


@pytest.mark.parametrize(
    "payload",
    [
        lambda r: b'{"jsonrpc": "2.0", "id": "' + r["id"].encode() + b'", "result": ' + _nested(100_000) + b"}",
        lambda r: _nested(100_000),
        lambda r: b'{"jsonrpc": "2.0", "id": "' + r["id"].encode() + b'", "result": ' + b"9" * 5000 + b"}",
        lambda r: b'{"jsonrpc": "2.0", "id": "' + r["id"].encode() + b'", "error": {"code": ' + b"7" * 5000 + b"}}",
        lambda r: b"\xff\xfe not utf-8",
    ],
)
def test_hostile_texts_are_unreadable_answers(hostile: _Hostile, payload: Callable[[dict[str, Any]], bytes]) -> None:
    hostile.body = payload
    doctor, slot = _slot_and_doctor()
    with pytest.raises(UnexpectedAnswer):
        JsonRpcClient(hostile.server.url, 1, 2, read_retries=0).call("getAppointmentReceptionsByPatient", {})
    registry = EmiasRegistry(hostile.server.url, 1, 2, read_retries=0)
    with pytest.raises(KioskError):  # the check reads the same hostile answer: outcome unknown or unreadable
        registry.book(KEY, doctor, slot)


@pytest.mark.parametrize("bad_id", ["--5", "²", "9" * 5000, "1_000"])
def test_hostile_booking_ids_are_checked_against_the_appointments(hostile: _Hostile, bad_id: str) -> None:
    def body(request: dict[str, Any]) -> bytes:
        if request["method"] == "createAppointment":
            return _envelope(request, {"appointmentId": bad_id, "appointmentNumber": bad_id})
        return _envelope(request, [])

    hostile.body = body
    doctor, slot = _slot_and_doctor()
    with pytest.raises(UnexpectedAnswer) as caught:  # checked, not made: the unreadable answer itself
        EmiasRegistry(hostile.server.url, 1, 2, read_retries=0).book(KEY, doctor, slot)
    assert not isinstance(caught.value, BookingOutcomeUnknown)


def test_an_oversized_reschedule_answer_goes_through_the_was_it_made_check(serve) -> None:
    def answer(conn: socket.socket, request: dict[str, Any]) -> None:
        result: Any = "x" * 200_000 if request["method"] == "shiftAppointment" else []
        _send(conn, _envelope(request, result))

    server = serve(answer)
    doctor, slot = _slot_and_doctor()
    registry = EmiasRegistry(server.url, 1, 1, read_retries=0, max_answer_bytes=64 * 1024)
    with pytest.raises(UnreadableAnswer):  # checked: not made, so the unreadable answer itself
        registry.reschedule(KEY, 334455600001, doctor, slot)
    assert [r["method"] for r in server.requests] == ["shiftAppointment", "getAppointmentReceptionsByPatient"]


def test_a_trickled_cancel_answer_is_checked_and_found_done(serve) -> None:
    stop = threading.Event()
    trickle = _trickle(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n{", stop)

    def answer(conn: socket.socket, request: dict[str, Any]) -> bool:
        if request["method"] == "cancelAppointment":
            return trickle(conn, request)
        _send(conn, _envelope(request, []))
        return True

    server = serve(answer)
    registry = EmiasRegistry(server.url, 1, 1, read_retries=0, call_deadline=DEADLINE)
    try:
        raised = _ends_in_time(lambda: registry.cancel(KEY, 334455600001))
    finally:
        stop.set()
    assert raised is None  # the appointment is gone from the list: cancelled
    assert [r["method"] for r in server.requests] == ["cancelAppointment", "getAppointmentReceptionsByPatient"]
