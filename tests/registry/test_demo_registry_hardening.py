"""The demo registry under abuse: idle sockets, a crowd, deep JSON, huge bodies, absurd admin values.

The real server on loopback, at the suite's pinned instant. Waits are bounded polls (time.monotonic),
never exact timings.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from kiosk.clock import ManualClock
from kiosk.demo_registry import DemoRegistryHandle, start_demo_registry
from kiosk.demo_registry.server import MAX_BODY, MAX_CONNECTIONS
from kiosk.registry.emias import EmiasRegistry
from tests.pinned import TEST_NOW
from tests.registry.support import ELENA, key_of

TIMEOUT = 1.0  # the server's socket timeout in these tests (the default is 5 s)
PATIENCE = 15.0  # the longest any poll here waits for the server


def start(
    tmp_path: Path, socket_timeout: float = TIMEOUT, max_connections: int = MAX_CONNECTIONS
) -> DemoRegistryHandle:
    return start_demo_registry(
        tmp_path / "registry.sqlite",
        seed=7,
        clock=ManualClock(TEST_NOW),
        socket_timeout=socket_timeout,
        max_connections=max_connections,
    )


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[DemoRegistryHandle]:
    handle = start(tmp_path)
    yield handle
    handle.stop()


def wait_for(condition: Callable[[], bool], patience: float = PATIENCE) -> bool:
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def connect(demo: DemoRegistryHandle) -> socket.socket:
    return socket.create_connection((demo.host, demo.port), timeout=PATIENCE)


def exchange(demo: DemoRegistryHandle, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send raw bytes, read one answer (status, headers in lower case, body)."""
    with connect(demo) as sock:
        sock.sendall(request)
        return read_answer(sock)


def read_answer(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"connection closed without an answer after {data!r}"
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = sock.recv(65536)
        assert chunk, "answer cut short"
        body += chunk
    return int(lines[0].split()[1]), headers, body


def post(demo: DemoRegistryHandle, path: str, body: bytes, extra: str = "") -> tuple[int, dict[str, str], bytes]:
    head = f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n{extra}"
    if "content-length" not in extra.lower():
        head += f"Content-Length: {len(body)}\r\n"
    return exchange(demo, head.encode() + b"\r\n" + body)


def server_threads() -> int:
    return sum("process_request_thread" in t.name for t in threading.enumerate())


def a_normal_call_works(demo: DemoRegistryHandle) -> bool:
    client = EmiasRegistry(demo.url, 2, 5, read_retries=0)
    try:
        return len(client.specialties(key_of(ELENA))) > 0
    finally:
        client.close()


def closed_by_server(sock: socket.socket) -> bool:
    """True once the server closed it (EOF, after a possible 503 answer); never blocks."""
    sock.setblocking(False)
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return True
    except BlockingIOError:
        return False
    except OSError:  # reset: closed as well
        return True


# --- connections -----------------------------------------------------------------------------------


def test_three_hundred_idle_sockets_hold_a_bounded_number_of_threads_and_are_closed(demo) -> None:
    before = threading.active_count()
    idle = [connect(demo) for _ in range(300)]
    try:
        peak = 0
        deadline = time.monotonic() + PATIENCE
        open_ = list(idle)
        while open_ and time.monotonic() < deadline:
            peak = max(peak, threading.active_count())
            open_ = [sock for sock in open_ if not closed_by_server(sock)]
            time.sleep(0.05)
        assert open_ == [], f"{len(open_)} idle sockets still open after {PATIENCE} s"
        assert peak <= before + MAX_CONNECTIONS + 2
        assert wait_for(lambda: server_threads() == 0)
    finally:
        for sock in idle:
            sock.close()
    assert a_normal_call_works(demo)


def test_a_client_stalling_mid_request_is_dropped(demo) -> None:
    with connect(demo) as sock:
        sock.sendall(b"POST /api/emc/appointment-eip/v1/ HTTP/1.1\r\nContent-Length: 100\r\n\r\n{")
        assert wait_for(lambda: closed_by_server(sock))
    with connect(demo) as sock:
        sock.sendall(b"POST /api/emc/appointment-eip/v1/ HTTP/1.1\r\nHost: x")  # headers never end
        assert wait_for(lambda: closed_by_server(sock))
    assert wait_for(lambda: server_threads() == 0)


def test_a_connection_beyond_the_bound_gets_503_with_a_json_rpc_error(tmp_path: Path) -> None:
    with start(tmp_path, socket_timeout=PATIENCE, max_connections=2) as demo:
        holders = [connect(demo) for _ in range(2)]
        assert wait_for(lambda: server_threads() == 2)
        body = b'{"jsonrpc": "2.0", "id": 1, "method": "getSpecialitiesInfo", "params": {}}'
        status, headers, answer = post(demo, "/api/emc/appointment-eip/v1/", body)
        assert status == 503 and headers["connection"] == "close"
        assert json.loads(answer)["error"]["code"] == -32000
        for sock in holders:
            sock.close()
        assert wait_for(lambda: server_threads() == 0)
        assert a_normal_call_works(demo)


def test_the_bound_and_timeout_survive_down_and_up(tmp_path: Path) -> None:
    with start(tmp_path, max_connections=3) as demo:
        demo.down()
        demo.up()
        assert demo._server is not None
        assert demo._server.max_connections == 3 and demo._server.socket_timeout == TIMEOUT
        assert a_normal_call_works(demo)


# --- bodies ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_deeply_nested_json_is_a_parse_error_answer(demo, opening: str) -> None:
    depth = 100_000
    closing = "]" if opening == "[" else "}"
    body = (opening * depth + "1" + closing * depth).encode()
    answer = requests.post(demo.url, data=body, timeout=PATIENCE)
    assert answer.status_code == 200
    assert answer.json()["error"]["code"] == -32700 and answer.json()["id"] is None
    assert a_normal_call_works(demo)


def test_nan_is_not_json(demo) -> None:
    body = b'{"jsonrpc": "2.0", "id": NaN, "method": "getSpecialitiesInfo", "params": {}}'
    assert requests.post(demo.url, data=body, timeout=5).json()["error"]["code"] == -32700


def test_a_two_megabyte_body_is_refused_with_413_before_it_is_read(demo) -> None:
    size = 2 * MAX_BODY
    with connect(demo) as sock:
        sock.sendall(
            f"POST /api/emc/appointment-eip/v1/ HTTP/1.1\r\nHost: x\r\nContent-Length: {size}\r\n\r\n".encode()
            + b"[" * 65536  # the rest is never sent: the server must answer without waiting for it
        )
        status, headers, body = read_answer(sock)
    assert status == 413 and headers["connection"] == "close"
    error = json.loads(body)
    assert error["jsonrpc"] == "2.0" and error["error"]["code"] == -32600
    assert str(MAX_BODY) in error["error"]["message"]
    assert a_normal_call_works(demo)


@pytest.mark.parametrize(
    ("header", "status"),
    [
        ("", 411),
        ("Transfer-Encoding: chunked\r\n", 411),
        ("Content-Length: -5\r\n", 400),
        ("Content-Length: 1_0\r\n", 400),
        ("Content-Length: ten\r\n", 400),
        ("Content-Length: 99999999999\r\n", 413),
    ],
)
def test_missing_or_invalid_content_length(demo, header: str, status: int) -> None:
    answer_status, headers, body = exchange(
        demo, f"POST /api/emc/appointment-eip/v1/ HTTP/1.1\r\nHost: x\r\n{header}\r\n".encode()
    )
    assert answer_status == status and headers["connection"] == "close"
    assert json.loads(body)["error"]["code"] == -32600


def test_a_body_of_exactly_the_cap_is_read(demo) -> None:
    body = b" " * (MAX_BODY - 2) + b"{}"
    answer = requests.post(demo.url, data=body, timeout=PATIENCE)
    assert answer.status_code == 200 and answer.json()["error"]["code"] == -32600  # read, then judged


# --- the admin endpoint ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b'{"latency": NaN}',
        b'{"latency": Infinity}',
        b'{"latency": 1e999}',
        b'{"latency": "NaN"}',
        b'{"latency": "inf"}',
        b'{"latency": -1}',
        b'{"latency": "x"}',
        b'{"latency": 61}',
        b'{"latency": true}',
        b'{"fail_rate": 1.5}',
        b'{"drop_rate": -0.1}',
        b'{"fail_status": 200}',
        b'{"fail_next": -1}',
        b'{"fail_next": 2.5}',
        b'{"down": "yes"}',
        b'{"methods": "createAppointment"}',
        b'{"fail_next": 1, "latency": NaN}',
        b'{"reset": true, "fail_next": 3, "latency": -1}',
        b'[1, 2]',
        b"[" * 100_000,
    ],
)
def test_absurd_admin_values_are_refused_and_change_nothing(demo, body: bytes) -> None:
    demo.set_faults(empty_next=1, methods=["getDoctorsInfo"])  # something to keep
    before = requests.get(demo.admin_url, timeout=5).json()
    status, _, answer = post(demo, "/_admin/faults", body)
    assert status == 400 and json.loads(answer)["error"]
    assert requests.get(demo.admin_url, timeout=5).json() == before
    assert a_normal_call_works(demo)


def test_sane_admin_values_are_taken(demo) -> None:
    answer = requests.post(demo.admin_url, json={"latency": 0.01, "fail_rate": 0, "down": False}, timeout=5)
    assert answer.status_code == 200 and answer.json()["latency"] == 0.01
    assert a_normal_call_works(demo)


def test_the_python_handle_checks_too(demo) -> None:
    with pytest.raises(ValueError, match="finite"):
        demo.set_faults(latency=float("nan"))
    assert demo.faults.latency("getSpecialitiesInfo") == 0


def test_a_client_trickling_its_request_is_cut_at_the_request_deadline(demo) -> None:
    """Each byte within the socket timeout, the request as a whole beyond its deadline (2 timeouts)."""
    with connect(demo) as sock:
        sock.sendall(b"POST /api/emc/appointment-eip/v1/ HTTP/1.1\r\n")
        deadline = time.monotonic() + PATIENCE
        cut = False
        while not cut and time.monotonic() < deadline:
            time.sleep(TIMEOUT / 4)
            cut = closed_by_server(sock)
            if not cut:
                try:
                    sock.send(b"X")
                except OSError:
                    cut = True
        assert cut, "a trickling client held its connection"
