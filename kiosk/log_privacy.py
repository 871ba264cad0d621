"""Personal data never reaches a log line: a filter masks what slipped into a message or a traceback.

Code logs masked values already (``PatientKey``'s repr, ``mask_policy``); this is the second line of
defence for text that came from elsewhere (a registry error that echoes the request, an exception's
message). Masked: 16-digit policy numbers (with or without spaces) → ``7700 **** **** 0017``,
SNILS (``123-456-789 01`` or 11 digits) → ``***-***-*** **``, and dates without a time
(``12.03.1985``, ``1985-03-12``), which may be birth dates → ``**.**.****``. Timestamps with a
time (``2026-11-24T09:40``, ``2026-11-24 09:40``) stay.
"""

from __future__ import annotations

import logging
import re

from kiosk.domain import mask_policy

_POLICY = re.compile(r"(?<![\d*])\d{4} ?\d{4} ?\d{4} ?\d{4}(?![\d*])", re.ASCII)
_SNILS = re.compile(r"(?<!\d)(?:\d{3}-\d{3}-\d{3}[ -]?\d{2}|\d{11})(?!\d)", re.ASCII)
_DATE = re.compile(r"(?<![\d.])(?:\d{2}\.\d{2}\.\d{4}|\d{4}-\d{2}-\d{2})(?![\d.]|[T ]\d{2}:\d{2})", re.ASCII)


def mask_personal(text: str) -> str:
    text = _POLICY.sub(lambda match: mask_policy(match.group()), text)
    text = _SNILS.sub("***-***-*** **", text)
    return _DATE.sub("**.**.****", text)


class PrivacyFilter(logging.Filter):
    """Replaces the record's message (arguments merged) and traceback text with their masked forms."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_personal(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal(record.exc_text)
        return True
