"""Project-wide Celery tasks: thin wrappers that load arguments and call the code that does the work."""

from __future__ import annotations

from datetime import date
from typing import Any

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone


@shared_task(
    name="salesdept.tasks.run_nightly_task",
    autoretry_for=(OperationalError,),
    retry_backoff=60,
    max_retries=3,
)
def run_nightly_task(as_of: str | None = None) -> dict[str, dict[str, Any]]:
    """Run the nightly jobs for `as_of` (ISO date; today by default). Safe to retry: every job is idempotent."""
    from salesdept.nightly import run_nightly

    return run_nightly(date.fromisoformat(as_of) if as_of else timezone.localdate())
