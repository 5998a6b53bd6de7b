"""The department's working calendar: the Russian production calendar with the head's corrections (one query)."""

from __future__ import annotations

from core.calendar import WorkCalendar
from crm.models import WorkingDayOverride


def work_calendar() -> WorkCalendar:
    """The calendar every working-day figure reads: `holidays` (RU) corrected by the head's table of days."""
    return WorkCalendar(overrides=dict(WorkingDayOverride.objects.values_list("day", "is_working")))
