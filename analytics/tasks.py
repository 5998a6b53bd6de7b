"""The analytics' Celery tasks: the NPS survey's letters (analytics/services/nps.py), the morning sheet (08:30, working
days) and the weekly report (Monday) (analytics/services/reports.py)."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone

from analytics.services.nps import reminders_send, survey_send, surveys_send
from analytics.services.reports import morning_sheet_send_all, weekly_report_send_all
from crm.selectors.calendar import work_calendar


# Acknowledged on receipt: a redelivery would not send twice anyway (a sent invitation is skipped), and a lost
# worker costs at most the letters not yet sent, which the row still shows as unsent.
@shared_task(acks_late=False)
def nps_send_task(survey_id: int) -> dict[str, int]:
    return survey_send(survey_id=survey_id)


@shared_task(acks_late=False)
def nps_remind_task(invitation_ids: list[int]) -> dict[str, int]:
    return reminders_send(invitation_ids=invitation_ids)


@shared_task(acks_late=False)
def nps_send_many_task(survey_ids: list[int]) -> dict[str, int]:
    """The nightly job's rounds, one task per chunk of them."""
    return surveys_send(survey_ids=survey_ids)


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
