"""Background work of analytics: the morning sheet (08:30, working days) and the weekly report (Monday)."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone

from analytics.services.reports import morning_sheet_send_all, weekly_report_send_all
from crm.selectors.calendar import work_calendar


def _day(today: str | None) -> date:
    return date.fromisoformat(today) if today else timezone.localdate()


# Acknowledged on receipt, as crm's morning digest: a redelivery would send every letter twice.
@shared_task(acks_late=False)
def morning_sheet_task(today: str | None = None) -> dict[str, int]:
    """Beat's 08:30 morning sheets (`today`: ISO date, today by default); none on the department's days off."""
    day = _day(today)
    if not work_calendar().is_working_day(day):
        return {"sent": 0, "failed": 0, "day_off": 1}
    return morning_sheet_send_all(today=day)


@shared_task(acks_late=False)
def weekly_report_task(today: str | None = None) -> dict[str, int]:
    """Beat's Monday-morning weekly report to the head."""
    return weekly_report_send_all(today=_day(today))
