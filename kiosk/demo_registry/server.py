"""The demo registry's HTTP face: JSON-RPC 2.0 over loopback, as the real EMIAS endpoint.

Dispatches on the body's ``method`` whatever the query string (quirk 1), answers
ASCII-escaped JSON (quirk 2) with HTTP 200 for business errors (quirk 9). Faults are
applied here; ``/_admin/faults`` changes them and only answers loopback clients.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import re
import socket
import ssl
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kiosk.demo_registry.faults import Faults
from kiosk.demo_registry.service import INVALID_PARAMS, DemoService, RpcError
from kiosk.registry.config import DEMO_ENDPOINT

log = logging.getLogger("kiosk.demo_registry")

ENDPOINT = DEMO_ENDPOINT
ENDPOINT_ALIASES = (ENDPOINT, "/api/emc/appointment-eip/v1", "/api/new/eip5orch", "/api/new/eip2/")
ADMIN_FAULTS = "/_admin/faults"
ADMIN_STATS = "/_admin/stats"
#: request bodies above this many bytes are refused (HTTP 413) before they are read
MAX_BODY = 1 << 20
#: seconds a connection may stay silent (idle keep-alive, or a client stalling mid-request) before
#: the server closes it; every socket read and write is bounded by it
SOCKET_TIMEOUT = 5.0
#: a whole request (request line, headers, body) may take this many socket timeouts from its first
#: byte: a client trickling a byte now and then, each within the timeout, is cut all the same
REQUEST_DEADLINE_TIMEOUTS = 2
#: connections served at once, one thread each; a connection beyond them is answered 503 and closed
#: at once (plain HTTP; over TLS it is closed without a word: no handshake in the accept loop). Fifty
#: kiosks with a keep-alive connection each fit under it.
MAX_CONNECTIONS = 64
#: the answer to a connection beyond MAX_CONNECTIONS: written as is, so it costs no thread
_BUSY_BODY = b'{"jsonrpc": "2.0", "id": null, "error": {"code": -32000, "message": "Server busy"}}'
BUSY_ANSWER = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nConnection: close\r\n"
    b"Retry-After: 1\r\nContent-Length: %d\r\n\r\n%s" % (len(_BUSY_BODY), _BUSY_BODY)
)
_DIGITS = re.compile(r"[0-9]{1,12}")


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def decode_json(body: bytes) -> Any:
    """JSON as the spec has it: NaN and Infinity refused; nesting too deep for the decoder is a
    ValueError like any other malformed body (RecursionError would otherwise cut the connection)."""
    try:
        return json.loads(body, parse_constant=_no_constant)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


@dataclass(frozen=True)
class TlsFiles:
    """Serve HTTPS: the server's certificate chain and key; with ``client_ca``, clients must present
    a certificate signed by it (mutual TLS, for testing the kiosk's client certificate settings)."""

    cert: Path
    key: Path
    client_ca: Path | None = None

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(self.cert), str(self.key))
        if self.client_ca is not None:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(str(self.client_ca))
        return context


class DemoRegistryServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # fifty kiosks connecting at once must not overflow the listen backlog

    def __init__(
        self, address: tuple[str, int], service: DemoService, faults: Faults, tls: TlsFiles | None = None,
        listening: socket.socket | None = None, *, socket_timeout: float = SOCKET_TIMEOUT,
        max_connections: int = MAX_CONNECTIONS,
    ) -> None:
        """``listening``: a socket already bound and listening (clients could connect before the server
        was built; they wait in its backlog), used instead of binding ``address``. ``socket_timeout``
        and ``max_connections``: see SOCKET_TIMEOUT and MAX_CONNECTIONS."""
        if not socket_timeout > 0 or max_connections < 1:
            raise ValueError("socket_timeout must be positive and max_connections at least 1")
        self.service = service
        self.faults = faults
        self.socket_timeout = socket_timeout
        self.max_connections = max_connections
        self._slots = threading.BoundedSemaphore(max_connections)
        self.connections_refused = 0
        self.requests_served = 0
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, RegistryRequestHandler, bind_and_activate=listening is None)
        if listening is not None:
            self.socket.close()
            self.socket = listening
            self.server_address = listening.getsockname()[:2]
        if tls is not None:  # the handshake happens in the handler thread, not in accept()
            self.socket = tls.server_context().wrap_socket(
                self.socket, server_side=True, do_handshake_on_connect=False
            )

    def process_request(self, request: Any, client_address: Any) -> None:
        """Serve the connection on a thread of its own if one of ``max_connections`` is free, else
        answer 503 from here (the accept loop never waits for a thread)."""
        if not self._slots.acquire(blocking=False):
            self.connections_refused += 1
            self._refuse(request)
            return
        with self._connections_lock:
            self._connections.add(request)
        try:
            super().process_request(request, client_address)
        except BaseException:  # no thread started: give the slot back
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def _refuse(self, request: Any) -> None:
        if not isinstance(request, ssl.SSLSocket):
            with contextlib.suppress(OSError):
                request.settimeout(0.5)
                request.sendall(BUSY_ANSWER)
        self.shutdown_request(request)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up (timeouts, outages) is routine here, not a traceback on stderr."""
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError | ssl.SSLError):
            log.debug("client %s went away: %s", client_address, error)
            return
        log.exception("demo registry: error while serving %s", client_address)

    def drop_connections(self) -> None:
        """Cut every open keep-alive connection (an outage must not spare pooled clients)."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _DeadlineReader(io.RawIOBase):
    """The connection's reads: each within ``timeout``, and a request's all within ``deadline`` of its
    first byte (the clock starts again at :meth:`next_request`). Raises TimeoutError past either."""

    def __init__(self, connection: socket.socket, timeout: float, deadline: float) -> None:
        self._connection, self._timeout, self._deadline = connection, timeout, deadline
        self._ends: float | None = None

    def next_request(self) -> None:
        self._ends = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._ends is None:
            self._connection.settimeout(self._timeout)
        else:
            left = self._ends - time.monotonic()
            if left <= 0:
                raise TimeoutError("request took too long")
            self._connection.settimeout(min(self._timeout, left))
        count = self._connection.recv_into(buffer)
        if self._ends is None and count:
            self._ends = time.monotonic() + self._deadline
        return count


class RegistryRequestHandler(BaseHTTPRequestHandler):
    server: DemoRegistryServer
    protocol_version = "HTTP/1.1"  # keep-alive, so a pooled client reuses its connection
    disable_nagle_algorithm = True  # headers and body go out as separate writes: no 40 ms delayed-ACK stall

    def setup(self) -> None:
        super().setup()
        timeout = self.server.socket_timeout
        self.connection.settimeout(timeout)  # idle or stalling clients: TimeoutError
        self.rfile.close()  # the socket's own file, replaced by one that keeps the request's deadline
        self.reader = _DeadlineReader(self.connection, timeout, timeout * REQUEST_DEADLINE_TIMEOUTS)
        self.rfile = io.BufferedReader(self.reader)

    def handle_one_request(self) -> None:
        self.reader.next_request()
        super().handle_one_request()

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)

    # --- routing ---------------------------------------------------------------------------

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == ADMIN_FAULTS and self._from_loopback():
            self._send_json(200, self.server.faults.snapshot())
        elif path == ADMIN_STATS and self._from_loopback():
            store = self.server.service.store
            self._send_json(
                200,
                {
                    "requests": self.server.requests_served,
                    "booked": store.count_booked(),
                    "duplicates": store.duplicate_bookings(),
                },
            )
        else:
            self._send_json(404, {"error": "not found"})

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        body = self._read_body()
        if body is None:
            return
        if url.path == ADMIN_FAULTS:
            self._admin_faults(body)
        elif url.path in ENDPOINT_ALIASES:
            self._rpc(body, url.query)
        else:
            self._send_json(404, {"error": "not found"})

    def _from_loopback(self) -> bool:
        if self.client_address[0] in ("127.0.0.1", "::1"):
            return True
        self._send_json(403, {"error": "admin endpoint answers loopback clients only"})
        return False

    def _read_body(self) -> bytes | None:
        """The body, or None once the request was refused: no Content-Length (chunked bodies are not
        supported) 411, a malformed one 400, one above MAX_BODY 413, all before reading a byte of it,
        with a JSON-RPC error body; the connection is then closed (the unread body cannot be skipped)."""
        raw = self.headers.get("Content-Length")
        if raw is None or "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self._refuse_body(411, "Length Required: send a Content-Length")
            return None
        if not _DIGITS.fullmatch(raw.strip()):
            self._refuse_body(400, "Invalid Content-Length")
            return None
        length = int(raw.strip())
        if length > MAX_BODY:
            self._refuse_body(413, f"Request body too large: at most {MAX_BODY} bytes")
            return None
        body = self.rfile.read(length)
        if len(body) < length:  # the client hung up mid-body
            self.close_connection = True
            return None
        return body

    def _refuse_body(self, status: int, message: str) -> None:
        self.close_connection = True
        error = {"jsonrpc": "2.0", "id": None, "error": {"code": -32600, "message": message}}
        self._send_json(status, error, close=True)

    def _admin_faults(self, body: bytes) -> None:
        if not self._from_loopback():
            return
        try:  # all or nothing: a bad value leaves every fault as it was
            changes = decode_json(body or b"{}")
            if not isinstance(changes, dict):
                raise ValueError("fault settings are a JSON object")
            reset = bool(changes.pop("reset", False))
            self._send_json(200, self.server.faults.update(changes, reset=reset))
        except (ValueError, AttributeError, TypeError) as exc:
            self._send_json(400, {"error": str(exc)})

    # --- JSON-RPC --------------------------------------------------------------------------

    def _rpc(self, body: bytes, query: str) -> None:
        self.server.requests_served += 1
        request_id: Any = None
        method = ""
        try:
            request = decode_json(body)
        except ValueError:
            return self._answer(None, "", error=(-32700, "Parse error", None))
        if not isinstance(request, dict):
            return self._answer(None, "", error=(-32600, "Invalid Request: batches are not supported", None))
        request_id = request.get("id")
        raw_method = request.get("method")
        method = raw_method if isinstance(raw_method, str) else ""
        if query and query.split("=")[0] != method:
            log.debug("query string %r differs from body method %r (ignored)", query, method)
        delay = self.server.faults.latency(method)
        if delay:
            time.sleep(delay)
        status = self.server.faults.fail_status(method)
        if status is not None:
            return self._send_text(status, "Service Temporarily Unavailable")
        if request.get("jsonrpc") != "2.0" or not method:
            return self._answer(request_id, method, error=(-32600, "Invalid Request", None))
        if self.server.faults.steal_slot(method):
            self.server.service.steal_slot(request.get("params", {}))
        if self.server.faults.empty_result(method):
            return self._answer(request_id, method, result={})
        try:
            result = self.server.service.call(method, request.get("params", {}))
        except RpcError as exc:
            data = None if exc.code in (-32601, -32700) else exc.data_code
            return self._answer(request_id, method, error=(exc.code, exc.message, data))
        except Exception:  # a bug in the demo registry must not kill the connection silently
            log.exception("demo registry failed on %s", method)
            return self._answer(request_id, method, error=(-32603, "Internal error", None))
        self._answer(request_id, method, result=result)

    def _answer(
        self,
        request_id: Any,
        method: str,
        *,
        result: Any = None,
        error: tuple[int, str, str | None] | None = None,
    ) -> None:
        answer: dict[str, Any] = {"jsonrpc": "2.0", "id": request_id}
        if error is None:
            answer["result"] = result
        else:
            code, message, data_code = error
            answer["error"] = {"code": code, "message": message}
            if data_code is not None or code == INVALID_PARAMS:
                answer["error"]["data"] = {"code": data_code or "INVALID_PARAMS"}
        payload = json.dumps(answer, ensure_ascii=True).encode("ascii")
        if self.server.faults.drop_answer(method):
            return self._drop(payload)
        self._send_bytes(200, payload, "application/json; charset=utf-8")

    def _drop(self, payload: bytes) -> None:
        """Promise the whole answer, send half of it, and cut the connection."""
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload[: len(payload) // 2])
        self.wfile.flush()
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _send_json(self, status: int, body: Any, *, close: bool = False) -> None:
        payload = json.dumps(body, ensure_ascii=True).encode("ascii")
        self._send_bytes(status, payload, "application/json", close=close)

    def _send_text(self, status: int, text: str) -> None:
        self._send_bytes(status, text.encode("utf-8"), "text/plain; charset=utf-8")

    def _send_bytes(self, status: int, payload: bytes, content_type: str, *, close: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        if close:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(payload)
