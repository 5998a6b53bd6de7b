"""Calendar arithmetic every rule shares: months, windows of months, weeks and working days.

Two meanings of "N months from a day", named apart so that no rule picks the wrong one:
`month_shift` moves between calendar months (the first day of the month N months away), `add_months` keeps
the day of the month (the month's last day where it is shorter), as the 3-month rule counts from a start day.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta

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


def is_working_day(day: date) -> bool:
    """Monday to Friday."""
    return day.weekday() < 5


def working_days_between(start: date, end: date) -> int:
    """Working days from `start` to `end`, both included (0 when end < start)."""
    if end < start:
        return 0
    days = (end - start).days + 1
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for offset in range(rest):
        if is_working_day(start + timedelta(days=weeks * 7 + offset)):
            count += 1
    return count


def working_days_of(month: date) -> list[date]:
    """The working days of `month`'s month."""
    return [day for day in month_days(month) if is_working_day(day)]


def next_working_day(day: date) -> date:
    """The first working day after `day`."""
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def start_of_day(day: date) -> datetime:
    """Midnight at the start of `day`, in the current time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def end_of_day(day: date) -> datetime:
    """Midnight at the end of `day` (the start of the next), in the current time zone."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone())


def parse_month(value: str | None) -> date | None:
    """`YYYY-MM` -> the first day of that month; None when empty or malformed."""
    try:
        return datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        return None
