"""Calendar arithmetic every rule shares: months, windows of months, weeks and working days.

Two meanings of "N months from a day", named apart so that no rule picks the wrong one:
`month_shift` moves between calendar months (the first day of the month N months away), `add_months` keeps
the day of the month (the month's last day where it is shorter), as the 3-month rule counts from a start day.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays as holidays_lib
from django.utils import timezone


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_shift(day: date, months: int) -> date:
    """The first day of the calendar month `months` away from `day`'s month (negative goes back)."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later (or earlier), the month's last day where it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_end(day: date) -> date:
    """The last day of `day`'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def month_bounds(day: date) -> tuple[date, date]:
    """The first and the last day of `day`'s month."""
    return month_start(day), month_end(day)


def month_days(day: date) -> list[date]:
    """Every day of `day`'s month."""
    return [day.replace(day=n) for n in range(1, month_end(day).day + 1)]


def window_months(month: date, months: int) -> list[date]:
    """The first days of the `months` full calendar months before `month`, oldest first."""
    first = month_start(month)
    return [month_shift(first, -months + i) for i in range(months)]


def year_before(day: date) -> date:
    """The same day a year earlier (28 February for 29 February)."""
    return add_months(day, -12)


def week_bounds(day: date) -> tuple[date, date]:
    """Monday and Sunday of the ISO week of `day`."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


@lru_cache(maxsize=32)
def _russian_year(year: int) -> tuple[frozenset[date], frozenset[date], tuple[tuple[date, str], ...]]:
    """The Russian production calendar of `year` from the `holidays` package: days off on weekdays (public
    holidays and days off moved by the government's decree), working Saturdays, and the named holidays."""
    days = holidays_lib.country_holidays("RU", years=year, language="ru")
    named = tuple(sorted(days.items()))
    return frozenset(days), frozenset(getattr(days, "weekend_workdays", ())), named


def russian_holidays(year: int) -> list[tuple[date, str]]:
    """The named days off of `year` in the Russian production calendar, in date order."""
    return list(_russian_year(year)[2])


@dataclass(frozen=True)
class WorkCalendar:
    """Working days by the Russian production calendar (DOMAIN.md section 4), corrected by the head's `overrides`
    (a day -> working or not). Weekends are Saturday and Sunday unless the calendar moves a working day there."""

    overrides: Mapping[date, bool] = field(default_factory=dict)

    def is_working_day(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        off, working_weekends, _named = _russian_year(day.year)
        if day in working_weekends:
            return True
        return day.weekday() < 5 and day not in off

    def working_days_between(self, start: date, end: date) -> int:
        """Working days from `start` to `end`, both included (0 when end < start)."""
        return sum(1 for offset in range((end - start).days + 1) if self.is_working_day(start + timedelta(offset)))

    def working_days_of(self, month: date) -> list[date]:
        """The working days of `month`'s month."""
        return [day for day in month_days(month) if self.is_working_day(day)]

    def next_working_day(self, day: date) -> date:
        """The first working day after `day`."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day


# The production calendar as published, without the head's corrections (crm's `work_calendar()` adds them).
RUSSIA = WorkCalendar()


def is_working_day(day: date, calendar: WorkCalendar | None = None) -> bool:
    """Whether `day` is a working day of `calendar` (the Russian production calendar by default)."""
    return (calendar or RUSSIA).is_working_day(day)


def working_days_between(start: date, end: date, calendar: WorkCalendar | None = None) -> int:
    """Working days from `start` to `end`, both included (0 when end < start)."""
    return (calendar or RUSSIA).working_days_between(start, end)


def working_days_of(month: date, calendar: WorkCalendar | None = None) -> list[date]:
    """The working days of `month`'s month."""
    return (calendar or RUSSIA).working_days_of(month)


def next_working_day(day: date, calendar: WorkCalendar | None = None) -> date:
    """The first working day after `day`."""
    return (calendar or RUSSIA).next_working_day(day)


def start_of_day(day: date) -> datetime:
    """Midnight at the start of `day`, in the current time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def end_of_day(day: date) -> datetime:
    """Midnight at the end of `day` (the start of the next), in the current time zone."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone())
