"""Working days: deadlines counted without weekends and Greek public holidays."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays
from django.conf import settings
from django.utils import timezone


@lru_cache(maxsize=64)
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays(settings.DIMOS_HOLIDAY_COUNTRY, years=year)


def is_public_holiday(day: date) -> bool:
    """A public holiday of the configured country (Greek by default), whatever the weekday."""
    return day in _holidays(day.year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start: date | datetime, days: int) -> date:
    """The date ``days`` working days after ``start`` (a date, or an aware datetime)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = timezone.localdate(start) if isinstance(start, datetime) else start
    return _add_working_days(day, days)


@lru_cache(maxsize=4096)
def _add_working_days(day: date, days: int) -> date:
    added = 0
    while added < days:
        day += timedelta(days=1)
        if is_working_day(day):
            added += 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 if end ≤ start)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
