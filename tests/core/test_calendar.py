"""The one calendar: month shifts, same-day month arithmetic, weeks and working days (moved from the apps' tests)."""

from datetime import date

from core.calendar import (
    WorkCalendar,
    add_months,
    is_working_day,
    month_shift,
    next_working_day,
    russian_holidays,
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


def test_working_days_of_a_month_follow_the_russian_production_calendar():
    # May 2026: 21 weekdays, less 1 May (Labour Day) and 11 May (Victory Day moved from Saturday 9 May).
    days = working_days_of(date(2026, 5, 1))
    assert len(days) == 19
    assert days[0] == date(2026, 5, 4) and date(2026, 5, 11) not in days and days[-1] == date(2026, 5, 29)


def test_working_days_count_both_ends_included_without_public_holidays():
    # November 2026 starts on a Sunday: 21 weekdays, less 4 November (Unity Day).
    assert working_days_between(date(2026, 11, 1), date(2026, 11, 30)) == 20
    assert working_days_between(date(2026, 11, 1), date(2026, 11, 1)) == 0
    assert working_days_between(date(2026, 11, 2), date(2026, 11, 8)) == 4
    assert working_days_between(date(2026, 11, 1), date(2026, 11, 23)) == 15
    assert working_days_between(date(2026, 11, 24), date(2026, 11, 23)) == 0
    # February 2026: 20 weekdays, less 23 February (Defender of the Fatherland Day).
    assert working_days_between(date(2026, 2, 1), date(2026, 2, 28)) == 19
    # January 2026: the New Year holidays run to 8 January and 9 January is a day off moved from 3 January.
    assert working_days_of(date(2026, 1, 1))[0] == date(2026, 1, 12)
    assert len(working_days_of(date(2026, 1, 1))) == 15


def test_a_saturday_the_calendar_makes_working_is_a_working_day():
    # 1 November 2025 was a working Saturday (the day off moved to 3 November).
    assert is_working_day(date(2025, 11, 1)) and not is_working_day(date(2025, 11, 3))


def test_the_heads_corrections_override_the_production_calendar():
    corrected = WorkCalendar(overrides={date(2026, 11, 4): True, date(2026, 11, 30): False})
    assert corrected.working_days_between(date(2026, 11, 1), date(2026, 11, 30)) == 20  # +4 November, -30 November
    assert corrected.is_working_day(date(2026, 11, 4)) and not corrected.is_working_day(date(2026, 11, 30))
    assert corrected.next_working_day(date(2026, 11, 27)) == date(2026, 12, 1)


def test_russian_holidays_are_named_in_russian():
    named = dict(russian_holidays(2026))
    assert "Новый год" in named[date(2026, 1, 1)] or "Новогодние" in named[date(2026, 1, 1)]
    assert date(2026, 11, 4) in named and date(2026, 6, 12) in named


def test_next_working_day_skips_the_weekend_and_holidays():
    assert next_working_day(date(2026, 11, 27)) == date(2026, 11, 30)  # Friday -> Monday
    assert next_working_day(date(2026, 11, 30)) == date(2026, 12, 1)
    assert next_working_day(date(2026, 11, 3)) == date(2026, 11, 5)  # 4 November is Unity Day
    assert next_working_day(date(2026, 12, 30)) == date(2027, 1, 11)  # 31 December and the New Year holidays
