"""Printer adapter for real devices (usb, serial, network, file) through python-escpos.

Each job: status before (DLE EOT, where the connection can read), the bytes in
chunks, status after, then the presenter's collect timer. Everything runs on a
worker thread; the caller gets a PrintResult within ``job_timeout`` seconds, and
the job itself keeps to the same deadline: every write may take only what is left
of it, so a printer that stops reading cannot hold the printing thread.

A ticket is "printed" only when the printer answered "ready" after taking every
byte; a printer that cannot answer (file, ``check_status = no``) or does not
answer leaves it "unknown", and the caller shows the ticket on screen as well.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from devices.printer.config import PrinterConfig
from devices.printer.connections import (
    PrinterConnectionError,
    can_read,
    drain_input,
    limit_writes,
    open_connection,
)
from devices.printer.document import Document
from devices.printer.escpos_writer import render_escpos
from devices.printer.jobs import JobTimeoutError, SerialWorker
from devices.printer.models import MODELS
from devices.printer.options import presenter_plan, writer_options
from devices.printer.ports import UNKNOWN_STATUS, Delivery, Now, PrinterState, PrinterStatus, PrintResult
from devices.printer.preview_printer import save_ticket_png
from devices.printer.status import DLE_EOT, custom_ticket_in_output, interpret

log = logging.getLogger(__name__)

CHUNK = 1024
JOB_MARGIN = 0.25  # seconds


class EscposPrinter:
    def __init__(
        self, cfg: PrinterConfig, *, now: Now, connect: Callable[[PrinterConfig], Any] = open_connection
    ) -> None:
        self.cfg = cfg
        self.now = now
        self.options = writer_options(cfg)
        self.presenter = presenter_plan(cfg)
        self._connect = connect
        self._conn: Any = None
        self._worker = SerialWorker(cfg.kind)
        self._collect_timer: threading.Timer | None = None
        self._persistent = cfg.kind != "file"  # a file is reopened (and rewritten) per ticket

    # ---- public port ------------------------------------------------------------------------
    def render(self, doc: Document) -> bytes:
        return render_escpos(doc, self.options)

    def print_document(self, doc: Document) -> PrintResult:
        try:
            data = self.render(doc)
        except Exception as exc:
            log.exception("ticket could not be converted to ESC/POS")
            return PrintResult(Delivery.NOT_PRINTED, reason=f"cannot build printer commands: {exc}")
        return self.print_bytes(data)

    def print_bytes(self, data: bytes) -> PrintResult:
        # the job's own deadline comes a moment before the caller's, so its own words (how many bytes
        # went out) reach the caller; the caller's is the hard bound
        deadline = time.monotonic() + self.cfg.job_timeout - min(JOB_MARGIN, self.cfg.job_timeout / 10)
        try:
            result = self._worker.run(lambda: self._print_job(data, deadline), self.cfg.job_timeout)
        except JobTimeoutError as exc:
            log.warning("printer job timed out: %s", exc)
            result = PrintResult(Delivery.NOT_PRINTED, reason=f"printer timed out: {exc}")
        except Exception as exc:
            log.warning("printer job failed: %s", exc)
            result = PrintResult(Delivery.NOT_PRINTED, reason=str(exc))
        if not result.ok:
            result = dataclasses.replace(result, png_path=self._fallback_png(data))
        return result

    def _fallback_png(self, data: bytes) -> Path | None:
        """The ticket as a picture for the screen, from the very bytes the printer did not (say it did) print."""
        try:
            return save_ticket_png(data, self.cfg, self.cfg.fallback_dir, self.now)
        except Exception as exc:  # the fallback must not turn a failure into a crash
            log.warning("could not render the ticket picture: %s", exc)
            return None

    def status(self) -> PrinterStatus:
        if not can_read(self.cfg):
            return UNKNOWN_STATUS
        try:
            return self._worker.run(self._status_job, self.cfg.status_timeout * 6 + 1)
        except Exception as exc:
            return PrinterStatus(PrinterState.UNKNOWN, f"status not available: {exc}")

    def close(self) -> None:
        timer, self._collect_timer = self._collect_timer, None
        if timer is not None:
            timer.cancel()
        self._drop_connection()

    # ---- jobs (worker thread) ------------------------------------------------------------------
    def _connection(self) -> Any:
        if self._conn is None:
            self._conn = self._connect(self.cfg)
        return self._conn

    def _drop_connection(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            close_quietly(conn)

    def _status_job(self) -> PrinterStatus:
        try:
            status = self._read_status(self._connection(), time.monotonic() + self.cfg.status_timeout * 6)
            if status.state is PrinterState.UNKNOWN:
                self._drop_connection()  # replugged adapter or rebooted printer: reopen next time
            return status
        except PrinterConnectionError as exc:
            return PrinterStatus(PrinterState.UNKNOWN, str(exc))
        except Exception as exc:
            self._drop_connection()
            return PrinterStatus(PrinterState.UNKNOWN, f"status read failed: {exc}")

    def _ask(self, conn: Any, n: int, expected: int = 1) -> bytes:
        """One status request and its reply, within ``status_timeout``; b"" when nothing came."""
        drain_input(conn)
        conn._raw(DLE_EOT + bytes([n]))
        device: Any = getattr(conn, "device", None)
        try:
            if hasattr(device, "in_waiting"):  # pyserial: return as soon as the reply is complete
                return bytes(device.read(expected))
            if hasattr(conn, "in_ep") and hasattr(device, "read"):  # pyusb: our timeout, not its 1 s default
                return bytes(device.read(conn.in_ep, 16, timeout=int(self.cfg.status_timeout * 1000)))
            return bytes(conn._read() or b"")
        except NotImplementedError:
            raise
        except Exception as exc:
            log.debug("no status reply: %s", exc)
            return b""

    def _read_status(self, conn: Any, deadline: float) -> PrinterStatus:
        """DLE EOT where the connection can read; a question that no longer fits before ``deadline``
        is not asked (its answer counts as missing)."""
        if not can_read(self.cfg):
            return UNKNOWN_STATUS
        device: Any = getattr(conn, "device", None)
        old_timeout = None
        if hasattr(device, "settimeout"):  # network: wait status_timeout, not the write timeout
            old_timeout = device.gettimeout()
            device.settimeout(self.cfg.status_timeout)
        try:

            def query(n: int) -> int | None:
                if deadline - time.monotonic() < self.cfg.status_timeout:
                    return None
                reply = self._ask(conn, n)
                return reply[0] if reply else None

            status = interpret(query)
            fits = deadline - time.monotonic() >= self.cfg.status_timeout
            if MODELS[self.cfg.model].custom_status and status.state is not PrinterState.UNKNOWN and fits:
                in_output = custom_ticket_in_output(self._ask(conn, 0x14, expected=6))
                status = PrinterStatus(status.state, status.detail, in_output)
            return status
        finally:
            if old_timeout is not None:
                device.settimeout(old_timeout)

    def _print_job(self, data: bytes, deadline: float) -> PrintResult:
        if self._collect_timer is not None:
            self._collect_timer.cancel()
        try:
            conn = self._connection()
        except PrinterConnectionError as exc:
            return PrintResult(Delivery.NOT_PRINTED, reason=str(exc))
        check = self.cfg.check_status and can_read(self.cfg)
        sent = 0
        try:
            # status before may use at most half of the job's time: the ticket needs the rest
            halfway = time.monotonic() + (deadline - time.monotonic()) / 2
            before = self._read_status(conn, halfway) if check else UNKNOWN_STATUS
            if not before.can_print:
                return PrintResult(
                    Delivery.NOT_PRINTED, reason=f"printer not ready: {before.detail}", status_before=before
                )
            if before.ticket_in_output and self.presenter.collect:
                log.info("previous ticket still in the output: %s it first", self.cfg.uncollected)
                self._write(conn, self.presenter.collect, deadline)
            for start in range(0, len(data), CHUNK):
                self._write(conn, data[start : start + CHUNK], deadline)
                sent = min(start + CHUNK, len(data))
            limit_writes(conn, self.cfg.timeout)  # later small writes (presenter collect) get the full time
            commit = getattr(conn, "commit", None)
            if callable(commit):  # a regular file gets the whole ticket at once
                commit()
            after = self._read_status(conn, deadline) if check else UNKNOWN_STATUS
        except Exception as exc:
            self._drop_connection()
            what = "printer timed out" if _is_timeout(exc) else "printing failed"
            return PrintResult(
                Delivery.NOT_PRINTED,
                reason=" ".join(f"{what} after {sent} of {len(data)} bytes: {exc}".split()),
                bytes_sent=sent,
            )
        finally:
            if not self._persistent:
                self._drop_connection()
        self._schedule_collect()
        return _judge(before, after, len(data))

    def _write(self, conn: Any, chunk: bytes, deadline: float) -> None:
        """One write that may take what is left of the job's time (and at most ``timeout``)."""
        left = deadline - time.monotonic()
        if left <= 0:
            raise JobTimeoutError(f"no time left of the {self.cfg.job_timeout:g} s job")
        limit_writes(conn, min(self.cfg.timeout, left))
        conn._raw(chunk)

    def _schedule_collect(self) -> None:
        plan = self.presenter
        if not plan.collect or plan.timeout <= 0:
            return
        timer = threading.Timer(plan.timeout, self._collect)
        timer.daemon = True
        self._collect_timer = timer
        timer.start()

    def _collect(self) -> None:
        timer = self._collect_timer

        def job() -> None:
            if timer is None or timer is not self._collect_timer or timer.finished.is_set():
                return  # cancelled by a new ticket or close() while waiting for the worker
            conn = self._connection()
            conn._raw(self.presenter.collect)

        try:
            self._worker.run(job, self.cfg.job_timeout)
            log.info("uncollected ticket: sent %s command", self.cfg.uncollected)
        except Exception as exc:
            log.warning("could not collect the presented ticket: %s", exc)


def close_quietly(conn: Any) -> None:
    """Close without waiting for a stalled device to drain (serial close() would tcdrain forever)."""
    device = getattr(conn, "_device", None)
    discard = getattr(device, "reset_output_buffer", None)
    try:
        if callable(discard):
            discard()
        conn.close()
    except Exception as exc:
        log.debug("closing printer connection: %s", exc)
    finally:
        conn._device = False  # python-escpos' __del__ would try again


def _is_timeout(exc: BaseException) -> bool:
    """A write that ran out of time: sockets and our file connection raise TimeoutError, pyserial its
    SerialTimeoutException, pyusb USBTimeoutError, our own deadline JobTimeoutError."""
    return isinstance(exc, TimeoutError | JobTimeoutError) or "Timeout" in type(exc).__name__


def _judge(before: PrinterStatus, after: PrinterStatus, sent: int) -> PrintResult:
    """Every byte went out; what the printer said after the ticket decides what became of it."""
    if after.state in (PrinterState.PAPER_END, PrinterState.COVER_OPEN, PrinterState.OFFLINE):
        return PrintResult(
            Delivery.NOT_PRINTED,
            reason=f"printer reported {after.detail} during the ticket; it may be incomplete",
            bytes_sent=sent,
            status_before=before,
            status_after=after,
        )
    warning = "paper near end" if PrinterState.PAPER_NEAR_END in (before.state, after.state) else ""
    if after.state is PrinterState.UNKNOWN:
        if before.state is PrinterState.UNKNOWN:
            reason = f"sent, but the printer did not confirm it ({after.detail})"
        else:
            reason = f"printer stopped answering during the ticket ({after.detail}); it may be incomplete"
        return PrintResult(
            Delivery.UNKNOWN, reason=reason, warning=warning, bytes_sent=sent, status_before=before,
            status_after=after,
        )
    return PrintResult(
        Delivery.PRINTED, warning=warning, bytes_sent=sent, status_before=before, status_after=after
    )
