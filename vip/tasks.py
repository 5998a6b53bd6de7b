"""The VIP programme's Celery tasks: thin, each calls one service."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from vip.services.reports import daily_report_send

DAILY_REPORT_TASK = "vip.tasks.send_daily_report_task"


@shared_task(name=DAILY_REPORT_TASK, acks_late=True)
def send_daily_report_task() -> int:
    """The day's report of the problem register, for the department's today."""
    return daily_report_send(today=timezone.localdate())
