"""JSON-RPC 2.0 over one pooled ``requests.Session``: the transport under the EMIAS adapter.

Success is judged by ``result`` versus ``error``, never by the HTTP status (quirk 9).
``error.data.code`` becomes the matching :mod:`kiosk.errors` class; everything else that
goes wrong (refused, timeouts, HTTP errors, cut or unreadable answers) becomes
:class:`TransportFailure` (a :class:`RegistryUnavailable`) or :class:`UnexpectedAnswer`.
Reads are retried with backoff; writes are never retried here (see emias.py).
Each attempt has one deadline (connect to the last byte), the decoded answer a size cap; redirects
are never followed and the environment (proxies, CA bundles) is ignored.
:meth:`JsonRpcClient.call_once` is one attempt with its own deadline, for the health probe.
Logs name the method and what went wrong, never the parameters (policy, birth date).
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import secrets
import socket
import string
import threading
import time
import zlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from kiosk.errors import BUSINESS_ERRORS, InvalidParams, RegistryError, RegistryUnavailable, UnexpectedAnswer

if TYPE_CHECKING:
    import requests

log = logging.getLogger("kiosk.registry")

METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
_ID_ALPHABET = string.ascii_letters + string.digits
_PASSED = "Timeout (deadline passed)"
#: bytes asked of the socket at a time while an answer streams in
_CHUNK = 64 * 1024
#: what a parser may raise on hostile input (huge or odd numbers, deep nesting, wrong shapes)
PARSE_ERRORS = (ValueError, RecursionError, TypeError, KeyError, IndexError, AttributeError, OverflowError)


class TransportFailure(RegistryUnavailable):
    """No usable answer. ``maybe_delivered`` is False only when the request surely never reached
    the registry (connection refused or not established), so a write can be treated as not done.
    ``retryable`` is False where repeating a read would not help or would only make the patient wait
    longer: after a read timeout (already ``read_timeout`` seconds) and for HTTP 4xx."""

    def __init__(self, detail: str, maybe_delivered: bool, retryable: bool = True) -> None:
        super().__init__(detail)
        self.maybe_delivered = maybe_delivered
        self.retryable = retryable


class UnreadableAnswer(UnexpectedAnswer):
    """HTTP 200 but not a JSON-RPC answer we can read; the request was processed or not, unknown."""

    maybe_delivered = True


class MethodNotFound(UnexpectedAnswer):
    """JSON-RPC -32601: the registry has no such method (used to detect optional extensions)."""

    maybe_delivered = False


#: the monotonic instant the current thread's registry call must end by (read by the guarded connections)
_deadline = threading.local()


def _cut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)  # wakes the blocked recv; the request fails at once


@functools.cache
def _guarded_pools() -> dict[str, Any]:
    """urllib3 pool classes whose connections cut themselves off at the call's deadline while waiting for
    the status line and headers (a registry trickling header bytes defeats any per-read timeout)."""
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

    def guarded(base: type[Any]) -> type[Any]:
        def getresponse(self: Any, *args: Any, **kwargs: Any) -> Any:
            ends = getattr(_deadline, "ends", None)
            sock = self.sock
            if ends is None or sock is None:
                return base.getresponse(self, *args, **kwargs)
            timer = threading.Timer(max(0.0, ends - time.monotonic()), _cut, (sock,))
            timer.daemon = True
            timer.start()
            try:
                return base.getresponse(self, *args, **kwargs)
            finally:
                timer.cancel()

        return type(f"Guarded{base.__name__}", (base,), {"getresponse": getresponse})

    http = type("GuardedPool", (HTTPConnectionPool,), {"ConnectionCls": guarded(HTTPConnection)})
    https = type("GuardedTlsPool", (HTTPSConnectionPool,), {"ConnectionCls": guarded(HTTPSConnection)})
    return {"http": http, "https": https}


def new_request_id() -> str:
    """21 random letters and digits, like the portal's nanoid ids."""
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(21))


def _not_sent(exc: requests.ConnectionError) -> bool:
    """True when the connection was never established (refused, DNS, connect timeout)."""
    import requests
    from urllib3.exceptions import NewConnectionError

    if isinstance(exc, requests.ConnectTimeout | requests.exceptions.SSLError):
        return True  # no TCP connection, or the TLS handshake failed: nothing was sent
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, NewConnectionError)


class JsonRpcClient:
    def __init__(
        self,
        url: str,
        connect_timeout: float,
        read_timeout: float,
        session: requests.Session | None = None,
        *,
        verify: bool | str = True,
        cert: str | tuple[str, str] | None = None,
        read_retries: int = 2,
        retry_backoff: float = 0.3,
        sleep: Callable[[float], None] = time.sleep,
        call_deadline: float = 20.0,
        max_answer_bytes: int = 4 * 1024 * 1024,
    ) -> None:
        self.url = url
        self.timeout = (connect_timeout, read_timeout)
        #: seconds one attempt may take from connect to the last byte of the answer
        self.call_deadline = call_deadline
        #: largest answer read, counted after decompression
        self.max_answer_bytes = max_answer_bytes
        self.read_retries = read_retries
        self.retry_backoff = retry_backoff
        self._sleep = sleep
        self._own_session = session is None
        # given with every request, not only on the session: requests lets REQUESTS_CA_BUNDLE /
        # CURL_CA_BUNDLE override a session's verify (even False), which would ignore [registry] settings
        self.verify = verify
        self.cert = cert
        # requests and urllib3 (~0.1 s to import) come in with the first request, not at the kiosk's start
        self._session = session
        self._prepared = False
        self._session_lock = threading.Lock()
        #: round trips made (benchmarks and tests count them)
        self.round_trips = 0
        #: ``observer(method, seconds, outcome)`` after every round trip (the metrics' latency histogram);
        #: outcome is ``ok``, ``error`` (a JSON-RPC error answer), ``unavailable`` or ``unreadable``
        self.observer: Callable[[str, float, str], None] | None = None

    @property
    def session(self) -> requests.Session:
        """The pooled session: the one given, or our own, made on first use (thread-safe)."""
        if not self._prepared:
            with self._session_lock:
                if not self._prepared:
                    self._prepare()
        assert self._session is not None
        return self._session

    def _prepare(self) -> None:
        import requests
        import urllib3
        from requests.adapters import HTTPAdapter

        session = self._session
        if session is None:
            session = requests.Session()
            # the four job workers plus the health probe (kiosk.health) may use it at once
            adapter = HTTPAdapter(pool_connections=1, pool_maxsize=5, max_retries=0)
            adapter.poolmanager.pool_classes_by_scheme = _guarded_pools()
            session.mount("http://", adapter)
            session.mount("https://", adapter)
        if self.verify is False:  # said once by the factory; urllib3 would repeat it on every request
            urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
        # the environment must not redirect the registry's traffic (HTTP(S)_PROXY) or replace its
        # trust store (REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE); verify/cert come from [registry] only
        session.trust_env = False
        session.proxies = {}
        # with allow_redirects=False requests still prepares the next hop, reading the 3xx body whole
        # (no deadline, no cap) and parsing Location; we judge 3xx ourselves, from the status alone
        session.get_redirect_target = lambda response: None  # type: ignore[method-assign,assignment]
        # encodings we decode ourselves, with a size cap (no br/zstd whatever libraries are installed)
        session.headers.update(
            {"Content-Type": "application/json", "Accept": "application/json", "Accept-Encoding": "gzip, deflate"}
        )
        self._session = session
        self._prepared = True

    def close(self) -> None:
        if self._own_session and self._session is not None:
            self._session.close()

    def call(self, method: str, params: dict[str, Any], *, write: bool = False) -> Any:
        """Return ``result`` of ``method``; a read is retried after transport failures, a write never.

        All attempts together take at most ``call_deadline`` seconds (no repeat starts after it)."""
        attempts = 1 if write else 1 + max(0, self.read_retries)
        ends = time.monotonic() + self.call_deadline  # the repeats of a read share the one deadline
        for attempt in range(attempts):
            try:
                return self._call_once(method, params, timeout=max(0.1, ends - time.monotonic()))
            except TransportFailure as exc:
                delay = self.retry_backoff * (2**attempt)
                if attempt + 1 >= attempts or not exc.retryable or ends - time.monotonic() - delay < 0.1:
                    raise
                log.warning(
                    "registry %s failed (%s); retry %d of %d in %.1f s",
                    method,
                    exc,
                    attempt + 1,
                    attempts - 1,
                    delay,
                )
                self._sleep(delay)
        raise AssertionError("unreachable")

    def call_once(
        self, method: str, params: dict[str, Any], *, timeout: float | None = None, quiet: bool = False
    ) -> Any:
        """One attempt at ``method``, never retried (the health probe's round trip).

        ``timeout`` (seconds) caps this request's deadline (and so its connect and read timeouts):
        it bounds the whole exchange. ``quiet`` logs failures and
        refusals at debug level: a probe every few seconds must not fill the journal while the
        registry is down (the health coordinator logs the change of state once).
        """
        return self._call_once(method, params, timeout=timeout, quiet=quiet)

    def _call_once(
        self, method: str, params: dict[str, Any], *, timeout: float | None = None, quiet: bool = False
    ) -> Any:
        observer = self.observer
        if observer is None:
            return self._exchange(method, params, timeout=timeout, quiet=quiet)
        started = time.monotonic()
        outcome = "unavailable"
        try:
            result = self._exchange(method, params, timeout=timeout, quiet=quiet)
            outcome = "ok"
            return result
        except UnexpectedAnswer:
            outcome = "unreadable"
            raise
        except RegistryError:
            outcome = "error"
            raise
        finally:
            observer(method, time.monotonic() - started, outcome)

    def _exchange(
        self, method: str, params: dict[str, Any], *, timeout: float | None = None, quiet: bool = False
    ) -> Any:
        request_id = new_request_id()
        body = {"jsonrpc": "2.0", "id": request_id, "method": method, "params": params}
        deadline = self.call_deadline if timeout is None else min(self.call_deadline, timeout)
        connect = min(self.timeout[0], deadline)
        # the guarded connection cuts a wait for the headers at the deadline; the body is bounded in _read_body
        limits = (connect, min(self.timeout[1], deadline))
        trouble = logging.DEBUG if quiet else logging.WARNING
        session = self.session  # imports requests on the first request
        import requests

        started = time.monotonic()
        ends = started + deadline
        self.round_trips += 1
        _deadline.ends = ends
        try:
            response = session.post(
                f"{self.url}?{method}",
                data=json.dumps(body),
                timeout=limits,
                verify=self.verify,
                cert=self.cert,
                stream=True,
                allow_redirects=False,
            )
        except requests.ConnectionError as exc:  # includes ConnectTimeout
            sent = not _not_sent(exc)
            if sent and time.monotonic() >= ends:  # cut off at the deadline while the headers trickled in
                log.log(trouble, "registry %s: no answer within %.1f s", method, deadline)
                raise TransportFailure(f"{method}: {_PASSED}", maybe_delivered=True, retryable=False) from None
            log.log(trouble, "registry %s: no connection (%s)", method, type(exc).__name__)
            raise TransportFailure(f"{method}: {type(exc).__name__}", maybe_delivered=sent) from None
        except requests.Timeout as exc:
            log.log(trouble, "registry %s: no answer within %.1f s", method, limits[1])
            raise TransportFailure(
                f"{method}: {type(exc).__name__}", maybe_delivered=True, retryable=False
            ) from None
        except requests.RequestException as exc:  # ChunkedEncodingError, ContentDecodingError, ...
            log.log(trouble, "registry %s: answer cut off (%s)", method, type(exc).__name__)
            raise TransportFailure(f"{method}: {type(exc).__name__}", maybe_delivered=True) from None
        finally:
            _deadline.ends = None
        try:
            if 300 <= response.status_code < 400:
                # never followed: the request carries the policy and birth date
                try:
                    target = (urlsplit(response.headers.get("Location", "")).hostname or "?")[:80]
                except ValueError:  # "http://[::1" and the like
                    target = "?"
                log.log(trouble, "registry %s: HTTP %d redirect to %s, not followed",
                        method, response.status_code, target)
                raise TransportFailure(
                    f"{method}: HTTP {response.status_code} redirect to {target}",
                    maybe_delivered=True,
                    retryable=False,
                )
            if not 200 <= response.status_code < 300:
                elapsed = time.monotonic() - started
                log.log(trouble, "registry %s: HTTP %d after %.2f s", method, response.status_code, elapsed)
                server_side = response.status_code >= 500
                raise TransportFailure(
                    f"{method}: HTTP {response.status_code}", maybe_delivered=server_side, retryable=server_side
                )
            payload = self._read_body(method, response, ends, trouble)
        except BaseException:
            response.close()  # the connection is in an unknown state: dropped, not pooled
            raise
        response.raw.release_conn()  # read to the end: back to the pool for keep-alive
        log.debug("registry %s answered in %.3f s", method, time.monotonic() - started)
        try:
            return self._unwrap(method, request_id, payload, quiet=quiet)
        except PARSE_ERRORS as exc:  # hostile values: odd or huge numbers, deep nesting, wrong shapes
            log.log(trouble, "registry %s: answer unreadable (%s)", method, type(exc).__name__)
            raise UnreadableAnswer(f"{method}: unreadable ({type(exc).__name__})") from None

    def _read_body(self, method: str, response: requests.Response, ends: float, trouble: int) -> bytes:
        """The whole answer, decoded, by ``ends`` (monotonic) and at most ``max_answer_bytes`` long.

        Read a socket read at a time (``read1``) with the socket's timeout set to the time left, so a
        registry trickling bytes cannot stretch the call; gzip/deflate are decoded here, with the cap
        applied to the decoded size (a small gzip bomb never grows past it in memory).
        """
        from urllib3.exceptions import HTTPError, ReadTimeoutError

        encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
        decoder: Any = None
        if encoding in ("gzip", "x-gzip", "deflate"):
            decoder = zlib.decompressobj(47)  # 32 + 15: gzip or zlib header, detected
        elif encoding not in ("", "identity"):
            log.log(trouble, "registry %s: answer in unknown encoding %.20s", method, encoding)
            raise UnreadableAnswer(f"{method}: unknown Content-Encoding")
        raw = response.raw
        sock = getattr(getattr(raw, "connection", None), "sock", None)
        cap = self.max_answer_bytes
        parts: list[bytes] = []
        size = 0
        try:
            while True:
                left = ends - time.monotonic()
                if left <= 0:
                    raise TimeoutError
                if sock is not None:
                    sock.settimeout(min(left, self.timeout[1]))
                chunk = raw.read1(_CHUNK, decode_content=False)
                if not chunk:
                    break
                if decoder is not None:
                    chunk = decoder.decompress(chunk, cap + 1 - size)
                    if decoder.unconsumed_tail:  # more decoded text than the cap allows
                        size = cap + 1
                parts.append(chunk)
                size += len(chunk)
                if size > cap:
                    log.log(trouble, "registry %s: answer over %d KiB", method, cap // 1024)
                    raise UnreadableAnswer(f"{method}: answer too large")
            if decoder is not None:
                parts.append(decoder.flush(cap + 1 - size))
                if not decoder.eof or sum(map(len, parts)) > cap:
                    raise zlib.error("truncated or oversized compressed answer")
        except TimeoutError:
            log.log(trouble, "registry %s: answer not complete within %.1f s", method, self.call_deadline)
            raise TransportFailure(f"{method}: {_PASSED}", maybe_delivered=True, retryable=False) from None
        except zlib.error:
            log.log(trouble, "registry %s: compressed answer unreadable", method)
            raise UnreadableAnswer(f"{method}: bad compressed answer") from None
        except (HTTPError, OSError) as exc:  # cut off, reset, a socket timeout (TimeoutError is an OSError)
            if isinstance(exc, ReadTimeoutError) or time.monotonic() >= ends:
                log.log(trouble, "registry %s: answer stalled or not complete within %.1f s", method,
                        self.call_deadline)
                raise TransportFailure(
                    f"{method}: {_PASSED}", maybe_delivered=True, retryable=False
                ) from None
            log.log(trouble, "registry %s: answer cut off (%s)", method, type(exc).__name__)
            raise TransportFailure(f"{method}: {type(exc).__name__}", maybe_delivered=True) from None
        return b"".join(parts)

    def _unwrap(self, method: str, request_id: str, payload: bytes, *, quiet: bool = False) -> Any:
        trouble = logging.DEBUG if quiet else logging.WARNING
        try:
            answer = json.loads(payload)
        except (ValueError, RecursionError):  # not JSON, not UTF-8, a 5000-digit number, deep nesting
            log.log(trouble, "registry %s: answer is not JSON (%d bytes)", method, len(payload))
            raise UnreadableAnswer(f"{method}: not JSON") from None
        if not isinstance(answer, dict):
            log.log(trouble, "registry %s: answer is not a JSON object", method)
            raise UnreadableAnswer(f"{method}: answer is not an object")
        if answer.get("id") not in (request_id, None):
            log.log(trouble, "registry %s: answer for another request id", method)
            raise UnreadableAnswer(f"{method}: id mismatch")
        if "error" in answer and answer["error"] is not None:
            raise self._error(method, answer["error"], logging.DEBUG if quiet else logging.INFO)
        if "result" not in answer:
            log.log(trouble, "registry %s: answer has neither result nor error", method)
            raise UnreadableAnswer(f"{method}: neither result nor error")
        return answer["result"]

    @staticmethod
    def _error(method: str, error: Any, level: int = logging.INFO) -> Exception:
        if not isinstance(error, dict):
            return UnreadableAnswer(f"{method}: malformed error")
        raw_message = error.get("message")
        message = raw_message if isinstance(raw_message, str) else ""
        data = error.get("data")
        data_code = data.get("code") if isinstance(data, dict) else None
        log.log(level, "registry %s refused: %s %s", method, error.get("code"), data_code or "")
        if isinstance(data_code, str) and data_code in BUSINESS_ERRORS:
            return BUSINESS_ERRORS[data_code](data_code, message)
        if error.get("code") == METHOD_NOT_FOUND:
            return MethodNotFound(f"{method}: method not found")
        if error.get("code") == INVALID_PARAMS:
            return InvalidParams(str(data_code or "INVALID_PARAMS"), message)
        if isinstance(data_code, str) or message:
            return RegistryError(str(data_code or error.get("code")), message)
        return UnreadableAnswer(f"{method}: error without code or message")
