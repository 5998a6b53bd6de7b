"""The one calendar: month shifts, same-day month arithmetic, weeks and working days (moved from the apps' tests)."""

from datetime import date

from core.calendar import (
    add_months,
    month_shift,
    next_working_day,
    parse_month,
    week_bounds,
    window_months,
    working_days_between,
    working_days_of,
    year_before,
)


def test_month_shift_goes_to_the_first_day_of_a_month_and_crosses_the_year():
    assert month_shift(date(2026, 6, 10), -5) == date(2026, 1, 1)
    assert month_shift(date(2026, 3, 31), -5) == date(2025, 10, 1)
    assert month_shift(date(2026, 1, 1), -12) == date(2025, 1, 1)
    assert month_shift(date(2026, 12, 31), 1) == date(2027, 1, 1)


def test_add_months_keeps_the_day_or_takes_the_months_last_day():
    assert add_months(date(2026, 1, 15), 3) == date(2026, 4, 15)
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)
    assert add_months(date(2026, 4, 15), -3) == date(2026, 1, 15)
    assert add_months(date(2026, 6, 15), -5) == date(2026, 1, 15)
    assert add_months(date(2026, 7, 31), -5) == date(2026, 2, 28)


def test_year_before_takes_28_february_for_29_february():
    assert year_before(date(2028, 2, 29)) == date(2027, 2, 28)
    assert year_before(date(2026, 12, 1)) == date(2025, 12, 1)


def test_the_window_is_the_full_months_before_across_a_year_end():
    assert window_months(date(2026, 2, 14), 4) == [
        date(2025, 10, 1),
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
    ]


def test_week_bounds_are_monday_to_sunday_of_the_iso_week():
    assert week_bounds(date(2026, 5, 13)) == (date(2026, 5, 11), date(2026, 5, 17))
    assert week_bounds(date(2026, 5, 17)) == (date(2026, 5, 11), date(2026, 5, 17))


def test_working_days_of_a_month_are_monday_to_friday():
    days = working_days_of(date(2026, 5, 1))
    assert len(days) == 21
    assert days[0] == date(2026, 5, 1) and date(2026, 5, 2) not in days and days[-1] == date(2026, 5, 29)


def test_working_days_count_monday_to_friday_both_ends_included():
    assert working_days_between(date(2026, 11, 1), date(2026, 11, 30)) == 21  # November 2026 starts on a Sunday
    assert working_days_between(date(2026, 11, 1), date(2026, 11, 1)) == 0
    assert working_days_between(date(2026, 11, 2), date(2026, 11, 8)) == 5
    assert working_days_between(date(2026, 11, 1), date(2026, 11, 23)) == 16
    assert working_days_between(date(2026, 11, 24), date(2026, 11, 23)) == 0
    assert working_days_between(date(2026, 2, 1), date(2026, 2, 28)) == 20


def test_next_working_day_skips_the_weekend():
    assert next_working_day(date(2026, 11, 27)) == date(2026, 11, 30)  # Friday -> Monday
    assert next_working_day(date(2026, 11, 30)) == date(2026, 12, 1)


def test_parse_month_reads_yyyy_mm_and_refuses_the_rest():
    assert parse_month("2026-05") == date(2026, 5, 1)
    assert parse_month("2026-13") is None
    assert parse_month("") is None
    assert parse_month(None) is None
