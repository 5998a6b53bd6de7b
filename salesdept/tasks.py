"""Project-wide Celery tasks: thin wrappers that load arguments and call the code that does the work.

The nightly is a chain: `run_nightly_task` records the run and sends one `nightly_job_task` per registered job,
in order, then `nightly_run_finish_task`. A job that fails is retried (up to `JOB_RETRIES` times, waiting longer
each time); when it still fails its error is recorded and the chain goes on with the next job.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from celery import chain, shared_task
from django.utils import timezone

JOB_RETRIES = 3
RETRY_WAIT_SECONDS = 60


@shared_task(name="salesdept.tasks.run_nightly_task", bind=True)
def run_nightly_task(self: Any, as_of: str | None = None) -> dict[str, Any]:
    """Start the nightly jobs for `as_of` (ISO date; today by default) as a chain of tasks; return the run's id.

    The jobs go to the queue this task came from, so a worker serving one queue runs the whole night.
    """
    from salesdept.models import NightlyRun
    from salesdept.nightly import NIGHTLY_JOBS

    day = date.fromisoformat(as_of) if as_of else timezone.localdate()
    run = NightlyRun.objects.create(as_of=day, trigger=NightlyRun.Trigger.SCHEDULE)
    options: dict[str, Any] = {}
    if not self.request.is_eager and (queue := (self.request.delivery_info or {}).get("routing_key")):
        options["queue"] = queue
    steps = [nightly_job_task.si(run.pk, job.name).set(**options) for job in NIGHTLY_JOBS]
    chain(*steps, nightly_run_finish_task.si(run.pk).set(**options)).apply_async()
    return {"run": run.pk, "as_of": day.isoformat()}


@shared_task(name="salesdept.tasks.nightly_job_task", bind=True, max_retries=JOB_RETRIES)
def nightly_job_task(self: Any, run_id: int, name: str) -> dict[str, Any]:
    """Run one nightly job of the run; retry it when it fails, and let the chain go on when it fails for good."""
    from salesdept.models import NightlyJobRun, NightlyRun
    from salesdept.nightly import run_job

    run = NightlyRun.objects.get(pk=run_id)
    attempt = self.request.retries + 1
    row = run_job(run, name, attempt=attempt)
    if self.request.is_eager:
        # In-process (tests, `make run` without a broker): the retries run at once, one after the other.
        while row.status == NightlyJobRun.Status.FAILED and attempt <= JOB_RETRIES:
            attempt += 1
            row = run_job(run, name, attempt=attempt)
    elif row.status == NightlyJobRun.Status.FAILED and self.request.retries < JOB_RETRIES:
        raise self.retry(countdown=RETRY_WAIT_SECONDS * 2**self.request.retries)
    return {"job": name, "status": row.status, "counts": row.counts, "error": row.error}


@shared_task(name="salesdept.tasks.nightly_run_finish_task")
def nightly_run_finish_task(run_id: int) -> dict[str, Any]:
    from salesdept.models import NightlyRun
    from salesdept.nightly import run_finish

    run = NightlyRun.objects.get(pk=run_id)
    run_finish(run)
    return {"run": run.pk, "jobs": {job.name: job.status for job in run.jobs.all()}}
