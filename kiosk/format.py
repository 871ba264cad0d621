"""Dates and times as a patient reads them, in the current language (Babel, not hand tables)."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, format_time

from kiosk.i18n import language


def short_date(day: date) -> str:
    """«пн, 25 нояб.»"""
    return format_date(day, "EEE, d MMM", locale=language())


def numeric_date(day: date) -> str:
    """«25.11.2026» (as printed on a referral or a policy)."""
    return day.strftime("%d.%m.%Y")


def weekday_date(day: date) -> str:
    """«пт, 4 декабря»"""
    return format_date(day, "EEE, d MMMM", locale=language())


def long_date(day: date) -> str:
    """«понедельник, 25 ноября 2026 г.»"""
    return format_date(day, "EEEE, d MMMM y", locale=language()) + (" г." if language() == "ru" else "")


def clock(moment: datetime) -> str:
    """«09:30» in the registry's own (Moscow) time, whatever zone the kiosk runs in."""
    return format_time(moment, "HH:mm", locale=language())
