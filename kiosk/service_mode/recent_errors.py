"""The last warnings and errors, for the service screen: a logging handler with a short memory.

Records pass the privacy filter first, so what the screen shows is what the journal shows: no policy
number, SNILS or birth date.
"""

from __future__ import annotations

import logging
import threading
from collections import deque

from kiosk.log_privacy import PrivacyFilter


class RecentErrors(logging.Handler):
    def __init__(self, keep: int = 20) -> None:
        super().__init__(level=logging.WARNING)
        self.addFilter(PrivacyFilter())
        self._lines: deque[str] = deque(maxlen=keep)
        self._guard = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        line = f"{record.levelname} {record.name}: {record.getMessage()}"
        with self._guard:
            self._lines.append(line[:200])

    def lines(self) -> list[str]:
        """Newest first."""
        with self._guard:
            return list(reversed(self._lines))
