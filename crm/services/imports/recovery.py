"""An import whose worker died (killed, out of memory, the server restarted) must not stay "running" for ever.

A running or queued job reports progress (`updated_at`) every few hundred rows; one that has not moved for
`CRM_IMPORT_STALE_MINUTES` is marked failed, `interrupted`, with a clear reason. Its transaction never committed, so
nothing was written, and the same checked file can be confirmed again (`import_run` accepts an interrupted job).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.models import ImportJob

ACTIVE = (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)


def imports_stale_fail(*, now: datetime | None = None) -> int:
    """Mark the jobs whose worker stopped as failed and re-runnable; the number marked (one UPDATE)."""
    now = now or timezone.now()
    minutes = settings.CRM_IMPORT_STALE_MINUTES
    message = _(
        "The import stopped: its worker has reported nothing for %(minutes)s minutes (it was stopped or the server "
        "restarted). Nothing was written. Confirm the import again to run it."
    ) % {"minutes": minutes}
    stale = now - timedelta(minutes=minutes)
    ran = ImportJob.objects.filter(status__in=ACTIVE, updated_at__lt=stale).update(
        status=ImportJob.Status.FAILED, interrupted=True, finished_at=now, message=message, updated_at=now
    )
    # A dry run that stopped has no checked rows to run: the file is uploaded again.
    unchecked = _(
        "The check of the file stopped: its worker has reported nothing for %(minutes)s minutes. Nothing was "
        "written. Upload the file again."
    ) % {"minutes": minutes}
    checked = ImportJob.objects.filter(status=ImportJob.Status.CHECKING, updated_at__lt=stale).update(
        status=ImportJob.Status.FAILED, finished_at=now, message=unchecked, updated_at=now
    )
    return ran + checked


def import_rearm(job: ImportJob) -> bool:
    """Put an interrupted job back to "checked" so it can be confirmed again; whether it was one (one UPDATE)."""
    rearmed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.FAILED, interrupted=True).update(
        status=ImportJob.Status.VALIDATED, interrupted=False, processed_rows=0, message="", updated_at=timezone.now()
    )
    job.refresh_from_db()
    return bool(rearmed)
