from datetime import date

import pytest

from dimos.core.workdays import add_working_days, is_working_day, working_days_between


def test_weekends_and_greek_holidays_are_not_working_days():
    assert not is_working_day(date(2026, 11, 21))  # Saturday
    assert not is_working_day(date(2026, 10, 28))  # Ohi Day
    assert not is_working_day(date(2026, 4, 13))  # Easter Monday (Orthodox)
    assert is_working_day(date(2026, 11, 23))


def test_add_working_days_skips_weekend_and_holiday():
    # Friday 23 Oct 2026 + 3 working days: Mon 26, Tue 27, (Wed 28 Ohi Day), Thu 29.
    assert add_working_days(date(2026, 10, 23), 3) == date(2026, 10, 29)


def test_zero_days_is_the_same_day():
    assert add_working_days(date(2026, 11, 23), 0) == date(2026, 11, 23)


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 11, 23), -1)


def test_working_days_between():
    assert working_days_between(date(2026, 10, 23), date(2026, 10, 29)) == 3
    assert working_days_between(date(2026, 10, 29), date(2026, 10, 23)) == 0
