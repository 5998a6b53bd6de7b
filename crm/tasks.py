"""Background work of the CRM app; each task loads ids and calls one service."""

from __future__ import annotations

from datetime import datetime

from celery import shared_task
from django.utils import timezone

from crm.models import ImportJob, User
from crm.selectors.calendar import work_calendar
from crm.services.digest import digest_send_all
from crm.services.imports import import_check, import_execute
from crm.services.webhooks import webhook_deliver, webhook_deliveries_due


@shared_task(acks_late=True)
def run_import_task(job_id: int, user_id: int) -> str:
    """Run a queued import; a job already running or finished is left as it is, so a redelivery is harmless."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        return "missing"
    return import_execute(job=job, by=User.objects.get(pk=user_id)).status


@shared_task(acks_late=True)
def check_import_task(job_id: int) -> str:
    """The dry run of a large upload; a job no longer being checked is left as it is (a redelivery is harmless)."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        return "missing"
    return import_check(job=job).status


# Acknowledged on receipt, unlike the rest: a worker lost mid-run costs one morning's letters, while a redelivery
# would send every manager his letter twice.
@shared_task(acks_late=False)
def morning_digest_task(now: str | None = None) -> dict[str, int]:
    """Beat's 08:30 letters (`now`: ISO date-time, the present by default); none on the department's days off."""
    moment = datetime.fromisoformat(now) if now else timezone.now()
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if not work_calendar().is_working_day(timezone.localdate(moment)):
        return {"sent": 0, "empty": 0, "failed": 0, "day_off": 1}
    return digest_send_all(now=moment)


@shared_task(acks_late=True)
def deliver_webhook_task(delivery_id: int) -> str:
    """One attempt of a webhook delivery; a delivery already claimed, sent or not yet due is left as it is."""
    delivery = webhook_deliver(delivery_id=delivery_id, now=timezone.now())
    return "skipped" if delivery is None else delivery.status


@shared_task(acks_late=True)
def retry_webhook_deliveries_task() -> int:
    """Beat's minute: queue every pending delivery whose next attempt is due (the backoff's retries)."""
    ids = webhook_deliveries_due(now=timezone.now())
    for pk in ids:
        deliver_webhook_task.delay(pk)
    return len(ids)
