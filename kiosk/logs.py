"""Logging set-up: to journald with structured fields under systemd, else one line per event to stderr.

Every handler carries the privacy filter (policy numbers, SNILS and date-only values masked, see
``kiosk.log_privacy``) and the context filter (session id, errand, step, device: ``kiosk.log_context``).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping

from kiosk.journal import JOURNAL_SOCKET, JournalHandler, stderr_is_journal
from kiosk.log_context import ContextFilter
from kiosk.log_privacy import PrivacyFilter


def choose_handler(target: str, environ: Mapping[str, str]) -> logging.Handler:
    if target == "journal" or (target == "auto" and stderr_is_journal(environ) and JOURNAL_SOCKET.exists()):
        return JournalHandler()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    return handler


def configure_logging(level: str, target: str = "auto", environ: Mapping[str, str] | None = None) -> logging.Handler:
    handler = choose_handler(target, os.environ if environ is None else environ)
    handler.addFilter(PrivacyFilter())
    handler.addFilter(ContextFilter())
    root = logging.getLogger()
    for old in root.handlers:
        if isinstance(old, JournalHandler):  # its socket; other handlers (a test's capture) are not ours
            old.close()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("urllib3", "PIL"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return handler
