"""Background work of the CRM app; each task loads ids and calls one service."""

from __future__ import annotations

from celery import shared_task

from crm.models import ImportJob, User
from crm.services.imports import import_check, import_execute


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
