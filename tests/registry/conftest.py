"""A scripted loopback HTTP server: answers what a test tells it to (status, body, delay, cut)."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    delay: float = 0.0
    cut: bool = False  # promise the whole body, send half, close


@dataclass
class Script:
    replies: list[Reply] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    fallback: Reply = field(default_factory=lambda: Reply(500, b"no scripted reply"))

    def result(self, result: Any) -> None:
        """Answer the next request with ``result`` (the request id is echoed)."""
        self.replies.append(
            Reply(body=json.dumps({"jsonrpc": "2.0", "id": "<echo>", "result": result}).encode())
        )

    def error(self, code: int, message: str, data_code: str | None = None) -> None:
        error: dict[str, Any] = {"code": code, "message": message}
        if data_code is not None:
            error["data"] = {"code": data_code}
        self.replies.append(
            Reply(body=json.dumps({"jsonrpc": "2.0", "id": "<echo>", "error": error}).encode())
        )

    def raw(self, status: int = 200, body: bytes = b"", delay: float = 0.0, cut: bool = False) -> None:
        self.replies.append(Reply(status, body, delay, cut))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    script: Script

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        request = json.loads(body)
        self.script.requests.append(request)
        reply = self.script.replies.pop(0) if self.script.replies else self.script.fallback
        if reply.delay:
            time.sleep(reply.delay)
        payload = reply.body.replace(b'"<echo>"', json.dumps(request.get("id")).encode())
        self.send_response(reply.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if reply.cut:
            self.wfile.write(payload[: len(payload) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        with contextlib.suppress(OSError):  # the client may have given up (timeout tests)
            self.wfile.write(payload)


@dataclass
class ScriptedServer:
    url: str
    script: Script


@pytest.fixture
def scripted() -> Iterator[ScriptedServer]:
    script = Script()
    handler = type("Handler", (_Handler,), {"script": script})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield ScriptedServer(f"http://127.0.0.1:{server.server_address[1]}/api/emc/appointment-eip/v1/", script)
    server.shutdown()
    server.server_close()


@pytest.fixture
def refused_url() -> str:
    """A loopback URL where nothing listens (the port was just free)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/emc/appointment-eip/v1/"
