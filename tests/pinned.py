"""The instant the whole suite runs at: KIOSK_TEST_NOW (ISO 8601 with offset), or the fixed default.

    KIOSK_TEST_NOW=2026-12-31T23:50:00+03:00 bash .ci/test

Tests take their dates from here (or from the ``clock`` fixture), never from the machine.
"""

from __future__ import annotations

from datetime import datetime

from kiosk.clock import pinned_test_instant

TEST_NOW = pinned_test_instant()
TODAY = TEST_NOW.date  # the kiosk's date as a callable (for the card reader's expiry check)


def clock_now() -> datetime:
    """The pinned instant as a clock function, for adapters that take ``now`` (printers)."""
    return TEST_NOW
